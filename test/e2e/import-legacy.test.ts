/**
 * Moving from Rackspace's ebs_snapper, end to end: the predecessor's configuration (its DynamoDB rows as
 * JSON) through `config import-legacy`, and the converted file planned and run by the built CLI against
 * a local AWS whose instances are tagged the way the predecessor selected them. The conversion itself is
 * unit-tested in src/core/policy/legacy.test.ts; here the converted file must mean, against EC2, what the
 * old rows meant: who is selected, who is ignored, what `ignore_retention` lets go, and that the old
 * tool's own snapshots (tagged DeleteOn) are never touched.
 */
import {
  CreateVolumeCommand,
  DeleteVolumeCommand,
  type EC2Client,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { launchInstances, snapshotVolume } from '../../scripts/seed-ec2.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { type CliEnv, type PlanJson, runCli, runCliJson, workDir, writePolicy } from './cli.js';
import { ec2Client, listSnapshots, policySnapshots, tagsOf } from './fleet.js';

const DAY = 86_400_000;

/** Two rows of the predecessor's table: one by tag with every flag, one by name with a numeric-day cron. */
const legacyRows = (ignoredInstance: string) => [
  {
    id: 'Tagged_Instances',
    match: { 'tag:backup': 'yes' },
    snapshot: { retention: '4 days', minimum: 5, frequency: '12 hours' },
    ignore: [ignoredInstance],
    ignore_retention: true,
  },
  {
    match: { 'tag:Name': 'db-*' },
    snapshot: { retention: '14 days', minimum: 3, frequency: '0 3 * * 1' },
  },
];

interface LegacyFleet {
  /** Volumes the converted policies must select, by policy id. */
  selected: Record<'tagged-instances' | 'legacy-2', string[]>;
  ignoredInstance: string;
  ignoredVolume: string;
  untaggedVolume: string;
  /** A snapshot the old tool made (tagged DeleteOn, long past). */
  oldToolSnapshot: string;
  /** A snapshot of the tagged policy whose volume is gone. */
  orphanSnapshot: string;
  /** Snapshots the converted policy already took of the ignored instance's volume. */
  ignoredSnapshots: string[];
}

async function launchOne(
  ec2: EC2Client,
  name: string,
  tags: Record<string, string>,
  devices = ['/dev/sda1'],
) {
  const [launched] = await launchInstances(ec2, { count: 1, name, tags, devices });
  return launched!;
}

/** The instances the predecessor's rows talk about, and the snapshots a migration finds. */
async function seedLegacyFleet(ec2: EC2Client): Promise<LegacyFleet> {
  const web = await launchInstances(ec2, {
    count: 2,
    name: 'web',
    tags: { backup: 'yes' },
    devices: ['/dev/sda1'],
  });
  const stopped = await launchOne(ec2, 'batch', { backup: 'yes' });
  await ec2.send(new StopInstancesCommand({ InstanceIds: [stopped.instanceId] }));
  const ignored = await launchOne(ec2, 'scratch', { backup: 'yes' });
  const untagged = await launchOne(ec2, 'build', { backup: 'no' });
  const db = await launchOne(ec2, 'db-1', {}, ['/dev/sda1', '/dev/sdf']);

  const oldToolSnapshot = await snapshotVolume(ec2, web[0]!.volumes[0]!, {
    description: 'Created by ebs_snapper',
    tags: { DeleteOn: '2020-01-05' },
  });
  const gone = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }));
  const orphanSnapshot = await snapshotVolume(ec2, gone.VolumeId!, {
    description: 'an earlier run',
    tags: { 'ebs-snapper:policy': 'tagged-instances', 'ebs-snapper:volume-id': gone.VolumeId! },
  });
  await ec2.send(new DeleteVolumeCommand({ VolumeId: gone.VolumeId! }));
  const ignoredVolume = ignored.volumes[0]!;
  const ignoredSnapshots: string[] = [];
  for (let n = 0; n < 6; n++) {
    ignoredSnapshots.push(
      await snapshotVolume(ec2, ignoredVolume, {
        description: 'an earlier run',
        tags: { 'ebs-snapper:policy': 'tagged-instances', 'ebs-snapper:volume-id': ignoredVolume },
      }),
    );
  }
  return {
    selected: {
      'tagged-instances': [...web.map((w) => w.volumes[0]!), stopped.volumes[0]!],
      'legacy-2': [...db.volumes],
    },
    ignoredInstance: ignored.instanceId,
    ignoredVolume,
    untaggedVolume: untagged.volumes[0]!,
    oldToolSnapshot,
    orphanSnapshot,
    ignoredSnapshots,
  };
}

const sorted = (values: Iterable<string>) => [...values].sort();

describe('config import-legacy against a local AWS', () => {
  const t = useMotoBehindProxy();
  let ec2: EC2Client;
  let env: CliEnv;
  let fleet: LegacyFleet;

  beforeEach(async () => {
    ec2 = ec2Client(t.moto.endpoint);
    env = { endpoint: t.proxy.endpoint, workDir: workDir() };
    fleet = await seedLegacyFleet(ec2);
  });

  it('converts the old rows into a valid file that selects, ignores and expires as they did', async () => {
    // Prepare
    const legacy = writePolicy(env.workDir, JSON.stringify(legacyRows(fleet.ignoredInstance)), 'legacy.json');
    const later = ['--now', new Date(Date.now() + 5 * DAY).toISOString(), '--region', 'us-east-1'];

    // Act
    const converted = await runCli(['config', 'import-legacy', legacy], env);
    const config = writePolicy(env.workDir, converted.stdout, 'ebs-snapper.yaml');
    const validated = await runCli(['config', 'validate', config], env);
    const plan = await runCliJson(['plan', '-c', config, ...later], env);

    // Assess: the file
    expect(converted.code).toBe(0);
    expect(validated.code).toBe(0);
    expect(validated.stdout).toMatch(/valid, 2 policies \(tagged-instances, legacy-2\)/);
    const document = parse(converted.stdout) as { policies: Record<string, unknown>[] };
    expect(document.policies[0]).toMatchObject({
      id: 'tagged-instances',
      select: { exclude: { instance_ids: [fleet.ignoredInstance] } },
      retention: { max_age: '4 days', minimum: 5, orphaned: { 'expire-after': '4 days' } },
    });
    expect(document.policies[1]).toMatchObject({ id: 'legacy-2', schedule: { cron: '0 3 * * MON' } });
    // Assess: the plan
    expect(plan.code).toBe(0);
    const creates = (policy: string) =>
      sorted(
        plan.json.actions
          .filter((a) => a.action === 'create' && a.policy === policy)
          .map((a) => a.volume_id!),
      );
    expect(creates('tagged-instances')).toEqual(sorted(fleet.selected['tagged-instances']));
    expect(creates('legacy-2')).toEqual(sorted(fleet.selected['legacy-2']));
    const deletes = plan.json.actions.filter((a) => a.action === 'delete');
    expect(deletes.find((a) => a.snapshot_id === fleet.orphanSnapshot)?.reason.code).toBe(
      'retention.orphan-expired',
    );
    // ignore excludes the volume from new snapshots, but retention still applies to its old ones.
    const ignoredDeletes = deletes.filter((a) => fleet.ignoredSnapshots.includes(a.snapshot_id!));
    expect(ignoredDeletes.map((a) => a.reason.code)).toEqual(['retention.expired']);
    expect(deletes).toHaveLength(2);
    const touched = plan.json.actions.map((a) => a.snapshot_id);
    expect(touched).not.toContain(fleet.oldToolSnapshot);
    expect(plan.json.actions.map((a) => a.volume_id)).not.toContain(fleet.untaggedVolume);
  });

  it('runs the converted file: snapshots of the selected volumes, the old tool’s snapshots left alone', async () => {
    // Prepare
    const legacy = writePolicy(env.workDir, JSON.stringify(legacyRows(fleet.ignoredInstance)), 'legacy.json');
    const converted = await runCli(['config', 'import-legacy', legacy], env);
    const config = writePolicy(env.workDir, converted.stdout, 'ebs-snapper.yaml');
    const later = ['--now', new Date(Date.now() + 5 * DAY).toISOString(), '--region', 'us-east-1'];

    // Act
    const run = await runCliJson<PlanJson>(['run', '-c', config, ...later], env);
    // At the real time again: what the run made is not due, and nothing is left to delete.
    const again = await runCliJson<PlanJson>(['plan', '-c', config, '--region', 'us-east-1'], env);

    // Assess
    expect(run.code).toBe(0);
    expect(run.json.summary).toMatchObject({ created: 5, deleted: 2, failed: 0 });
    const made = async (policy: string) =>
      sorted(
        (await policySnapshots(ec2, policy))
          .filter((s) => tagsOf(s)['ebs-snapper:run-id'] !== undefined)
          .map((s) => s.VolumeId!),
      );
    expect(await made('tagged-instances')).toEqual(sorted(fleet.selected['tagged-instances']));
    expect(await made('legacy-2')).toEqual(sorted(fleet.selected['legacy-2']));
    const left = (await listSnapshots(ec2)).map((s) => s.SnapshotId!);
    expect(left).toContain(fleet.oldToolSnapshot);
    expect(left).not.toContain(fleet.orphanSnapshot);
    expect(fleet.ignoredSnapshots.filter((id) => left.includes(id))).toHaveLength(5);
    expect(again.code).toBe(0);
    expect(again.json.actions.filter((a) => a.action === 'create' || a.action === 'delete')).toEqual([]);
  });
});
