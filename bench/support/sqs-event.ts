/**
 * The SQS event Lambda's event source hands the worker, for the benches that call the real handler
 * in process: one record per work item, in order, each with a message id of its own.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { WorkItem } from '../../src/app/serverless/ports.js';

/** @example await worker(sqsEventOf([item]), context) */
export function sqsEventOf(items: readonly WorkItem[]): SQSEvent {
  return { Records: items.map(recordOf) };
}

function recordOf(item: WorkItem, index: number): SQSRecord {
  return {
    messageId: `m-${index}-${item.account}-${item.region}-${item.run_id}-${item.continuation}`,
    receiptHandle: 'r',
    body: JSON.stringify(item),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'bench',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:bench',
    awsRegion: item.region,
  };
}
