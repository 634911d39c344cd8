/**
 * The fan-out handler (SPEC §10): started by EventBridge Scheduler (its input, or `{}`) or by
 * `ebs-snapper trigger` (`{"run_id": "<run id>"}`, the run id it printed), it queues one work item
 * per account × region and returns what it did.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { type FanOutRequest, fanOutRun } from '../app/serverless/fan-out.js';
import { unmarked } from '../app/serverless/fan-out-send.js';
import { createCredentialCache } from '../aws/credential-cache.js';
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
  /** The messages this invocation sent. */
  readonly messages: number;
  /** Targets of the run an earlier invocation of it had queued (not sent again). */
  readonly already_queued?: number;
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
    // One role session per account for this invocation (never one per region, nor per call).
    const sessions = createCredentialCache();
    const result = await fanOutRun(
      {
        table: runtime.env.table,
        configName: runtime.env.configName,
        configs: runtime.configs,
        queue: runtime.queue,
        marks: runtime.marks ?? unmarked(),
        invocation: context?.awsRequestId ?? `local-${randomUUID()}`,
        remainingMs: () => context?.getRemainingTimeInMillis() ?? DEFAULT_REMAINING_MS,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        runs: runtime.runs,
        ownAccount: async () => (await runtime.identity()).account,
        organizationAccounts: () => runtime.organizationAccounts(),
        regionsOf: async (account) => runtime.regionsOf(account, await runtime.identity(), sessions),
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
    const targets = result.alreadyQueued ?? result.items.length;
    logger.info('fanned out', { messages: result.sent, targets });
    return {
      run_id: result.runId,
      ...(result.runIdRefused === undefined ? {} : { run_id_refused: result.runIdRefused }),
      messages: result.sent,
      ...(targets > result.sent ? { already_queued: targets - result.sent } : {}),
      failures: result.failures.map((f) => ({
        account: f.account,
        ...(f.regions === undefined ? {} : { regions: f.regions }),
        code: f.error.code,
        message: f.error.message,
      })),
    };
  };
}

/** The function's timeout (seconds, as the hub template sets it), when no Lambda context says. */
const DEFAULT_REMAINING_MS = 300_000;

/**
 * The event's run id, when it carries one (`{"run_id": "..."}` from `trigger`), or the Scheduler's
 * scheduled time (`{"scheduled_time": "2026-12-06T21:00:00Z"}`, the run id is made from it);
 * anything else — `{}`, a string — starts a run with an id of its own.
 */
function requestOf(event: unknown): FanOutRequest {
  if (typeof event !== 'object' || event === null) return {};
  const { run_id: runId, scheduled_time: scheduledTime } = event as {
    run_id?: unknown;
    scheduled_time?: unknown;
  };
  if (typeof runId === 'string') return { runId };
  return typeof scheduledTime === 'string' ? { scheduledTime } : {};
}
