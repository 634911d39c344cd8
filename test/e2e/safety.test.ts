/**
 * The safety contract end to end: bad input changes nothing, the guard trips, throttling is
 * absorbed, and a run killed midway is finished by the next without duplicates.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeVolumesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import type { DemoFleet } from '../../scripts/demo-fleet.js';
import { runCli, runCliJson, startCli, writePolicy } from './cli.js';
import { countBy, policySnapshots, snapshotByHand, tagsOf } from './fleet.js';
import { useDemoFleetBehindProxy } from './harness.js';

const ALL_RUNNING = `version: 1
policies:
  - id: everything
    select:
      instances:
        instance-state-name: running
    schedule:
      every: 1 day
    retention:
      max_age: 1 day
      minimum: 1
`;

const MUTATING = ['CreateSnapshot', 'CreateSnapshots', 'DeleteSnapshot', 'CreateTags', 'DeleteTags'];

describe('safety, end to end', () => {
  const t = useDemoFleetBehindProxy();

  it('a bad policy file exits 1 naming the path and the bad value, and makes no AWS call at all', async () => {
    // Prepare
    const config = writePolicy(t.env.workDir, ALL_RUNNING.replace('max_age: 1 day', 'max_age: 4 dayz'));

    // Act
    const result = await runCli(['run', '-c', config], t.env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('policies[0].retention.max_age: "4 dayz" is not a duration');
    expect(Object.values(t.proxy.counts()).reduce((a, b) => a + b, 0)).toBe(0);
    for (const action of MUTATING) expect(t.proxy.counts()[action] ?? 0).toBe(0);
  });

  it.each([
    ['a 50 MB policy file', (dir: string) => bigFile(dir), [], /too big for a policy file/],
    ['a policy file that is not UTF-8', (dir: string) => latin1File(dir), [], /not valid UTF-8/],
    [
      '--now on a day that does not exist',
      (dir: string) => writePolicy(dir, ALL_RUNNING),
      ['--now', '2027-02-30'],
      /--now: "2027-02-30" is not a date and time that exists/,
    ],
    [
      'an --out path that cannot be written',
      (dir: string) => writePolicy(dir, ALL_RUNNING),
      ['--out', '/no/such/dir/plan.json'],
      /--out: cannot write \/no\/such\/dir\/plan\.json/,
    ],
  ] as const)('%s exits 1 at once and makes no AWS call', async (_, makeConfig, extra, message) => {
    // Prepare
    const config = makeConfig(t.env.workDir);

    // Act
    const result = await runCli(['run', '-c', config, ...extra], t.env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(Object.values(t.proxy.counts()).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('the guard trips with exit 1: no delete in that account × region, creates still happen', async () => {
    // Prepare: three old snapshots of one volume, minimum 1 → two deletes wanted, limit 1
    const config = writePolicy(
      t.env.workDir,
      ALL_RUNNING.replace('policies:', 'settings:\n  guard:\n    max_deletes: 1\npolicies:'),
    );
    const [volume] = (await webVolumes(t.ec2, t.fleet)).slice(0, 1);
    for (let i = 0; i < 3; i++) {
      await snapshotByHand(t.ec2, volume!, {
        'ebs-snapper:policy': 'everything',
        'ebs-snapper:volume-id': volume!,
      });
    }
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString();

    // Act
    const result = await runCliJson(['run', '-c', config, '--now', later], t.env);

    // Assess
    expect(result.code).toBe(1);
    expect(t.proxy.counts().DeleteSnapshot ?? 0).toBe(0);
    expect(result.json.summary.created).toBe(6);
    expect(result.json.actions.filter((a) => a.reason.code === 'guard.max-deletes')).toHaveLength(2);
    expect(result.stderr + result.stdout).toMatch(/guard/);
  });

  it('DescribeImages refused: snapshots are still taken, nothing is deleted, exit 1 naming DescribeImages', async () => {
    // Prepare: three old snapshots of one volume, minimum 1 → two deletes wanted, but AMIs cannot be read
    const config = writePolicy(t.env.workDir, ALL_RUNNING);
    const [volume] = (await webVolumes(t.ec2, t.fleet)).slice(0, 1);
    for (let i = 0; i < 3; i++) {
      await snapshotByHand(t.ec2, volume!, {
        'ebs-snapper:policy': 'everything',
        'ebs-snapper:volume-id': volume!,
      });
    }
    t.proxy.configure({ errorsFor: { DescribeImages: { code: 'UnauthorizedOperation', status: 403 } } });
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString();

    // Act
    const result = await runCliJson(['run', '-c', config, '--now', later], t.env);
    const text = await runCli(['plan', '-c', config, '--now', later], t.env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.json.summary.created).toBe(6);
    expect(t.proxy.counts().DeleteSnapshot ?? 0).toBe(0);
    expect(result.json.actions.filter((a) => a.reason.code === 'guard.unverified')).toHaveLength(2);
    expect(JSON.stringify(result.json)).toContain('DescribeImages: UnauthorizedOperation');
    expect(text.code).toBe(1);
    expect(text.stdout + text.stderr).toMatch(/deletes held .*DescribeImages: UnauthorizedOperation/);
  });

  it('30% injected RequestLimitExceeded still finishes with 0 failures', async () => {
    // Prepare
    const config = writePolicy(t.env.workDir, ALL_RUNNING);
    t.proxy.configure({ throttleRate: 0.3 });

    // Act
    const result = await runCliJson(['run', '-c', config], t.env);

    // Assess
    expect(result.code).toBe(0);
    expect(result.json.summary.failed).toBe(0);
    expect(result.json.summary.created).toBe(6);
    expect(Object.values(t.proxy.faultCounts()).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(await policySnapshots(t.ec2, 'everything')).toHaveLength(6);
  });

  it('30% throttling, 5% HTTP 500 and half of the DeleteSnapshot and CreateSnapshot answers lost: the run finishes exact, exit 0', {
    timeout: 180_000,
  }, async () => {
    // Prepare: a first run, then two older snapshots per volume by hand; three days later the
    // newest stays (minimum 1), two go per volume, and each volume gets one new snapshot.
    const config = writePolicy(
      t.env.workDir,
      ALL_RUNNING.replace('policies:', 'settings:\n  regions: [us-east-1]\npolicies:'),
    );
    await runCli(['run', '-c', config], t.env);
    const volumes = (await policySnapshots(t.ec2, 'everything')).map((s) => s.VolumeId!).sort();
    for (const volume of volumes) {
      for (let i = 0; i < 2; i++) {
        await snapshotByHand(t.ec2, volume, {
          'ebs-snapper:policy': 'everything',
          'ebs-snapper:volume-id': volume,
        });
      }
    }
    const before = new Set((await policySnapshots(t.ec2, 'everything')).map((s) => s.SnapshotId!));
    t.proxy.configure({
      throttleRate: 0.3,
      errorRate: 0.05,
      loseAnswers: { DeleteSnapshot: 0.5, CreateSnapshot: 0.5 },
      seed: 7,
    });
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString();

    // Act: one call at a time, so each action meets the same seeded faults on every run
    const result = await runCliJson(['run', '-c', config, '--now', later, '--concurrency', '1'], t.env);

    // Assess
    const planned = (action: string) => result.json.actions.filter((a) => a.action === action);
    const deletes = planned('delete').map((a) => a.snapshot_id!);
    expect(result.json.results?.filter((r) => r.status !== 'done')).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.json.summary).toMatchObject({ created: 6, deleted: 12, failed: 0 });
    expect(deletes).toHaveLength(12);
    const after = await policySnapshots(t.ec2, 'everything');
    const left = new Set(after.map((s) => s.SnapshotId!));
    expect(deletes.filter((id) => left.has(id))).toEqual([]);
    expect([...before].filter((id) => !left.has(id)).sort()).toEqual([...deletes].sort());
    const made = after.filter((s) => !before.has(s.SnapshotId!));
    expect(made.map((s) => s.VolumeId!).sort()).toEqual(volumes);
    expect(new Set(made.map((s) => tagsOf(s)['ebs-snapper:run-id'])).size).toBe(1);
    // Answers were lost indeed: more calls than actions, and every lost delete was asked again.
    expect(t.proxy.counts().DeleteSnapshot).toBeGreaterThan(12);
    expect(t.proxy.counts().CreateSnapshot).toBeGreaterThanOrEqual(6);
    expect(t.proxy.faultCounts().DeleteSnapshot).toBeGreaterThan(0);
    expect(t.proxy.faultCounts().CreateSnapshot).toBeGreaterThan(0);
  });

  it('a lost CreateSnapshot answer whose snapshot shows in listings 3 s later is not made twice', async () => {
    // Prepare: the first create is carried out but answered 500; DescribeSnapshots lags creates by 3 s
    const config = writePolicy(t.env.workDir, ALL_RUNNING);
    t.proxy.configure({
      listingLagMs: 3_000,
      errorsFor: { CreateSnapshot: { code: 'InternalError', status: 500, times: 1, afterForward: true } },
    });

    // Act
    const result = await runCliJson(['run', '-c', config, '--concurrency', '1'], t.env);

    // Assess: it looked again with backoff (after 1 s: not listed yet) instead of creating it again
    expect(result.code).toBe(0);
    expect(t.proxy.faultCounts().CreateSnapshot).toBe(1);
    expect(t.proxy.counts().CreateSnapshot).toBe(6);
    expect(t.proxy.counts().DescribeSnapshots).toBeGreaterThanOrEqual(2);
    const perVolume = countBy(await policySnapshots(t.ec2, 'everything'), (s) => s.VolumeId!);
    expect(Object.values(perVolume)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('a run killed with SIGKILL midway, then a second run, leaves exactly one new snapshot per due volume', async () => {
    // Prepare: slow calls so the first run is still creating when it is killed
    const config = writePolicy(t.env.workDir, ALL_RUNNING);
    t.proxy.configure({ delayMs: 400 });
    const first = startCli(['run', '-c', config, '--concurrency', '1'], t.env);
    await waitFor(() => (t.proxy.counts().CreateSnapshot ?? 0) >= 2);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.on('close', resolve));
    // The create the first run had sent still reaches EC2 after the kill. A second run whose listing
    // comes before it lands cannot know of it (no answer, nothing journaled: docs/reliability.md
    // names that window); this test is of the run after it, once EC2 has carried out what it got.
    await waitFor(() => t.proxy.inFlight() === 0);
    const madeByFirst = (await policySnapshots(t.ec2, 'everything')).length;
    t.proxy.configure({});

    // Act
    const second = await runCliJson(['run', '-c', config], t.env);

    // Assess
    expect(madeByFirst).toBeGreaterThan(0);
    expect(madeByFirst).toBeLessThan(6);
    expect(second.code).toBe(0);
    const perVolume = countBy(await policySnapshots(t.ec2, 'everything'), (s) => s.VolumeId!);
    expect(Object.keys(perVolume)).toHaveLength(6);
    expect(Object.values(perVolume).every((n) => n === 1)).toBe(true);
  });
});

async function webVolumes(ec2: EC2Client, fleet: DemoFleet): Promise<string[]> {
  const response = await ec2.send(
    new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [...fleet.web] }] }),
  );
  return (response.Volumes ?? []).map((v) => v.VolumeId!).sort();
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** 50 MB of unknown keys: refused by size before it is parsed. */
function bigFile(dir: string): string {
  const path = join(dir, 'big.yaml');
  writeFileSync(path, `version: 1\n${'unknown_key: 1\n'.repeat(3_500_000)}`);
  return path;
}

/** A selector written in Latin-1: "Büro" is not UTF-8. */
function latin1File(dir: string): string {
  const path = join(dir, 'latin1.yaml');
  writeFileSync(path, Buffer.from(ALL_RUNNING.replace('running', 'B\xfcro'), 'latin1'));
  return path;
}
