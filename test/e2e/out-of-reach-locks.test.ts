/**
 * `snapshot.lock` end to end (SPEC §14): the built CLI against moto behind the fault proxy, whose
 * snapshot-lock emulation answers LockSnapshot and DescribeLockedSnapshots and refuses deleting a
 * locked snapshot (moto has no locks).
 */
import { CreateVolumeCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordToTags } from '../../src/aws/ec2-mappers.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { createCallers } from '../support/proxy/caller.js';
import { createSnapshotLockEmulator, type SnapshotLockEmulator } from '../support/proxy/snapshot-locks.js';
import { type CliEnv, runCliJson, workDir, writePolicy } from './cli.js';
import { ec2Client, policySnapshots, tagsOf } from './fleet.js';

const DAY = 86_400_000;

const POLICY = `version: 1
settings: {regions: [us-east-1]}
policies:
  - id: db
    select: {volumes: {tag:Backup: db}}
    schedule: {every: 1 day}
    retention: {max_age: 7 days, minimum: 1}
    snapshot:
      lock: {mode: compliance, until: expiry, cool_off: 24h}
`;

async function createVolumes(ec2: EC2Client, count: number): Promise<void> {
  for (let n = 0; n < count; n++)
    await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 1,
        TagSpecifications: [{ ResourceType: 'volume', Tags: recordToTags({ Backup: 'db' }) }],
      }),
    );
}

const at = (ms: number) => ['--now', new Date(ms).toISOString()];

describe('snapshot locks against a local AWS', () => {
  const t = useMotoBehindProxy();
  let ec2: EC2Client;
  let env: CliEnv;
  let locks: SnapshotLockEmulator;

  beforeEach(async () => {
    ec2 = ec2Client(t.moto.endpoint);
    env = { endpoint: t.proxy.endpoint, workDir: workDir() };
    locks = createSnapshotLockEmulator(createCallers(t.moto.endpoint));
    t.proxy.configure({ emulations: [locks] });
    await createVolumes(ec2, 2);
  });

  it('locks each new snapshot until its expires-at, in the mode and with the cool-off the policy gives', async () => {
    // Prepare
    const config = writePolicy(env.workDir, POLICY);

    // Act
    const run = await runCliJson(['run', '-c', config], env);

    // Assess
    expect(run.code).toBe(0);
    const snapshots = await policySnapshots(ec2, 'db');
    expect(snapshots).toHaveLength(2);
    const held = locks.locks();
    expect(held).toHaveLength(2);
    for (const s of snapshots) {
      const lock = held.find((l) => l.snapshotId === s.SnapshotId);
      expect(lock?.mode).toBe('compliance');
      expect(lock?.coolOffHours).toBe(24);
      expect(lock?.expiresOn.toISOString()).toBe(tagsOf(s)['ebs-snapper:expires-at']);
    }
    const creates = run.json.actions.filter((a) => a.action === 'create') as unknown as {
      lock: { mode: string; until: string; cool_off_hours: number };
    }[];
    expect(creates.map((a) => a.lock.mode)).toEqual(['compliance', 'compliance']);
    const lockResults = (run.json.results ?? []).filter((r) => r.action === 'lock');
    expect(lockResults.map((r) => r.status)).toEqual(['done', 'done']);
  });

  it('keeps a snapshot whose lock was refused, and the next run locks it (lock.missing)', async () => {
    // Prepare: every LockSnapshot of the first run is refused
    const config = writePolicy(env.workDir, POLICY);
    t.proxy.configure({
      emulations: [locks],
      errorsFor: { LockSnapshot: { code: 'IncorrectState', status: 400, times: 2, message: 'not now' } },
    });
    const first = await runCliJson(['run', '-c', config], env);
    t.proxy.configure({ emulations: [locks] });

    // Act
    const second = await runCliJson(['run', '-c', config, ...at(Date.now() + 60_000)], env);

    // Assess
    expect(first.code).toBe(1);
    expect((first.json.results ?? []).filter((r) => r.action === 'lock').map((r) => r.status)).toEqual([
      'failed',
      'failed',
    ]);
    const snapshots = await policySnapshots(ec2, 'db');
    expect(snapshots).toHaveLength(2);
    expect(second.code).toBe(0);
    const planned = second.json.actions.filter((a) => (a.action as string) === 'lock');
    expect(planned.map((a) => a.reason.code)).toEqual(['lock.missing', 'lock.missing']);
    expect(new Set(planned.map((a) => a.snapshot_id))).toEqual(new Set(snapshots.map((s) => s.SnapshotId)));
    for (const s of snapshots)
      expect(
        locks
          .locks()
          .find((l) => l.snapshotId === s.SnapshotId)
          ?.expiresOn.toISOString(),
      ).toBe(tagsOf(s)['ebs-snapper:expires-at']);
  });

  it('never plans a delete of a locked snapshot before its lock ends', async () => {
    // Prepare: a run, then a plan after max_age (7 days) while the locks still hold (the emulation's clock)
    const config = writePolicy(env.workDir, POLICY.replace('minimum: 1', 'minimum: 0'));
    await runCliJson(['run', '-c', config], env);

    // Act
    const plan = await runCliJson(['plan', '-c', config, ...at(Date.now() + 10 * DAY)], env);

    // Assess
    expect(plan.json.actions.filter((a) => a.action === 'delete')).toEqual([]);
    const keeps = plan.json.actions.filter((a) => a.action === 'keep');
    expect(keeps.map((a) => a.reason.code)).toEqual(['protected.locked', 'protected.locked']);
  });
});
