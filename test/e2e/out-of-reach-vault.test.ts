/**
 * Vault-account copies end to end (SPEC §14): the CLI's own account (moto's default) is the source;
 * account 222222222222 is the vault, reached through its role. moto cannot copy another account's
 * shared snapshot, so the fault proxy's cross-account emulation makes the copy in the vault; its
 * snapshot-lock emulation locks it.
 */
import {
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordToTags } from '../../src/aws/ec2-mappers.js';
import { ec2As } from '../support/moto/member-accounts.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { createCallers } from '../support/proxy/caller.js';
import { type CrossAccountEmulator, createCrossAccountEmulator } from '../support/proxy/cross-account.js';
import { createSnapshotLockEmulator, type SnapshotLockEmulator } from '../support/proxy/snapshot-locks.js';
import { type CliEnv, runCliJson, workDir, writePolicy } from './cli.js';
import { ec2Client, policySnapshots, tagsOf } from './fleet.js';

const SOURCE = '123456789012';
const VAULT = '222222222222';
const HOUR = 3_600_000;

const policyText = (extra = '') => `version: 1
settings: {regions: [us-east-1]}
policies:
  - id: db
    select: {volumes: {tag:Backup: db}}
    schedule: {every: 1 day}
    retention: {max_age: 7 days, minimum: 1}
    copy_to:
      - account: "${VAULT}"
        retention: {max_age: 30 days, minimum: 2}
        lock: {mode: compliance}
${extra}`;

async function createVolume(
  ec2: EC2Client,
  tags: Record<string, string>,
  encrypted = false,
): Promise<string> {
  const { VolumeId } = await ec2.send(
    new CreateVolumeCommand({
      AvailabilityZone: 'us-east-1a',
      Size: 1,
      ...(encrypted ? { Encrypted: true } : {}),
      TagSpecifications: [{ ResourceType: 'volume', Tags: recordToTags(tags) }],
    }),
  );
  return VolumeId!;
}

async function sharedWith(ec2: EC2Client, snapshotId: string): Promise<string[]> {
  const { CreateVolumePermissions } = await ec2.send(
    new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission' }),
  );
  return (CreateVolumePermissions ?? []).flatMap((p) => (p.UserId ? [p.UserId] : []));
}

async function vaultCopies(vault: EC2Client) {
  const { Snapshots } = await vault.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
  return (Snapshots ?? []).filter((s) => s.OwnerId === VAULT && tagsOf(s)['ebs-snapper:policy'] === 'db');
}

const at = (ms: number) => ['--now', new Date(ms).toISOString()];

describe('vault-account copies against a local AWS', () => {
  const t = useMotoBehindProxy();
  let ec2: EC2Client;
  let vault: EC2Client;
  let env: CliEnv;
  let copies: CrossAccountEmulator;
  let locks: SnapshotLockEmulator;

  beforeEach(async () => {
    ec2 = ec2Client(t.moto.endpoint);
    vault = await ec2As(t.moto.endpoint, VAULT, 'us-east-1');
    env = { endpoint: t.proxy.endpoint, workDir: workDir() };
    const callers = createCallers(t.moto.endpoint);
    copies = createCrossAccountEmulator(callers);
    locks = createSnapshotLockEmulator(callers);
    t.proxy.configure({ emulations: [locks, copies] });
  });

  it('makes the copy as the vault (its OwnerId), takes the share back, locks it, and the source account cannot delete it', async () => {
    // Prepare: a first run takes the snapshot; the vault copy is the next run's (the newest completed)
    await createVolume(ec2, { Backup: 'db' });
    const config = writePolicy(env.workDir, policyText());
    await runCliJson(['run', '-c', config], env);
    const [source] = await policySnapshots(ec2, 'db');

    // Act
    const run = await runCliJson(['run', '-c', config, ...at(Date.now() + HOUR)], env);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const copy = run.json.actions.find((a) => a.action === 'copy') as unknown as {
      destination_account: string;
      snapshot_id: string;
    };
    expect(copy).toMatchObject({ destination_account: VAULT, snapshot_id: source!.SnapshotId });
    const [made, ...more] = await vaultCopies(vault);
    expect(more).toEqual([]);
    expect(made?.OwnerId).toBe(VAULT);
    expect(tagsOf(made!)).toMatchObject({
      'ebs-snapper:source-account': SOURCE,
      'ebs-snapper:source-snapshot-id': source!.SnapshotId,
      'ebs-snapper:source-region': 'us-east-1',
    });
    expect(await sharedWith(ec2, source!.SnapshotId!)).toEqual([]);
    expect(locks.locks().find((l) => l.snapshotId === made!.SnapshotId)).toMatchObject({
      ownerId: VAULT,
      mode: 'compliance',
    });
    await expect(ec2.send(new DeleteSnapshotCommand({ SnapshotId: made!.SnapshotId! }))).rejects.toThrow();
    expect(await vaultCopies(vault)).toHaveLength(1);
    // The vault's own account × region is planned too, through its role: the copy is kept (locked).
    const plan = await runCliJson(['plan', '-c', config, '-v', ...at(Date.now() + 2 * HOUR)], env);
    const vaultKeeps = plan.json.actions.filter((a) => a.account === VAULT && a.action === 'keep');
    expect(vaultKeeps.map((a) => [a.snapshot_id, a.reason.code])).toEqual([
      [made!.SnapshotId, 'protected.locked'],
    ]);
  });

  it('takes the share back when the copy fails, and reports the failure', async () => {
    // Prepare
    await createVolume(ec2, { Backup: 'db' });
    const config = writePolicy(env.workDir, policyText());
    await runCliJson(['run', '-c', config], env);
    const [source] = await policySnapshots(ec2, 'db');
    t.proxy.configure({
      emulations: [locks, copies],
      errorsFor: { CopySnapshot: { code: 'InvalidParameterValue', status: 400, message: 'no' } },
    });

    // Act
    const run = await runCliJson(['run', '-c', config, ...at(Date.now() + HOUR)], env);

    // Assess
    expect(run.code).toBe(1);
    const result = (run.json.results ?? []).find((r) => r.action === 'copy');
    expect(result?.status).toBe('failed');
    expect(await sharedWith(ec2, source!.SnapshotId!)).toEqual([]);
    expect(await vaultCopies(vault)).toEqual([]);
  });

  it('leaves a copy still pending shared, and the next run takes the share back once it completed', async () => {
    // Prepare: the copy looks pending to its first two looks (the copy step's and the next listing's)
    copies = createCrossAccountEmulator(createCallers(t.moto.endpoint), { pendingLooks: 1 });
    t.proxy.configure({ emulations: [locks, copies] });
    await createVolume(ec2, { Backup: 'db' });
    const config = writePolicy(env.workDir, policyText());
    await runCliJson(['run', '-c', config], env);
    const [source] = await policySnapshots(ec2, 'db');

    // Act
    await runCliJson(['run', '-c', config, ...at(Date.now() + HOUR)], env);
    const stillShared = await sharedWith(ec2, source!.SnapshotId!);
    const next = await runCliJson(['run', '-c', config, ...at(Date.now() + 2 * HOUR)], env);

    // Assess
    expect(stillShared).toEqual([VAULT]);
    expect(next.code).toBe(0);
    const unshare = next.json.actions.find((a) => (a.action as string) === 'unshare');
    expect(unshare).toMatchObject({
      snapshot_id: source!.SnapshotId,
      reason: { code: 'share.copy-completed' },
    });
    expect(await sharedWith(ec2, source!.SnapshotId!)).toEqual([]);
  });

  it('refuses a snapshot under the default aws/ebs key with a clear error, shares nothing, and goes on with the rest', async () => {
    // Prepare: one volume encrypted with the default key (moto: no KmsKeyId), one policy without a vault
    await createVolume(ec2, { Backup: 'db' }, true);
    await createVolume(ec2, { Backup: 'web' });
    const web =
      '  - id: web\n    select: {volumes: {tag:Backup: web}}\n    schedule: {every: 1 hour}\n    retention: {minimum: 1}\n';
    const config = writePolicy(env.workDir, policyText(web));
    await runCliJson(['run', '-c', config], env);
    const [source] = await policySnapshots(ec2, 'db');

    // Act
    const run = await runCliJson(['run', '-c', config, ...at(Date.now() + 2 * HOUR)], env);

    // Assess
    expect(run.code).toBe(1);
    const failed = (run.json.results ?? []).find((r) => r.action === 'copy') as unknown as {
      status: string;
      error: { message: string };
    };
    expect(failed.status).toBe('failed');
    expect(failed.error.message).toContain('policy db');
    expect(failed.error.message).toContain('aws/ebs');
    expect(failed.error.message).toContain('customer managed KMS key');
    expect(await sharedWith(ec2, source!.SnapshotId!)).toEqual([]);
    expect(await vaultCopies(vault)).toEqual([]);
    expect((run.json.results ?? []).filter((r) => r.action === 'create' && r.status === 'done').length).toBe(
      1,
    );
  });
});
