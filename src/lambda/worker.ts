/**
 * The worker handler (SPEC §10): an SQS event, each record one account × region. A single record
 * goes through Powertools' batch processor, which reports it for retry (`ReportBatchItemFailures`)
 * only when retrying may help. Several records (the work queue's batches, SPEC §16) go through
 * `processBatch`: empty targets found cheaply, the others worked on or handed to the solo queue.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { WorkItem } from '../app/serverless/ports.js';
import { processBatch } from '../app/serverless/work-batch.js';
import { type BadWorkItemError, parseWorkItem } from '../app/serverless/work-item.js';
import { processWorkItem, type WorkerDeps } from '../app/serverless/work-target.js';
import type { WorkTelemetry } from '../app/serverless/work-telemetry.js';
import type { Identity } from '../aws/clients.js';
import { type CredentialCache, createCredentialCache } from '../aws/credential-cache.js';
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
  /** Small targets of a batch worked on side by side (default 8; 0: each is worked on as a large one). */
  readonly smallConcurrency?: number;
}

/** A worker handler; `worker` in `index.ts` is this with the defaults. */
export function createWorker(options: WorkerOptions = {}) {
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const { logger, metrics } = createTelemetry();
    logger.addContext(context);
    const runtime = (options.runtime ?? currentRuntime)();
    // One role session per account and role for this invocation (SPEC §16), never kept for the next.
    const sessions = createCredentialCache();
    const telemetry = workTelemetry(logger, metrics, runtime.env.metrics);
    const deps = workerDeps(runtime, await runtime.identity(), options, telemetry, sessions);
    const invocation = {
      requestId: context.awsRequestId,
      remainingMs: () => context.getRemainingTimeInMillis(),
      marginMs: options.marginMs ?? DEFAULT_MARGIN_MS,
    };
    const parse = (record: SQSRecord): WorkItem | undefined => {
      try {
        return parseWorkItem(record.body);
      } catch (error) {
        // Never retried: no delivery will make it a work item.
        logger.error('message dropped', {
          message_id: record.messageId,
          error: (error as BadWorkItemError).message,
        });
        return undefined;
      }
    };
    if (event.Records.length > 1) {
      // Several items (SPEC §16): empty targets found with two calls each, the others worked on at once.
      const records = event.Records.flatMap((record) => {
        const item = parse(record);
        return item === undefined ? [] : [{ id: record.messageId, item, receiveCount: receivesOf(record) }];
      });
      const retried = await processBatch(records, invocation, {
        ...deps,
        ...(runtime.solo === undefined ? {} : { solo: runtime.solo }),
        ...(options.smallConcurrency === undefined ? {} : { smallConcurrency: options.smallConcurrency }),
      });
      return { batchItemFailures: retried.map((id) => ({ itemIdentifier: id })) };
    }
    const recordHandler = async (record: SQSRecord): Promise<void> => {
      const item = parse(record);
      if (item === undefined) return;
      logger.appendKeys(itemKeys(item));
      try {
        const outcome = await processWorkItem(
          item,
          { ...invocation, receiveCount: receivesOf(record) },
          deps,
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

const receivesOf = (record: SQSRecord): number => Number(record.attributes.ApproximateReceiveCount ?? '1');

/** What a work item is processed with: the runtime's adapters, this invocation's telemetry. */
function workerDeps(
  runtime: Runtime,
  own: Identity,
  options: WorkerOptions,
  telemetry: WorkTelemetry,
  sessions: CredentialCache,
): WorkerDeps {
  const allowed = parseFeatures(runtime.env.features);
  return {
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
      runtime.portFor(account, region, deadline, own, roleName, sessions),
    notifiersFor: (config) => runtime.notifiersFor(config),
    // The worker's own role works in its account; other accounts' member roles allow every feature.
    roleGap: (config, target) => {
      const gap = target.account === own.account ? featureGap(config, allowed) : undefined;
      return gap === undefined
        ? undefined
        : { code: FEATURE_GAP_CODE, message: `${gap}; nothing was done in ${target.account}` };
    },
    clock: options.clock ?? Date.now,
    telemetry,
    ...(options.continuationDelaySeconds === undefined
      ? {}
      : { continuationDelaySeconds: options.continuationDelaySeconds }),
  };
}
