/**
 * The fan-out handler (SPEC §10): started by EventBridge Scheduler (its input, or `{}`) or by
 * `ebs-snapper trigger` (`{"run_id": "<run id>"}`, the run id it printed), it queues one work item
 * per account × region and returns what it did.
 */
import type { Context } from 'aws-lambda';
import { type FanOutRequest, fanOutRun } from '../app/serverless/fan-out.js';
import { currentRuntime, type Runtime } from './runtime.js';
import { createTelemetry } from './telemetry.js';

export interface FanOutOptions {
  readonly runtime?: () => Runtime;
  readonly clock?: () => number;
}

export interface FanOutResponse {
  readonly run_id: string;
  /** Why the event's `run_id` was not used, when it was not. */
  readonly run_id_refused?: string;
  readonly messages: number;
  readonly failures: readonly {
    readonly account: string;
    /** Present when only these regions' work items could not be queued. */
    readonly regions?: readonly string[];
    readonly code: string;
    readonly message: string;
  }[];
}

/** A fan-out handler; `fanOut` in `index.ts` is this with the defaults. */
export function createFanOut(options: FanOutOptions = {}) {
  return async (event: unknown, context?: Context): Promise<FanOutResponse> => {
    const { logger } = createTelemetry();
    if (context !== undefined) logger.addContext(context);
    const runtime = (options.runtime ?? currentRuntime)();
    const request = requestOf(event);
    const result = await fanOutRun(
      {
        table: runtime.env.table,
        configName: runtime.env.configName,
        configs: runtime.configs,
        queue: runtime.queue,
        runs: runtime.runs,
        ownAccount: async () => (await runtime.identity()).account,
        organizationAccounts: () => runtime.organizationAccounts(),
        regionsOf: async (account) => runtime.regionsOf(account, await runtime.identity()),
        notifiersFor: (config) => runtime.notifiersFor(config),
        clock: options.clock ?? Date.now,
        warn: (message, error) =>
          logger.warn(message, { error: error instanceof Error ? error.message : String(error) }),
      },
      request,
    );
    logger.appendKeys({ run_id: result.runId });
    if (result.runIdRefused !== undefined)
      logger.warn('run id of the event refused', { why: result.runIdRefused });
    for (const failure of result.failures)
      logger.error('account not fanned out', {
        account: failure.account,
        ...(failure.regions === undefined ? {} : { regions: failure.regions }),
        // Not spread: a `message` key would be taken for the log line's own.
        code: failure.error.code,
        error: failure.error.message,
      });
    logger.info('fanned out', {
      messages: result.items.length,
      targets: result.items.map((i) => `${i.account}/${i.region}`),
    });
    return {
      run_id: result.runId,
      ...(result.runIdRefused === undefined ? {} : { run_id_refused: result.runIdRefused }),
      messages: result.items.length,
      failures: result.failures.map((f) => ({
        account: f.account,
        ...(f.regions === undefined ? {} : { regions: f.regions }),
        code: f.error.code,
        message: f.error.message,
      })),
    };
  };
}

/**
 * The event's run id, when it carries one (`{"run_id": "..."}` from `trigger`); anything else —
 * the Scheduler's `{}`, a string — starts a run with an id of its own.
 */
function requestOf(event: unknown): FanOutRequest {
  if (typeof event !== 'object' || event === null) return {};
  const runId = (event as { run_id?: unknown }).run_id;
  return typeof runId === 'string' ? { runId } : {};
}
