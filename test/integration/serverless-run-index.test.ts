/**
 * What `status` and `trigger` stand on, through the built handlers against moto: the fan-out's
 * run index (its targets and failures, one item per run, parts for the largest), the run id a
 * trigger gives the fan-out, the record a worker writes when the lease is held (and that a real
 * record replaces), and a worker whose role lacks a feature the config uses failing the target
 * with the fix instead of an AccessDenied halfway.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { newRunId } from '../../src/app/run/run.js';
import type { RunIndexEntry } from '../../src/app/serverless/run-index.js';
import { createDeployedClients } from '../../src/aws/serverless-clients.js';
import { LEASE_PK } from '../../src/aws/table/keys.js';
import { createRunIndexStore } from '../../src/aws/table/run-index.js';
import {
  captureOutput,
  drainQueue,
  importHandlers,
  lambdaContext,
  readNotifications,
  readRunRecords,
  sendWorkItem,
  useDeployment,
} from '../support/moto/deployment.js';
import { pushTestConfig, seedWebFleet, webPolicy } from '../support/moto/member-accounts.js';
import { MOTO_ACCOUNT_ID } from '../support/moto/moto.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const { fanOut, worker } = await importHandlers();
const MEMBER = '111111111111';
const context = () => lambdaContext(() => 300_000);

describe('the run index and the records status reads', () => {
  const t = useMotoBehindProxy();
  const deployed = useDeployment(t);
  const store = () => {
    const { dynamo } = createDeployedClients({ region: 'us-east-1', endpoint: t.proxy.endpoint });
    return { dynamo, runs: createRunIndexStore(dynamo, deployed.current.table) };
  };

  it("writes each run's targets and the accounts it could not fan out, in one item", async () => {
    // Prepare: regions from each account (no settings.regions), the member's role refused
    const policy = webPolicy([MOTO_ACCOUNT_ID, MEMBER], ['us-east-1']).replace(
      '  regions: [us-east-1]\n',
      '',
    );
    await pushTestConfig(t.moto.endpoint, 'us-east-1', deployed.current.table, policy);
    t.proxy.configure({ errorsFor: { AssumeRole: { code: 'AccessDenied', status: 403, message: 'no' } } });
    t.proxy.resetCounts();

    // Act
    const fanned = await fanOut({}, context());
    const run = await store().runs.get(fanned.run_id);

    // Assess
    expect(fanned.failures).toMatchObject([{ account: MEMBER, code: 'AccessDenied' }]);
    expect(run).toMatchObject({ runId: fanned.run_id, source: 'schedule', complete: true });
    expect(run?.targets.length).toBe(fanned.messages);
    expect(new Set(run?.targets.map((x) => x.account))).toEqual(new Set([MOTO_ACCOUNT_ID]));
    expect(run?.failures).toEqual([
      { account: MEMBER, code: 'AccessDenied', message: expect.stringContaining('no') },
    ]);
    expect(t.proxy.counts().PutItem).toBe(1);
  });

  it('reads a run whose parts are not all there as incomplete', async () => {
    // Prepare: a part of two, as a fan-out that died between its writes would leave it
    const { dynamo, runs } = store();
    const runId = newRunId(Date.now());
    const part = {
      pk: 'runs',
      sk: `${runId}#001`,
      run_id: runId,
      started_at: new Date().toISOString(),
      source: 'schedule',
      parts: 2,
      targets: '{"123456789012":"us-east-1"}',
      failures: '[]',
    };
    await dynamo.send(new PutCommand({ TableName: deployed.current.table, Item: part }));

    // Act
    const run = await runs.get(runId);

    // Assess
    expect(run).toMatchObject({
      complete: false,
      targets: [{ account: MOTO_ACCOUNT_ID, region: 'us-east-1' }],
    });
  });

  it('uses the run id a trigger gives when it is one and of now, and its own otherwise', async () => {
    // Prepare
    await pushTestConfig(
      t.moto.endpoint,
      'us-east-1',
      deployed.current.table,
      webPolicy([MOTO_ACCOUNT_ID], ['us-east-1']),
    );
    const given = newRunId(Date.now());

    // Act
    const triggered = await fanOut({ run_id: given }, context());
    const refused = await captureOutput(() => fanOut({ run_id: '20200101T000000Z-abcdef' }, context()));
    const scheduled = await fanOut({}, context());

    // Assess
    expect(triggered.run_id).toBe(given);
    expect((await store().runs.get(given))?.source).toBe('trigger');
    expect(refused.value.run_id).not.toBe('20200101T000000Z-abcdef');
    expect(refused.value.run_id_refused).toContain('its time is more than 15 minutes ago');
    expect(refused.lines.some((l) => l.message === 'run id of the event refused')).toBe(true);
    expect((await store().runs.get(scheduled.run_id))?.source).toBe('schedule');
    expect((await store().runs.since(Date.now() - 60_000)).map((r) => r.runId)).toEqual(
      [triggered.run_id, refused.value.run_id, scheduled.run_id].sort().reverse(),
    );
  });

  it('cuts a run of 3,000 accounts × 17 regions into parts under 400 KB and reads it back whole', async () => {
    // Prepare
    const regions = Array.from({ length: 17 }, (_, i) => `xx-test-${i + 1}`);
    const accounts = Array.from({ length: 3000 }, (_, i) => String(100_000_000_000 + i));
    const entry: RunIndexEntry = {
      runId: newRunId(Date.now()),
      startedAt: new Date().toISOString(),
      source: 'schedule',
      targets: accounts.flatMap((account) => regions.map((region) => ({ account, region }))),
      failures: [{ account: '222222222222', code: 'AccessDenied', message: 'x'.repeat(5000) }],
    };
    const { runs } = store();
    t.proxy.resetCounts();

    // Act
    await runs.put(entry);
    const back = await runs.get(entry.runId);

    // Assess
    // moto refuses an item over 400 KB, as DynamoDB does: two parts of at most 300 KB were written.
    expect(t.proxy.counts().PutItem).toBe(2);
    expect(back?.complete).toBe(true);
    expect(back?.targets).toHaveLength(51_000);
    expect(new Set(back?.targets.map((x) => `${x.account}/${x.region}`)).size).toBe(51_000);
    expect(back?.failures[0]?.message).toHaveLength(500);
    expect((await runs.latest())?.runId).toBe(entry.runId);
  });

  it('records a delivery that found the lease held as skipped, and a later record of the run replaces it', async () => {
    // Prepare: another invocation holds the lease of the target
    await seedWebFleet(t.moto.endpoint, MOTO_ACCOUNT_ID, 'us-east-1');
    await pushTestConfig(
      t.moto.endpoint,
      'us-east-1',
      deployed.current.table,
      webPolicy([MOTO_ACCOUNT_ID], ['us-east-1']),
    );
    const { dynamo } = store();
    const lease = {
      pk: LEASE_PK,
      sk: `${MOTO_ACCOUNT_ID}-us-east-1`,
      owner: 'another-run/another-request',
      acquired_at: Date.now(),
      expires_at_ms: Date.now() + 600_000,
    };
    await dynamo.send(new PutCommand({ TableName: deployed.current.table, Item: lease }));
    const item = {
      account: MOTO_ACCOUNT_ID,
      region: 'us-east-1',
      run_id: newRunId(Date.now()),
      continuation: 0,
    };

    // Act
    await sendWorkItem(deployed.current, item);
    await drainQueue(deployed.current, worker);
    const skipped = await readRunRecords(deployed.current, item.run_id);
    await dynamo.send(
      new PutCommand({ TableName: deployed.current.table, Item: { ...lease, expires_at_ms: 0 } }),
    );
    await sendWorkItem(deployed.current, item);
    await drainQueue(deployed.current, worker);
    const done = await readRunRecords(deployed.current, item.run_id);

    // Assess
    expect(skipped).toMatchObject([
      {
        outcome: 'skipped',
        created: 0,
        failed: 0,
        failures: [{ code: 'lease.held', message: expect.stringContaining('another invocation') }],
      },
    ]);
    expect(done).toMatchObject([{ outcome: 'ok', created: 2 }]);
  });

  it("fails a target of the deployment's own account whose config needs a feature its role lacks, with the fix", async () => {
    // Prepare: deployed for volume snapshots only; a config with stop_instance pushed behind its back
    process.env.EBS_SNAPPER_FEATURES = 'volume-snapshots';
    await seedWebFleet(t.moto.endpoint, MOTO_ACCOUNT_ID, 'us-east-1');
    await seedWebFleet(t.moto.endpoint, MEMBER, 'us-east-1');
    const policy = webPolicy([MOTO_ACCOUNT_ID, MEMBER], ['us-east-1']).replace(
      'schedule: {every: 1 day}',
      'schedule: {every: 1 day}\n    snapshot: {stop_instance: true}',
    );
    await pushTestConfig(t.moto.endpoint, 'us-east-1', deployed.current.table, policy);
    t.proxy.resetCounts();

    // Act
    try {
      const fanned = await fanOut({}, context());
      await drainQueue(deployed.current, worker);
      const records = await readRunRecords(deployed.current, fanned.run_id);
      const notes = await readNotifications(deployed.current);

      // Assess: the own account is failed before any EC2 call; the member's role has every feature
      const own = records.find((r) => r.account === MOTO_ACCOUNT_ID);
      expect(own).toMatchObject({
        outcome: 'failed',
        failures: [
          {
            code: 'deployment.features',
            message: expect.stringMatching(
              /^the deployment's roles do not allow stop_instance: run `ebs-snapper deploy --config FILE` first.*; nothing was done in 123456789012$/,
            ),
          },
        ],
      });
      expect(records.find((r) => r.account === MEMBER)?.outcome).toBe('ok');
      expect(
        notes.some(
          (n) =>
            n.subject.includes(MOTO_ACCOUNT_ID) && JSON.stringify(n.message).includes('deployment.features'),
        ),
      ).toBe(true);
      expect(t.proxy.counts().StopInstances).toBe(2);
    } finally {
      delete process.env.EBS_SNAPPER_FEATURES;
    }
  });
});
