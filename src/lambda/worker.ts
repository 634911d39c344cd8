/**
 * The worker handler (SPEC §10): an SQS event (batch size 1 in the deployment), each record one
 * account × region. Powertools' batch processor reports the records to retry
 * (`ReportBatchItemFailures`); a record is retried only when retrying may help.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type BadWorkItemError, parseWorkItem } from '../app/serverless/work-item.js';
import { processWorkItem } from '../app/serverless/work-target.js';
import { FEATURE_GAP_CODE, featureGap, parseFeatures } from '../aws/deployed-features.js';
import { currentRuntime, type Runtime } from './runtime.js';
import { createTelemetry, itemKeys, workTelemetry } from './telemetry.js';

/** SPEC §10: deadline = remaining time − 60 s. */
export const DEFAULT_MARGIN_MS = 60_000;

export interface WorkerOptions {
  /** Time kept back from the remaining time for the record, continuation and notifications. */
  readonly marginMs?: number;
  /** The adapters; default from the environment. */
  readonly runtime?: () => Runtime;
  readonly clock?: () => number;
  /** How long a continuation waits before it is delivered; default 60 s. */
  readonly continuationDelaySeconds?: number;
}

/** A worker handler; `worker` in `index.ts` is this with the defaults. */
export function createWorker(options: WorkerOptions = {}) {
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const { logger, metrics } = createTelemetry();
    logger.addContext(context);
    const runtime = (options.runtime ?? currentRuntime)();
    const own = await runtime.identity();
    const allowed = parseFeatures(runtime.env.features);
    const recordHandler = async (record: SQSRecord): Promise<void> => {
      let item: ReturnType<typeof parseWorkItem>;
      try {
        item = parseWorkItem(record.body);
      } catch (error) {
        // Never retried: no delivery will make it a work item.
        logger.error('message dropped', {
          message_id: record.messageId,
          error: (error as BadWorkItemError).message,
        });
        return;
      }
      logger.appendKeys(itemKeys(item));
      try {
        const outcome = await processWorkItem(
          item,
          {
            requestId: context.awsRequestId,
            remainingMs: () => context.getRemainingTimeInMillis(),
            receiveCount: Number(record.attributes.ApproximateReceiveCount ?? '1'),
            marginMs: options.marginMs ?? DEFAULT_MARGIN_MS,
          },
          {
            table: runtime.env.table,
            configName: runtime.env.configName,
            configs: runtime.configs,
            leases: runtime.leases,
            memory: runtime.memory,
            records: runtime.records,
            handoffs: runtime.handoffs,
            queue: runtime.queue,
            ownAccount: own.account,
            isOrganizationMember: (account) => runtime.isOrganizationMember(account),
            portFor: (account, region, deadline, roleName) =>
              runtime.portFor(account, region, deadline, own, roleName),
            notifiersFor: (config) => runtime.notifiersFor(config),
            // The worker's own role works in its account; other accounts' member roles allow every feature.
            roleGap: (config, target) => {
              const gap = target.account === own.account ? featureGap(config, allowed) : undefined;
              return gap === undefined
                ? undefined
                : { code: FEATURE_GAP_CODE, message: `${gap}; nothing was done in ${target.account}` };
            },
            clock: options.clock ?? Date.now,
            telemetry: workTelemetry(logger, metrics),
            ...(options.continuationDelaySeconds === undefined
              ? {}
              : { continuationDelaySeconds: options.continuationDelaySeconds }),
          },
        );
        if (outcome.retry)
          throw new Error(`will be retried: ${outcome.record?.failures[0]?.message ?? 'transient failure'}`);
      } finally {
        logger.removeKeys(Object.keys(itemKeys(item)));
      }
    };
    return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      context,
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  };
}
