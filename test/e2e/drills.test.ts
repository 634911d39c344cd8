/**
 * Restore drills through the built CLI against moto and the fault proxy (which answers
 * DescribeVolumeStatus, holds volumes in `creating`, and plays SSM Run Command): a run starts a
 * drill and a later run finishes it; a volume that never becomes available fails at its timeout
 * and is cleaned up; the CLI killed (SIGKILL) right after each step of an `ssm` drill leaves
 * nothing that later runs do not finish, with one result; a failing command; a snapshot under drill
 * that retention expires; `report --fail-on unverified`; and every call allowed by `iam-policy -c`.
 */
import { DescribeSnapshotsCommand, DescribeVolumesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { launchInstances } from '../../scripts/seed-ec2.js';
import { notAllowed, type PrintedStatement } from '../support/iam-match.js';
import { createTopicInbox, readNotifications } from '../support/moto/deployment.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { createSsmEmulator, type SsmOutcome } from '../support/proxy/ssm.js';
import { createVolumeStatusEmulator, holdCreating } from '../support/proxy/volume-status.js';
import { type CliEnv, runCli, runCliJson, startCli, workDir, writePolicy } from './cli.js';
import { ec2Client, tagsOf } from './fleet.js';

const DAY = 86_400_000;
// moto dates snapshots by the real clock: the runs' --now starts there.
const T0 = Math.floor(Date.now() / 1000) * 1000;
const at = (ms: number) => new Date(ms).toISOString();

interface DrillJson {
  status: string;
  snapshot_id: string;
  drill_volume_id: string | null;
  detail: string | null;
  error?: { code: string; message: string };
}
type RunJson = {
  drills: DrillJson[];
  actions: { action: string; snapshot_id?: string; reason: { code: string } }[];
};

const policyText = (drill: string, extra = '') => `version: 1
settings: {regions: [us-east-1]${extra}}
policies:
  - id: web
    select: {instance_names: [web-1], exclude: {boot_volume: true}}
    schedule: {every: 1 day}
    retention: {max_age: 2 days, minimum: 1}
    drill: ${drill}
`;

describe('restore drills through the CLI', () => {
  const t = useMotoBehindProxy();

  /** web-1 with a data volume, a drill host, and one run at T0 that made the first snapshot. */
  async function estate(drill: string, extra = '') {
    const ec2 = ec2Client(t.moto.endpoint);
    const [web] = await launchInstances(ec2, {
      count: 1,
      name: 'web-1',
      tags: {},
      devices: ['/dev/sda1', '/dev/sdf'],
    });
    const [host] = await launchInstances(ec2, {
      count: 1,
      name: 'drill-host',
      tags: { Role: 'drill-host' },
      devices: ['/dev/sda1'],
    });
    const env: CliEnv = { endpoint: t.proxy.endpoint, workDir: workDir() };
    const config = writePolicy(env.workDir, policyText(drill, extra));
    const first = await runCliJson(['run', '-c', config, '--now', at(T0)], env);
    expect(first.code, first.stderr).toBe(0);
    return { ec2, env, config, data: web!.volumes[1]!, host: host!.instanceId };
  }

  it('starts a drill in one run and finishes it in the next: volume gone, snapshot tagged passed; iam-policy -c allows it all', async () => {
    // Prepare
    const { ec2, env, config } = await estate('{every: 30 days}');
    t.proxy.resetCounts();

    // Act
    const plan = await runCli(['plan', '-c', config, '--now', at(T0 + DAY)], env);
    const start = await runCliJson<RunJson>(['run', '-c', config, '--now', at(T0 + DAY)], env);
    const volumes = await drillVolumes(ec2);
    const finish = await runCliJson<RunJson>(['run', '-c', config, '--now', at(T0 + DAY + 3_600_000)], env);
    const again = await runCliJson<RunJson>(['run', '-c', config, '--now', at(T0 + 2 * DAY)], env);
    const printed = await runCli(['iam-policy', '-c', config], env);

    // Assess
    expect(plan.stdout).toMatch(/\+ drill +web +snap-\w+ of vol-\w+ +drill\.first/);
    expect(start.code, start.stderr).toBe(0);
    const drilled = start.json.drills[0]!.snapshot_id;
    expect(start.json.drills).toEqual([expect.objectContaining({ status: 'started', snapshot_id: drilled })]);
    expect(volumes).toEqual([expect.objectContaining({ SnapshotId: drilled, VolumeType: 'gp3' })]);
    expect(finish.code, finish.stderr).toBe(0);
    expect(finish.json.drills).toEqual([
      expect.objectContaining({ status: 'passed', detail: 'available ≤3600s' }),
    ]);
    expect(await drillVolumes(ec2)).toEqual([]);
    expect(await drillTags(ec2, drilled)).toEqual({
      'ebs-snapper:drill-result': 'passed',
      // The run's clock: its --now, moved on by the moments the run took
      'ebs-snapper:drill-at': expect.stringMatching(at(T0 + DAY + 3_600_000).slice(0, 16)),
      'ebs-snapper:drill-detail': 'available ≤3600s',
      'ebs-snapper:drill-volume': volumes[0]!.VolumeId,
    });
    expect(again.json.drills).toEqual([]);
    const statements = (JSON.parse(printed.stdout) as { Statement: PrintedStatement[] }).Statement;
    expect(t.proxy.iamActions()).toEqual(
      expect.arrayContaining(['ec2:CreateVolume', 'ec2:DeleteVolume', 'ec2:CreateTags']),
    );
    expect(notAllowed(t.proxy.iamActions(), statements)).toEqual([]);
  });

  it('fails a volume that never becomes available at its timeout: deleted, exit 1, notified', async () => {
    // Prepare
    const inbox = await createTopicInbox(t.proxy.endpoint, 'us-east-1', `drills-${process.pid}`);
    const { ec2, env, config } = await estate(
      '{every: 30 days, timeout: 30m}',
      `, notify: {sns_topic_arn: "${inbox.topicArn}", on: [failure]}`,
    );
    t.proxy.configure({ emulations: [holdCreating()] });

    // Act
    const start = await runCliJson<RunJson>(['run', '-c', config, '--now', at(T0 + DAY)], env);
    const waiting = await runCliJson<RunJson>(['run', '-c', config, '--now', at(T0 + DAY + 600_000)], env);
    const late = await runCliJson<RunJson>(['run', '-c', config, '--now', at(T0 + DAY + 3_600_000)], env);
    const notes = await readNotifications(inbox);

    // Assess
    expect(start.code, start.stderr).toBe(0);
    expect(waiting.json.drills).toEqual([expect.objectContaining({ status: 'in-flight' })]);
    expect(late.code).toBe(1);
    expect(late.json.drills).toEqual([
      expect.objectContaining({
        status: 'failed',
        error: expect.objectContaining({ code: 'drill.timeout' }),
      }),
    ]);
    expect(await drillVolumes(ec2)).toEqual([]);
    const drilled = start.json.drills[0]!.snapshot_id;
    expect(await drillTags(ec2, drilled)).toMatchObject({
      'ebs-snapper:drill-result': 'failed',
      'ebs-snapper:drill-detail': 'timeout 1800s: still creating',
    });
    expect(notes.map((n) => n.subject)).toEqual(['ebs-snapper: failure in 123456789012 us-east-1']);
    expect(JSON.stringify(notes[0]!.message)).toContain('drill.timeout');
  });

  it('fails an ssm drill whose command fails, with its exit code in drill-detail', async () => {
    // Prepare
    const { ec2, env, config, host } = await estate(
      '{every: 30 days, check: ssm, host: {tags: {Role: drill-host}}, commands: ["fsck -n $DRILL_DEVICE"]}',
    );
    const ssm = createSsmEmulator({
      instances: {
        [host]: { outcomes: [{ status: 'Failed', exitCode: 8, stderr: 'Bad magic number in super-block' }] },
      },
    });
    t.proxy.configure({ emulations: [ssm, createVolumeStatusEmulator()] });

    // Act
    const drill = await runCliJson<{ drills: DrillJson[] }>(
      ['drill', '-c', config, '--now', at(T0 + DAY)],
      env,
    );

    // Assess
    expect(drill.code, drill.stderr).toBe(1);
    expect(drill.stderr).toMatch(/command .* sent to i-/);
    const [result] = drill.json.drills;
    expect(result).toMatchObject({ status: 'failed', error: { code: 'drill.ssm' } });
    expect(await drillTags(ec2, result!.snapshot_id)).toMatchObject({ 'ebs-snapper:drill-result': 'failed' });
    expect((await drillTags(ec2, result!.snapshot_id))['ebs-snapper:drill-detail']).toMatch(
      /ssm exit 8 \d+s: Bad magic number in super-block$/,
    );
    expect(ssm.sent()[0]!.parameters.commands!.at(-1)).toBe('fsck -n $DRILL_DEVICE');
    expect(await drillVolumes(ec2)).toEqual([]);
  });

  it('keeps a snapshot under drill that retention expires meanwhile, and deletes it once the drill is over', async () => {
    // Prepare: initialization takes longer than retention keeps the drilled snapshot
    const { ec2, env, config } = await estate('{every: 30 days, check: initialized, timeout: 7 days}');
    t.proxy.configure({ emulations: [createVolumeStatusEmulator({ initializingLooks: 1 })] });
    const start = await runCliJson<RunJson>(['run', '-c', config, '--now', at(T0 + DAY)], env);
    const drilled = start.json.drills[0]!.snapshot_id;

    // Act: four days later, max_age 2 days has passed for it and newer snapshots fill the minimum
    const held = await runCliJson<RunJson>(['run', '-c', config, '--now', at(T0 + 5 * DAY)], env);
    const ended = await runCliJson<RunJson>(['run', '-c', config, '--now', at(T0 + 6 * DAY)], env);
    const after = await runCliJson<RunJson>(['run', '-c', config, '--now', at(T0 + 7 * DAY)], env);

    // Assess
    expect(held.json.actions.find((a) => a.action === 'keep' && a.snapshot_id === drilled)?.reason.code).toBe(
      'protected.drill',
    );
    expect(ended.json.drills).toEqual([expect.objectContaining({ status: 'passed' })]);
    expect(after.code, after.stderr).toBe(0);
    // The whole action, so that a keep says why.
    expect(after.json.actions.find((a) => a.snapshot_id === drilled && a.action !== 'drill')).toMatchObject({
      action: 'delete',
    });
    expect(await snapshotExists(ec2, drilled)).toBe(false);
  });

  it('report --fail-on unverified:30d exits 1 until a drill passed within 30 days, and shows the last restore', async () => {
    // Prepare
    const { env, config } = await estate('{every: 30 days}');

    // Act
    const before = await runCli(
      ['report', '-c', config, '--now', at(T0 + DAY), '--fail-on', 'unverified:30d'],
      env,
    );
    await runCli(['run', '-c', config, '--now', at(T0 + DAY)], env);
    await runCli(['run', '-c', config, '--now', at(T0 + DAY + 3_600_000)], env);
    const verified = await runCli(
      ['report', '-c', config, '--now', at(T0 + 2 * DAY), '--fail-on', 'unverified:30d'],
      env,
    );
    const json = await runCliJson<{ volumes: { last_drill: { result: string } | null }[] }>(
      ['report', '-c', config, '--now', at(T0 + 2 * DAY)],
      env,
    );
    const stale = await runCli(
      ['report', '-c', config, '--now', at(T0 + 45 * DAY), '--fail-on', 'unverified:30d'],
      env,
    );

    // Assess
    expect(before.code).toBe(1);
    expect(before.stderr).toContain('UNVERIFIED');
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/LAST RESTORE[\s\S]*passed/);
    expect(json.json.volumes.map((v) => v.last_drill?.result)).toEqual(['passed']);
    expect(stale.code).toBe(1);
  });

  it.each(['CreateVolume', 'CreateTags', 'AttachVolume', 'SendCommand', 'DetachVolume'])(
    'killed right after %s, later runs leave no drill volume and record one result',
    async (step) => {
      // Prepare: an ssm drill; the first look after available tags "initializing" (the CreateTags step)
      const { ec2, env, config, host } = await estate(
        '{every: 30 days, check: ssm, host: {tags: {Role: drill-host}}, commands: ["true"]}',
      );
      const emulations = [
        createSsmEmulator({
          instances: { [host]: { outcomes: [{ status: 'Success', polls: 1 } as SsmOutcome] } },
        }),
        createVolumeStatusEmulator({ initializingLooks: 1 }),
      ];
      t.proxy.configure({ emulations, hangAfter: step });
      const killed = startCli(['drill', '-c', config, '--now', at(T0 + DAY)], env);
      await waitFor(() => (t.proxy.counts()[step] ?? 0) >= 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      killed.kill('SIGKILL');
      await new Promise((resolve) => killed.on('close', resolve));
      const made = await drillVolumes(ec2);
      t.proxy.configure({ emulations });

      // Act: runs until the drill is over (a slow step may take more than one), then one more
      const runs: RunJson[] = [];
      for (let i = 1; i <= 3; i++) {
        const run = await runCliJson<RunJson>(
          ['run', '-c', config, '--now', at(T0 + DAY + i * 600_000)],
          env,
        );
        expect(run.code, run.stderr).toBe(0);
        runs.push(run.json);
      }

      // Assess
      expect(made).toHaveLength(1);
      expect(await drillVolumes(ec2)).toEqual([]);
      const ended = runs
        .flatMap((r) => r.drills)
        .filter((d) => d.status === 'passed' || d.status === 'failed');
      expect(ended).toEqual([
        expect.objectContaining({ status: 'passed', drill_volume_id: made[0]!.VolumeId }),
      ]);
      expect(runs.flatMap((r) => r.drills).filter((d) => d.status === 'started')).toEqual([]);
      const drilled = made[0]!.SnapshotId!;
      expect(await drillTags(ec2, drilled)).toMatchObject({
        'ebs-snapper:drill-result': 'passed',
        'ebs-snapper:drill-volume': made[0]!.VolumeId,
      });
    },
  );
});

async function drillVolumes(ec2: EC2Client) {
  const { Volumes } = await ec2.send(
    new DescribeVolumesCommand({ Filters: [{ Name: 'tag-key', Values: ['ebs-snapper:drill-of'] }] }),
  );
  return Volumes ?? [];
}

async function drillTags(ec2: EC2Client, snapshotId: string): Promise<Record<string, string>> {
  const { Snapshots } = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }));
  const tags = tagsOf(Snapshots![0]!);
  return Object.fromEntries(Object.entries(tags).filter(([k]) => k.includes('drill')));
}

async function snapshotExists(ec2: EC2Client, snapshotId: string): Promise<boolean> {
  const { Snapshots } = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
  return (Snapshots ?? []).some((s) => s.SnapshotId === snapshotId);
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}
