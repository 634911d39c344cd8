/**
 * Work handed on, and work recorded, when things go wrong around the worker: the last continuation
 * that still leaves work, a continuation SQS will not take, a message delivered again after its
 * work was done or handed on. Nothing left undone is silent; no redelivery rewrites history.
 */
import { describe, expect, it } from 'vitest';
import { newRunId } from '../../src/app/run/run.js';
import type { RunRecord, WorkItem } from '../../src/app/serverless/ports.js';
import { MAX_CONTINUATIONS } from '../../src/app/serverless/work-item.js';
import { createDeployedClients } from '../../src/aws/serverless-clients.js';
import { createRunRecordStore } from '../../src/aws/table/run-records.js';
import {
  captureOutput,
  importHandlers,
  lambdaContext,
  messagesLeft,
  readNotifications,
  readRunRecords,
  receiveEvent,
  sendWorkItem,
  settleEvent,
  useDeployment,
} from '../support/moto/deployment.js';
import { pushTestConfig, seedWebFleet, snapshotsOf, webPolicy } from '../support/moto/member-accounts.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const { createWorker, worker } = await importHandlers();
const A = '111111111111';
// A run of now: a snapshot counts from the start of the run that made it.
const RUN = newRunId(Date.now());
const item = (continuation: number): WorkItem => ({
  account: A,
  region: 'us-east-1',
  run_id: RUN,
  continuation,
});

/**
 * A worker with 4 s of work per invocation (5 s remaining, 1 s margin), continuations visible at
 * once. With creates of 3 s, at most one round of 8 is done: 20 or 30 volumes always leave work.
 */
const short = createWorker({ marginMs: 1_000, continuationDelaySeconds: 0 });
const fiveSeconds = () => {
  const start = Date.now();
  return lambdaContext(() => 5_000 - (Date.now() - start));
};
const SLOW_CREATE_MS = 3_000;

describe('work handed on and recorded by the deployed worker', () => {
  const t = useMotoBehindProxy();
  const deployed = useDeployment(t);

  /** `volumes` web volumes of A, the config, and creates slow enough that a short worker cannot finish. */
  async function slowTarget(volumes: number, createMs: number) {
    await seedWebFleet(t.moto.endpoint, A, 'us-east-1', volumes);
    await pushTestConfig(
      t.moto.endpoint,
      deployed.current.region,
      deployed.current.table,
      webPolicy([A], ['us-east-1']),
    );
    t.proxy.configure({ delayFor: { CreateSnapshot: createMs } });
  }

  it('makes work left after the last continuation a failure: record, notification, metric, and nothing queued', async () => {
    // Prepare
    await slowTarget(20, SLOW_CREATE_MS);
    await sendWorkItem(deployed.current, item(MAX_CONTINUATIONS));
    const event = await receiveEvent(deployed.current);

    // Act
    const { value: response, lines } = await captureOutput(() => short(event, fiveSeconds()));
    await settleEvent(deployed.current, event, response);
    const notes = await readNotifications(deployed.current);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await messagesLeft(deployed.current)).toBe(0);
    const [record] = await readRunRecords(deployed.current, RUN);
    expect(record).toMatchObject({ continuation: MAX_CONTINUATIONS, outcome: 'failed' });
    expect(record!.deferred).toBeGreaterThan(0);
    const limit = record!.failures.find((f) => f.code === 'continuation.limit');
    expect(limit?.message).toContain(`${record!.deferred} action${record!.deferred === 1 ? '' : 's'} left`);
    expect(notes.map((n) => n.subject)).toEqual([`ebs-snapper: failure in ${A} us-east-1`]);
    expect(JSON.stringify(notes[0]!.message)).toContain('continuation.limit');
    const emf = lines.find((l) => l.Account === A && 'ActionsFailed' in l && !('Policy' in l));
    expect(emf?.ActionsFailed).toBeGreaterThanOrEqual(1);
  });

  it('records and notifies a continuation SQS will not take, instead of losing it', async () => {
    // Prepare
    await slowTarget(20, SLOW_CREATE_MS);
    await sendWorkItem(deployed.current, item(0));
    const event = await receiveEvent(deployed.current);
    t.proxy.configure({
      delayFor: { CreateSnapshot: SLOW_CREATE_MS },
      errorsFor: { SendMessageBatch: { code: 'AccessDenied', status: 403 } },
    });

    // Act
    const response = await short(event, fiveSeconds());
    await settleEvent(deployed.current, event, response);
    const notes = await readNotifications(deployed.current);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const [record] = await readRunRecords(deployed.current, RUN);
    expect(record).toMatchObject({ continuation: 0, outcome: 'failed' });
    expect(record!.failures.map((f) => f.code)).toContain('continuation.not-sent');
    expect(notes.map((n) => n.subject)).toEqual([`ebs-snapper: failure in ${A} us-east-1`]);
    expect(JSON.stringify(notes[0]!.message)).toContain('continuation.not-sent');
  });

  it('keeps the record of the delivery that did the work when the message comes again', async () => {
    // Prepare: the first delivery's message was not deleted (a lost DeleteMessage): it comes again
    await seedWebFleet(t.moto.endpoint, A, 'us-east-1');
    await pushTestConfig(
      t.moto.endpoint,
      deployed.current.region,
      deployed.current.table,
      webPolicy([A], ['us-east-1']),
    );
    await sendWorkItem(deployed.current, item(0));
    const event = await receiveEvent(deployed.current);

    // Act
    const first = await worker(
      event,
      lambdaContext(() => 900_000, 'delivery-1'),
    );
    const again = await worker(
      event,
      lambdaContext(() => 900_000, 'delivery-2'),
    );

    // Assess: the second found nothing to do, and left the first's record alone
    expect([first, again]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(await snapshotsOf(t.moto.endpoint, A, 'us-east-1', 'web')).toHaveLength(2);
    expect(await readRunRecords(deployed.current, RUN)).toEqual([
      expect.objectContaining({ outcome: 'ok', created: 2 }),
    ]);
  });

  it('hands work on once when a message that handed it on is delivered again', async () => {
    // Prepare: both deliveries are cut short by their deadline with work left
    await slowTarget(30, SLOW_CREATE_MS);
    await sendWorkItem(deployed.current, item(0));
    const event = await receiveEvent(deployed.current);

    // Act
    const first = await short(event, fiveSeconds());
    const { value: again, lines } = await captureOutput(() => short(event, fiveSeconds()));
    const queued = await receiveEvent(deployed.current, 10);

    // Assess: one continuation (the second delivery also had work left to hand on), one record
    expect([first, again]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(lines.filter((l) => l.message === 'delivered again: left alone').map((l) => l.what)).toContain(
      'continuation 1 was sent by an earlier delivery',
    );
    expect(queued.Records.map((r) => JSON.parse(r.body) as WorkItem)).toEqual([item(1)]);
    expect(await readRunRecords(deployed.current, RUN)).toEqual([
      expect.objectContaining({ continuation: 0, outcome: 'continued' }),
    ]);
  });

  it('lets a later record replace one that says less, never one that says more', async () => {
    // Prepare
    const { dynamo } = createDeployedClients({ region: deployed.current.region, endpoint: t.moto.endpoint });
    const records = createRunRecordStore(dynamo, deployed.current.table);
    const base: RunRecord = {
      runId: RUN,
      account: A,
      region: 'us-east-1',
      continuation: 0,
      startedAt: '2026-12-01T03:00:00.000Z',
      endedAt: '2026-12-01T03:01:00.000Z',
      created: 0,
      deleted: 0,
      failed: 1,
      deferred: 0,
      outcome: 'failed',
      failures: [{ code: 'Throttling', message: 'throttled to death' }],
    };
    const worked: RunRecord = { ...base, created: 3, failed: 0, outcome: 'ok', failures: [] };

    // Act: a transient failure, its retry that did the work, then a redelivery that failed again
    const written = [
      await records.put(base, 1),
      await records.put(worked, 3),
      await records.put({ ...base, endedAt: '2026-12-01T03:09:00.000Z' }, 1),
      await records.put({ ...worked, created: 0 }, 3),
    ];

    // Assess
    expect(written).toEqual([true, true, false, false]);
    expect(await records.list(RUN)).toEqual([worked]);
  });
});
