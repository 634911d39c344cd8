/**
 * Runs that follow each other closely (the schedule firing twice, a manual run after the scheduled
 * one) while EC2's DescribeSnapshots does not list the first run's snapshots yet: the second run
 * knows them from the journal of recent creates kept beside the lock file, and makes no second set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteSnapshotCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedDemoFleet } from '../../scripts/demo-fleet.js';
import { MOTO_ACCOUNT_ID } from '../support/moto/moto.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { type CliEnv, runCliJson, workDir, writePolicy } from './cli.js';
import { countBy, ec2Client, policySnapshots } from './fleet.js';

const POLICY = `version: 1
policies:
  - id: web-daily
    select:
      instances:
        tag:Role: web
    schedule:
      every: 1 day
    retention:
      max_age: 1 day
      minimum: 2
`;

const MINUTE = 60_000;
/** Longer than any of these runs takes: the listing shows nothing a run made until the test says so. */
const LAG_MS = 10 * MINUTE;

describe('a run right after another, while the listing lags', () => {
  const t = useMotoBehindProxy();
  let ec2: EC2Client;
  let env: CliEnv;
  let config: string;

  beforeEach(async () => {
    ec2 = ec2Client(t.moto.endpoint);
    await seedDemoFleet(ec2);
    env = { endpoint: t.proxy.endpoint, workDir: workDir() };
    config = writePolicy(env.workDir, POLICY);
    t.proxy.configure({ listingLagMs: LAG_MS });
  });

  /** The snapshot ids in the journal beside the lock file of the account × region. */
  const journal = (): string[] => {
    const path = join(env.workDir, 'locks', `${MOTO_ACCOUNT_ID}-us-east-1.recent.jsonl`);
    if (!existsSync(path)) return [];
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { snapshot_id: string }).snapshot_id)
      .sort();
  };

  it('creates nothing in a second run right after the first, exit 0', async () => {
    // Prepare
    const first = await runCliJson(['run', '-c', config], env);

    // Act
    const second = await runCliJson(['run', '-c', config], env);

    // Assess
    expect(first.code).toBe(0);
    expect(first.json.summary.created).toBe(3);
    expect(second.code).toBe(0);
    expect(second.json.summary.created).toBe(0);
    expect(t.proxy.counts().CreateSnapshot).toBe(3);
    const perVolume = countBy(await policySnapshots(ec2, 'web-daily'), (s) => s.VolumeId!);
    expect(Object.values(perVolume)).toEqual([1, 1, 1]);
    const pending = second.json.actions.filter((a) => a.reason.code === 'protected.pending');
    expect(pending.map((a) => a.snapshot_id).sort()).toEqual(journal());
  });

  it('plans nothing to create right after a run, as the next run would do', async () => {
    // Prepare
    const first = await runCliJson(['run', '-c', config], env);

    // Act
    const planned = await runCliJson(['plan', '-c', config], env);

    // Assess
    expect(first.json.summary.created).toBe(3);
    expect(planned.code).toBe(0);
    expect(planned.json.summary.create).toBe(0);
    expect(planned.json.actions.filter((a) => a.reason.code === 'protected.pending')).toHaveLength(3);
  });

  it('forgets the entries once the listing shows their snapshots', async () => {
    // Prepare: two runs while the listing lags; then the listing catches up
    const first = await runCliJson(['run', '-c', config], env);
    await runCliJson(['run', '-c', config], env);
    const remembered = journal();
    t.proxy.configure({});

    // Act
    const third = await runCliJson(['run', '-c', config], env);

    // Assess
    const made = (first.json.results ?? []).map((r) => r.snapshot_id).sort();
    expect(remembered).toEqual(made);
    expect(third.code).toBe(0);
    expect(third.json.summary.created).toBe(0);
    expect(journal()).toEqual([]);
  });

  it('stops counting on a snapshot that never shows up (deleted by a person) once the entry is an hour old', async () => {
    // Prepare: one of the first run's snapshots is deleted by hand before any listing shows it
    const first = await runCliJson(['run', '-c', config], env);
    const [gone, ...kept] = (first.json.results ?? []).map((r) => r.snapshot_id!);
    await ec2.send(new DeleteSnapshotCommand({ SnapshotId: gone }));
    t.proxy.configure({});
    const at = (minutes: number) => new Date(Date.now() + minutes * MINUTE).toISOString();

    // Act
    const within = await runCliJson(['run', '-c', config, '--now', at(30)], env);
    const past = await runCliJson(['run', '-c', config, '--now', at(61)], env);

    // Assess: within the hour the entry still stands for the snapshot; after it, the volume is due again
    expect(within.code).toBe(0);
    expect(within.json.summary.created).toBe(0);
    expect(past.code).toBe(0);
    expect(past.json.summary.created).toBe(1);
    const volumeOfGone = first.json.results?.find((r) => r.snapshot_id === gone)?.volume_id;
    expect(past.json.results?.map((r) => r.volume_id)).toEqual([volumeOfGone]);
    expect(kept).toHaveLength(2);
    expect(journal()).toEqual(past.json.results?.map((r) => r.snapshot_id));
  });
});
