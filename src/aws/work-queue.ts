/**
 * The SQS work queue: one message per account × region (SPEC §10), sent 10 a call — the most
 * SendMessageBatch takes. SQS may refuse some entries of a call and take the others: the refused
 * ones are sent again (a few times, waiting longer each time) unless SQS says the entry itself is
 * wrong (`SenderFault`), and every batch is sent whatever happened to the others. Batches go a
 * few at once (a run of 17,000 targets is 1,700 calls): SQS takes any number of calls a second on a
 * standard queue, the bound is the client's connections. What could not be queued is returned, for
 * the caller to report: a target of a run is never dropped silently.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { runPool } from '../app/kit/pool.js';
import type { UnqueuedItem, WorkItem, WorkQueue } from '../app/serverless/ports.js';
import { callAws, toAwsCallError } from './errors.js';

const BATCH = 10;
/** Sends of a refused entry, the first included. */
const ATTEMPTS = 4;
/** The wait before the first resend; doubled before each next one. */
const FIRST_WAIT_MS = 200;
/** Batches in flight at once, per `send` (the fan-out runs a few sends at once). */
export const BATCH_CONCURRENCY = 10;

export interface WorkQueueOptions {
  /** Default: a timer; tests pass one that does not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** An entry of a batch: its id in the call, and its item. */
interface Pending {
  readonly id: string;
  readonly item: WorkItem;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** @example const unqueued = await createWorkQueue(sqs, queueUrl).send([{ account, region, run_id, continuation: 0 }]); */
export function createWorkQueue(sqs: SQSClient, queueUrl: string, options: WorkQueueOptions = {}): WorkQueue {
  const sleep = options.sleep ?? sleepFor;

  /** One call: the entries SQS refused (a failed call throws). */
  async function sendOnce(pending: readonly Pending[], delaySeconds?: number) {
    const entries = pending.map(({ id, item }) => ({
      Id: id,
      MessageBody: JSON.stringify(item),
      ...(delaySeconds === undefined ? {} : { DelaySeconds: delaySeconds }),
    }));
    const output = await callAws('SendMessageBatch', () =>
      sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries })),
    );
    return output.Failed ?? [];
  }

  /** One batch, resending its refused entries; what could not be queued. */
  async function sendBatch(batch: readonly WorkItem[], delaySeconds?: number): Promise<UnqueuedItem[]> {
    const unqueued: UnqueuedItem[] = [];
    let pending: Pending[] = batch.map((item, index) => ({ id: String(index), item }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > 1) await sleep(FIRST_WAIT_MS * 2 ** (attempt - 2));
      let refusals: Awaited<ReturnType<typeof sendOnce>>;
      try {
        refusals = await sendOnce(pending, delaySeconds);
      } catch (error) {
        // The whole call failed after the SDK's own retries: none of these was queued.
        const { code, message } = toAwsCallError('SendMessageBatch', error);
        return [...unqueued, ...pending.map(({ item }) => ({ item, code, message }))];
      }
      const again: Pending[] = [];
      for (const refusal of refusals) {
        const entry = pending.find((p) => p.id === refusal.Id);
        if (entry === undefined) continue;
        if (refusal.SenderFault !== true && attempt < ATTEMPTS) again.push(entry);
        else
          unqueued.push({
            item: entry.item,
            code: refusal.Code ?? 'BatchEntryFailed',
            message: `SendMessageBatch refused the entry: ${refusal.Message ?? 'no reason given'}`,
          });
      }
      pending = again;
    }
    return unqueued;
  }

  return {
    async send(items, delaySeconds) {
      const batches: WorkItem[][] = [];
      for (let start = 0; start < items.length; start += BATCH)
        batches.push(items.slice(start, start + BATCH));
      const unqueued: UnqueuedItem[][] = batches.map(() => []);
      if (batches.length === 0) return [];
      // The first batch alone: the connection and credentials are set up once, not by every lane,
      // and the batches reach SQS in order until the parallel ones start.
      unqueued[0] = await sendBatch(batches[0]!, delaySeconds);
      // sendBatch never throws: each batch's refusals land in its own slot, in item order.
      await runPool(batches.slice(1), BATCH_CONCURRENCY, async (batch, index) => {
        unqueued[index + 1] = await sendBatch(batch, delaySeconds);
      });
      return unqueued.flat();
    },
  };
}
