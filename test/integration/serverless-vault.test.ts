/**
 * Vault copies in the deployment (SPEC §14): the fan-out gives the vault account its own
 * copies-only work; a source worker (through the member role) shares, has the vault copy through
 * its role and takes the share back; the vault's worker plans the copies there. The built handlers
 * against moto behind the fault proxy, whose cross-account emulation makes the vault's copy.
 */
import { DescribeSnapshotAttributeCommand, DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { tagsOf } from '../e2e/fleet.js';
import {
  drainQueue,
  importHandlers,
  lambdaContext,
  readRunRecords,
  useDeployment,
} from '../support/moto/deployment.js';
import { ec2As, pushTestConfig, seedWebFleet } from '../support/moto/member-accounts.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { createCallers } from '../support/proxy/caller.js';
import { createCrossAccountEmulator } from '../support/proxy/cross-account.js';

const { createFanOut, createWorker } = await importHandlers();
const SOURCE = '111111111111';
const VAULT = '222222222222';
const HOUR = 3_600_000;

const CONFIG = `version: 1
settings:
  accounts: ["${SOURCE}"]
  regions: [us-east-1]
policies:
  - id: web
    select: {instance_names: ["web*"]}
    schedule: {every: 1 day}
    retention: {minimum: 2}
    copy_to:
      - account: "${VAULT}"
        retention: {minimum: 3}
`;

describe('vault copies in the deployment', () => {
  const t = useMotoBehindProxy();
  const deployed = useDeployment(t);

  it('fans the vault out copies-only, copies as the vault through its role, and leaves nothing shared', async () => {
    // Prepare: a first run snapshots the source; the vault copy is the next run's
    t.proxy.configure({ emulations: [createCrossAccountEmulator(createCallers(t.moto.endpoint))] });
    await seedWebFleet(t.moto.endpoint, SOURCE, 'us-east-1', 1);
    await pushTestConfig(t.moto.endpoint, deployed.current.region, deployed.current.table, CONFIG);
    const now = Date.now();
    const first = await createFanOut({ clock: () => now })(
      {},
      lambdaContext(() => 300_000),
    );
    await drainQueue(deployed.current, createWorker({ clock: () => now }));

    // Act
    const second = await createFanOut({ clock: () => now + HOUR })(
      {},
      lambdaContext(() => 300_000),
    );
    await drainQueue(deployed.current, createWorker({ clock: () => now + HOUR }));

    // Assess
    expect(first).toMatchObject({ messages: 2, failures: [] });
    const records = await readRunRecords(deployed.current, second.run_id);
    expect(records.map((r) => `${r.account}/${r.region}:${r.outcome}`).sort()).toEqual([
      `${SOURCE}/us-east-1:ok`,
      `${VAULT}/us-east-1:ok`,
    ]);
    const source = await ec2As(t.moto.endpoint, SOURCE, 'us-east-1');
    const { Snapshots: mine } = await source.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    const snapshot = (mine ?? []).find(
      (s) => s.OwnerId === SOURCE && tagsOf(s)['ebs-snapper:policy'] === 'web',
    )!;
    const vault = await ec2As(t.moto.endpoint, VAULT, 'us-east-1');
    const { Snapshots: theirs } = await vault.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    const copies = (theirs ?? []).filter(
      (s) => s.OwnerId === VAULT && tagsOf(s)['ebs-snapper:policy'] === 'web',
    );
    expect(copies.map((c) => tagsOf(c)['ebs-snapper:source-snapshot-id'])).toEqual([snapshot.SnapshotId]);
    const { CreateVolumePermissions } = await source.send(
      new DescribeSnapshotAttributeCommand({
        SnapshotId: snapshot.SnapshotId!,
        Attribute: 'createVolumePermission',
      }),
    );
    expect(CreateVolumePermissions).toEqual([]);
  });
});
