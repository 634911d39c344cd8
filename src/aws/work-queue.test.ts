/**
 * The work queue's partial failures, through the real SQS client and its parser: a fake
 * `requestHandler` plays SQS's SendMessageBatch, refusing the entries a test names (what moto and
 * the fault proxy cannot do: refuse some entries of a batch and queue the others).
 */
import { createHash } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { HttpResponse } from '@smithy/protocol-http';
import type { HttpRequest } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import type { WorkItem } from '../app/serverless/ports.js';
import { createWorkQueue } from './work-queue.js';

interface Entry {
  readonly Id: string;
  readonly MessageBody: string;
}

/** What the fake answers for one entry: queued, or refused with a code (and SQS's SenderFault). */
type Decide = (item: WorkItem, attempt: number) => 'ok' | { code: string; senderFault: boolean };

/** A fake SQS: every queued body, per call; `decide` refuses entries; `failCall` fails whole calls. */
function fakeSqs(decide: Decide, failCall: (call: number) => boolean = () => false) {
  const queued: WorkItem[] = [];
  const attempts = new Map<string, number>();
  let calls = 0;
  const handler = {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
      calls += 1;
      if (failCall(calls)) return { response: json(400, { __type: 'AccessDenied', message: 'no' }) };
      const { Entries } = JSON.parse(String(request.body)) as { Entries: Entry[] };
      const Successful: unknown[] = [];
      const Failed: unknown[] = [];
      for (const entry of Entries) {
        const item = JSON.parse(entry.MessageBody) as WorkItem;
        const key = `${item.account}/${item.region}`;
        const attempt = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, attempt);
        const decision = decide(item, attempt);
        if (decision === 'ok') {
          queued.push(item);
          const md5 = createHash('md5').update(entry.MessageBody).digest('hex');
          Successful.push({ Id: entry.Id, MessageId: `m-${calls}-${entry.Id}`, MD5OfMessageBody: md5 });
        } else {
          Failed.push({
            Id: entry.Id,
            Code: decision.code,
            Message: 'refused',
            SenderFault: decision.senderFault,
          });
        }
      }
      return { response: json(200, { Successful, Failed }) };
    },
  };
  const sqs = new SQSClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 's' },
    requestHandler: handler,
    maxAttempts: 1,
  });
  return { sqs, queued, calls: () => calls };
}

function json(statusCode: number, body: unknown): HttpResponse {
  return new HttpResponse({
    statusCode,
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: Buffer.from(JSON.stringify(body)),
  });
}

const itemsIn = (regions: number): WorkItem[] =>
  Array.from({ length: regions }, (_, i) => ({
    account: '111111111111',
    region: `eu-west-${i + 1}`,
    run_id: 'r',
    continuation: 0,
  }));

const noWait = async () => {};
const URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/work';

describe('the work queue', () => {
  it('queues every item, 10 a call', async () => {
    // Prepare
    const fake = fakeSqs(() => 'ok');

    // Act
    const unqueued = await createWorkQueue(fake.sqs, URL, { sleep: noWait }).send(itemsIn(25));

    // Assess
    expect(unqueued).toEqual([]);
    expect(fake.queued).toHaveLength(25);
    expect(fake.calls()).toBe(3);
  });

  it('sends again only the entries SQS refused, until they are queued', async () => {
    // Prepare: two entries refused twice by SQS's own fault, then taken
    const fake = fakeSqs((item, attempt) =>
      ['eu-west-2', 'eu-west-7'].includes(item.region) && attempt <= 2
        ? { code: 'InternalError', senderFault: false }
        : 'ok',
    );

    // Act
    const unqueued = await createWorkQueue(fake.sqs, URL, { sleep: noWait }).send(itemsIn(10));

    // Assess: each item queued exactly once
    expect(unqueued).toEqual([]);
    expect(fake.queued.map((i) => i.region).sort()).toEqual(
      itemsIn(10)
        .map((i) => i.region)
        .sort(),
    );
    expect(fake.calls()).toBe(3);
  });

  it('returns what stays refused, never stopping the other batches; a sender fault is not sent again', async () => {
    // Prepare: one entry of the first batch always refused by SQS, one refused as the sender's fault
    const fake = fakeSqs((item) =>
      item.region === 'eu-west-1'
        ? { code: 'InternalError', senderFault: false }
        : item.region === 'eu-west-3'
          ? { code: 'InvalidMessageContents', senderFault: true }
          : 'ok',
    );
    const waits: number[] = [];

    // Act
    const unqueued = await createWorkQueue(fake.sqs, URL, {
      sleep: async (ms) => void waits.push(ms),
    }).send(itemsIn(15));

    // Assess
    expect(unqueued.map((u) => `${u.item.region}:${u.code}`).sort()).toEqual([
      'eu-west-1:InternalError',
      'eu-west-3:InvalidMessageContents',
    ]);
    expect(fake.queued).toHaveLength(13);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
  });

  it('reports a whole batch SQS would not take, and sends the next batches', async () => {
    // Prepare: the first call is refused outright
    const fake = fakeSqs(
      () => 'ok',
      (call) => call === 1,
    );

    // Act
    const unqueued = await createWorkQueue(fake.sqs, URL, { sleep: noWait }).send(itemsIn(12));

    // Assess
    expect(unqueued).toHaveLength(10);
    expect(unqueued[0]).toMatchObject({ code: 'AccessDenied' });
    expect(fake.queued.map((i) => i.region)).toEqual(['eu-west-11', 'eu-west-12']);
  });
});
