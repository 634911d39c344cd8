/**
 * The SQS work queue: one message per account × region (SPEC §10), sent 10 a call — the most
 * SendMessageBatch takes. A batch entry SQS refuses fails the send, naming it.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WorkQueue } from '../app/serverless/ports.js';
import { AwsCallError, callAws } from './errors.js';

const BATCH = 10;

/** @example await createWorkQueue(sqs, queueUrl).send([{ account, region, run_id, continuation: 0 }]); */
export function createWorkQueue(sqs: SQSClient, queueUrl: string): WorkQueue {
  return {
    async send(items, delaySeconds) {
      for (let start = 0; start < items.length; start += BATCH) {
        const batch = items.slice(start, start + BATCH);
        const output = await callAws('SendMessageBatch', () =>
          sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: batch.map((item, index) => ({
                Id: String(index),
                MessageBody: JSON.stringify(item),
                ...(delaySeconds === undefined ? {} : { DelaySeconds: delaySeconds }),
              })),
            }),
          ),
        );
        const failed = output.Failed ?? [];
        if (failed.length > 0) {
          const first = failed[0]!;
          const item = batch[Number(first.Id)];
          throw new AwsCallError('SendMessageBatch', {
            code: first.Code ?? 'BatchEntryFailed',
            message: `${failed.length} of ${batch.length} messages refused, e.g. ${item?.account}/${item?.region}: ${first.Message ?? ''}`,
            transient: first.SenderFault !== true,
          });
        }
      }
    },
  };
}
