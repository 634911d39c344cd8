/**
 * The tool's main job, end to end: the built CLI against moto over HTTP, through the proxy
 * (which answers DescribeLockedSnapshots, as moto does not).
 * First run, second run, a run two days later, and what must survive.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedDemoFleet } from '../../scripts/demo-fleet.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { type CliEnv, runCli, runCliJson, workDir, writePolicy } from './cli.js';
import {
  countBy,
  ec2Client,
  imageSnapshotOf,
  listSnapshots,
  policySnapshots,
  snapshotByHand,
  tagsOf,
} from './fleet.js';

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
    snapshot:
      tags: {Backup: "{policy}-{date}"}
`;

const DAY = 86_400_000;

describe('ebs-snapper run against a local AWS', () => {
  const t = useMotoBehindProxy();
  let ec2: EC2Client;
  let env: CliEnv;
  let config: string;
  let web: readonly string[];

  beforeEach(async () => {
    ec2 = ec2Client(t.moto.endpoint);
    web = (await seedDemoFleet(ec2)).web;
    env = { endpoint: t.proxy.endpoint, workDir: workDir() };
    config = writePolicy(env.workDir, POLICY);
  });

  it('first run snapshots every selected volume once, with the full tag set at creation, and nothing else', async () => {
    // Act
    const result = await runCliJson(['run', '-c', config], env);

    // Assess
    expect(result.code).toBe(0);
    const ours = await policySnapshots(ec2, 'web-daily');
    expect(ours).toHaveLength(3);
    expect(new Set(ours.map((s) => s.VolumeId)).size).toBe(3);
    expect((await listSnapshots(ec2)).length).toBe(3);
    for (const snapshot of ours) {
      const tags = tagsOf(snapshot);
      expect(tags['ebs-snapper:volume-id']).toBe(snapshot.VolumeId);
      expect(web).toContain(tags['ebs-snapper:instance-id']);
      expect(tags['ebs-snapper:device']).toBe('/dev/sda1');
      expect(tags['ebs-snapper:run-id']).toMatch(/\S+/);
      expect(Date.parse(tags['ebs-snapper:expires-at'] ?? '')).toBeGreaterThan(Date.now());
      expect(tags.Role).toBe('web');
      expect(tags.Backup).toMatch(/^web-daily-\d{4}-\d\d-\d\d$/);
    }
    expect(result.json.summary.created).toBe(3);
    expect(result.json.summary.failed).toBe(0);
  });

  it('an immediate second run creates nothing and plan --detailed-exitcode says no changes', async () => {
    // Prepare
    await runCli(['run', '-c', config], env);

    // Act
    const second = await runCliJson(['run', '-c', config], env);
    const plan = await runCli(['plan', '-c', config, '--detailed-exitcode'], env);

    // Assess
    expect(second.code).toBe(0);
    expect(second.json.summary.created).toBe(0);
    expect(second.json.actions.filter((a) => a.action === 'skip').map((a) => a.reason.code)).toEqual([
      'not-due',
      'not-due',
      'not-due',
    ]);
    expect(plan.code).toBe(0);
    expect(await policySnapshots(ec2, 'web-daily')).toHaveLength(3);
  });

  it('two days later it creates the next snapshots and deletes expired ones down to the minimum', async () => {
    // Prepare: one run now, and two earlier snapshots per volume as an earlier run would have left them
    await runCli(['run', '-c', config], env);
    for (const snapshot of await policySnapshots(ec2, 'web-daily')) {
      for (let i = 0; i < 2; i++) {
        await snapshotByHand(ec2, snapshot.VolumeId!, {
          'ebs-snapper:policy': 'web-daily',
          'ebs-snapper:volume-id': snapshot.VolumeId!,
        });
      }
    }
    const later = new Date(Date.now() + 2 * DAY).toISOString();

    // Act
    const result = await runCliJson(['run', '-c', config, '--now', later], env);

    // Assess: 3 old per volume, minimum 2 → 1 deleted per volume; 1 new per volume
    expect(result.code).toBe(0);
    expect(result.json.summary.created).toBe(3);
    expect(result.json.summary.deleted).toBe(3);
    const perVolume = countBy(await policySnapshots(ec2, 'web-daily'), (s) => s.VolumeId!);
    expect(Object.values(perVolume)).toEqual([3, 3, 3]);
    expect(result.json.actions.filter((a) => a.action === 'delete').map((a) => a.reason.code)).toEqual([
      'retention.expired',
      'retention.expired',
      'retention.expired',
    ]);
  });

  it('snapshots made by hand or by another policy survive unlisted, and an AMI-backed one is kept as protected.ami', async () => {
    // Prepare
    await runCli(['run', '-c', config], env);
    const [first] = await policySnapshots(ec2, 'web-daily');
    const volume = first!.VolumeId!;
    const byHand = await snapshotByHand(ec2, volume);
    const otherPolicy = await snapshotByHand(ec2, volume, { 'ebs-snapper:policy': 'someone-else' });
    const backsImage = await imageSnapshotOf(ec2, tagsOf(first!)['ebs-snapper:instance-id']!, 'web-daily');
    const muchLater = new Date(Date.now() + 30 * DAY).toISOString();

    // Act
    const result = await runCliJson(['run', '-c', config, '--now', muchLater, '-v'], env);

    // Assess
    expect(result.code).toBe(0);
    const remaining = new Set((await listSnapshots(ec2)).map((s) => s.SnapshotId));
    expect(remaining.has(byHand)).toBe(true);
    expect(remaining.has(otherPolicy)).toBe(true);
    expect(remaining.has(backsImage)).toBe(true);
    const reasons = Object.fromEntries(
      result.json.actions.filter((a) => a.snapshot_id).map((a) => [a.snapshot_id, a.reason.code]),
    );
    expect(reasons[backsImage]).toBe('protected.ami');
    // Collection asks only for the configured policies' snapshots: the others are never listed.
    expect(reasons[byHand]).toBeUndefined();
    expect(reasons[otherPolicy]).toBeUndefined();
  });

  describe('one clock: --now dates the run, its snapshots and its plan', () => {
    const atSecond = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();
    const stampOf = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');

    it.each([
      ['three days ahead', 3 * DAY],
      ['the present', 0],
    ])('run --now T twice (T %s): the second run creates nothing and deletes nothing', async (_, ahead) => {
      // Prepare
      const at = atSecond(Date.now() + ahead);
      const first = await runCliJson(['run', '-c', config, '--now', at], env);

      // Act
      const second = await runCliJson(['run', '-c', config, '--now', at], env);

      // Assess
      expect(first.code).toBe(0);
      expect(first.json.summary.created).toBe(3);
      expect(second.code).toBe(0);
      expect(second.json.summary.created).toBe(0);
      expect(second.json.summary.deleted).toBe(0);
      expect(second.json.actions.filter((a) => a.action === 'skip').map((a) => a.reason.code)).toEqual([
        'not-due',
        'not-due',
        'not-due',
      ]);
      const ours = await policySnapshots(ec2, 'web-daily');
      expect(ours).toHaveLength(3);
      for (const snapshot of ours) expect(tagsOf(snapshot)['ebs-snapper:run-id']).toMatch(`${stampOf(at)}-`);
    });

    it('run --now T, then run --now T + 1 hour with a daily policy, creates nothing the second time', async () => {
      // Prepare
      const at = Date.now() + 2 * DAY;
      await runCli(['run', '-c', config, '--now', atSecond(at)], env);

      // Act
      const later = await runCliJson(['run', '-c', config, '--now', atSecond(at + 3_600_000)], env);

      // Assess
      expect(later.code).toBe(0);
      expect(later.json.summary.created).toBe(0);
      expect(later.json.summary.deleted).toBe(0);
      expect(await policySnapshots(ec2, 'web-daily')).toHaveLength(3);
    });

    it('a run dated days ahead does not hold back the real schedule: a run a day later, before that date, snapshots again', async () => {
      // Prepare
      await runCli(['run', '-c', config, '--now', atSecond(Date.now() + 5 * DAY)], env);

      // Act
      const nextDay = await runCliJson(
        ['run', '-c', config, '--now', atSecond(Date.now() + DAY + 60_000)],
        env,
      );

      // Assess
      expect(nextDay.code).toBe(0);
      expect(nextDay.json.summary.created).toBe(3);
    });
  });

  it('in a pipe, a text run says what it made: a line per snapshot, each one EC2 has, then the totals', async () => {
    // Act
    const result = await runCli(['run', '-c', config], env);

    // Assess
    expect(result.code).toBe(0);
    const made = [
      ...result.stdout.matchAll(/^ {2}done {6}\d{12}\/us-east-1 {2}create web-daily (snap-\w+) vol-\w+$/gm),
    ];
    const ours = (await policySnapshots(ec2, 'web-daily')).map((s) => s.SnapshotId);
    expect(made.map((m) => m[1]).sort()).toEqual([...ours].sort());
    expect(made).toHaveLength(3);
    const [plan, run] = result.stdout.trimEnd().split('\n').slice(-2);
    // Every region moto has enabled is planned (the policy names none).
    expect(plan).toMatch(/^Plan: 3 to create, 0 to delete, 0 kept, 0 not due \(\d+ accounts × regions\)\.$/);
    expect(run).toBe('Run: 3 created, 0 deleted, 0 failed, 0 deferred, 0 skipped.');
  });

  it('plan prints a terraform-style plan with a summary line and changes nothing', async () => {
    // Act
    const result = await runCli(['plan', '-c', config, '--detailed-exitcode'], env);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/\+ create\s+web-daily\s+vol-/);
    expect(result.stdout).toMatch(/due\.first/);
    expect(result.stdout).toMatch(/^Plan: 3 to create, 0 to delete/m);
    expect(await listSnapshots(ec2)).toHaveLength(0);
  });
});
