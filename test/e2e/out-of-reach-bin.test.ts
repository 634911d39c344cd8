/**
 * The Recycle Bin end to end (SPEC §14): the fault proxy's emulation answers rbin's rules and keeps
 * deleted snapshots a rule matches (moto deletes for good); plans say which deletes the bin keeps,
 * and `undo` restores exactly a run's deletes that are still there.
 */
import { CreateVolumeCommand, DescribeSnapshotsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordToTags } from '../../src/aws/ec2-mappers.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { createCallers } from '../support/proxy/caller.js';
import { createRecycleBinEmulator, type RecycleBinEmulator } from '../support/proxy/recycle-bin.js';
import { type CliEnv, runCli, runCliJson, workDir, writePolicy } from './cli.js';
import { ec2Client, policySnapshots, tagsOf } from './fleet.js';

const DAY = 86_400_000;

const POLICY = `version: 1
settings: {regions: [us-east-1]}
policies:
  - id: bin
    select: {volumes: {tag:Backup: bin}}
    schedule: {every: 1 day}
    retention: {max_age: 1 day, minimum: 0}
`;

/** A Region-level rule: every snapshot for 7 days, except those tagged Scratch=yes. */
const REGION_RULE = [{ id: 'region-7', retentionDays: 7, excludeTags: [{ key: 'Scratch', value: 'yes' }] }];

async function createVolume(ec2: EC2Client, tags: Record<string, string>): Promise<string> {
  const { VolumeId } = await ec2.send(
    new CreateVolumeCommand({
      AvailabilityZone: 'us-east-1a',
      Size: 1,
      TagSpecifications: [{ ResourceType: 'volume', Tags: recordToTags(tags) }],
    }),
  );
  return VolumeId!;
}

const at = (ms: number) => ['--now', new Date(ms).toISOString()];

interface DeleteJson {
  action: string;
  snapshot_id: string;
  volume_id: string;
  recycle_bin_days?: number | 'unknown';
}

describe('the Recycle Bin against a local AWS', () => {
  const t = useMotoBehindProxy();
  let ec2: EC2Client;
  let env: CliEnv;
  let bin: RecycleBinEmulator;
  let kept: string;
  let scratch: string;

  beforeEach(async () => {
    ec2 = ec2Client(t.moto.endpoint);
    env = { endpoint: t.proxy.endpoint, workDir: workDir() };
    bin = createRecycleBinEmulator(createCallers(t.moto.endpoint), REGION_RULE);
    t.proxy.configure({ emulations: [bin] });
    kept = await createVolume(ec2, { Backup: 'bin' });
    scratch = await createVolume(ec2, { Backup: 'bin', Scratch: 'yes' });
    await runCliJson(['run', '-c', writePolicy(env.workDir, POLICY)], env);
  });

  it('annotates only the deletes a Region-level rule keeps (not those with its exclusion tag)', async () => {
    // Prepare
    const config = writePolicy(env.workDir, POLICY);

    // Act
    const plan = await runCliJson(['plan', '-c', config, ...at(Date.now() + 3 * DAY)], env);
    const text = await runCli(['plan', '-c', config, ...at(Date.now() + 3 * DAY)], env);

    // Assess
    const deletes = plan.json.actions.filter((a) => a.action === 'delete') as unknown as DeleteJson[];
    expect(deletes).toHaveLength(2);
    expect(deletes.find((d) => d.volume_id === kept)?.recycle_bin_days).toBe(7);
    expect(deletes.find((d) => d.volume_id === scratch)).not.toHaveProperty('recycle_bin_days');
    expect(text.stdout).toMatch(/- delete .* → recycle bin 7 days/);
  });

  it('shows unknown, never none, when the rules cannot be read', async () => {
    // Prepare
    const config = writePolicy(env.workDir, POLICY);
    t.proxy.configure({
      emulations: [bin],
      errorsFor: { ListRules: { code: 'AccessDeniedException', status: 403, message: 'no rbin:ListRules' } },
    });

    // Act
    const plan = await runCliJson(['plan', '-c', config, ...at(Date.now() + 3 * DAY)], env);

    // Assess
    const deletes = plan.json.actions.filter((a) => a.action === 'delete') as unknown as DeleteJson[];
    expect(deletes.map((d) => d.recycle_bin_days)).toEqual(['unknown', 'unknown']);
    expect(plan.json.warnings?.map((w) => w.code)).toContain('plan.recycle-bin-unknown');
  });

  it('undo --results restores exactly what that run deleted and the bin still has, with its tags', async () => {
    // Prepare: a run that deletes both snapshots (the bin keeps one)
    const config = writePolicy(env.workDir, POLICY);
    const before = await policySnapshots(ec2, 'bin');
    const out = `${env.workDir}/run.json`;
    const run = await runCliJson(['run', '-c', config, '--out', out, ...at(Date.now() + 3 * DAY)], env);
    const runId = (run.json as unknown as { run_id: string }).run_id;
    const keptSnapshot = before.find((s) => s.VolumeId === kept)!;
    const inBin = bin.binned().map((b) => b.snapshotId);

    // Act
    const undo = await runCliJson(['undo', '--run', runId, '--results', out], env);

    // Assess
    expect(run.json.summary.deleted).toBe(2);
    expect(inBin).toEqual([keptSnapshot.SnapshotId]);
    expect(bin.binned()).toEqual([]);
    expect(undo.code).toBe(1);
    const document = undo.json as unknown as {
      restored: { snapshot_id: string }[];
      not_restored: { snapshot_id: string; error: { code: string } }[];
    };
    expect(document.restored.map((r) => r.snapshot_id)).toEqual([keptSnapshot.SnapshotId]);
    expect(document.not_restored.map((r) => [r.snapshot_id, r.error.code])).toEqual([
      [before.find((s) => s.VolumeId === scratch)!.SnapshotId, 'NotInRecycleBin'],
    ]);
    const { Snapshots } = await ec2.send(
      new DescribeSnapshotsCommand({ SnapshotIds: [keptSnapshot.SnapshotId!] }),
    );
    expect(tagsOf(Snapshots![0]!)).toEqual(tagsOf(keptSnapshot));
  });
});
