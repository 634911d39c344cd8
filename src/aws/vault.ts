/**
 * Vault copies (SPEC §14) on the AWS SDK. The source account × region's side: which of its
 * snapshots are shared with a vault account (DescribeSnapshots `RestorableByUserIds`), sharing
 * one with that account only and taking the share back (ModifySnapshotAttribute
 * createVolumePermission); the vault's side, through its role: its copies of this region's
 * snapshots, CopySnapshot called in the destination (so the vault owns the copy), the copy's state
 * and its lock.
 */
import {
  DescribeSnapshotsCommand,
  type EC2Client,
  ModifySnapshotAttributeCommand,
  paginateDescribeSnapshots,
} from '@aws-sdk/client-ec2';
import type { VaultPort } from '../app/kit/ports.js';
import type { VaultRef } from '../core/actions.js';
import { type SnapshotId, TAG, type VaultCopyState, type VaultDestination } from '../core/model.js';
import type { AwsClients } from './clients.js';
import { copySnapshot } from './copies.js';
import { callAws } from './errors.js';
import { lockSnapshot } from './locks.js';
import { collectPages } from './paging.js';

export interface VaultPortOptions {
  /** The source account and region. */
  readonly account: string;
  readonly region: string;
  readonly clients: AwsClients;
  /** Clients acting as the vault (its role assumed) in a region. */
  readonly vaultClientsIn: (vault: VaultRef, region: string) => AwsClients;
}

/** @example const vaults = createVaultPort({ account, region, clients, vaultClientsIn }); */
export function createVaultPort(options: VaultPortOptions): VaultPort {
  const { account, region, clients } = options;
  const cache = new Map<string, AwsClients>();
  const asVault = (vault: VaultRef, where: string): AwsClients => {
    const key = `${vault.account}/${vault.roleName}/${where}`;
    let found = cache.get(key);
    if (found === undefined) {
      found = options.vaultClientsIn(vault, where);
      cache.set(key, found);
    }
    return found;
  };
  return {
    listShared: (vault) => listShared(clients.ec2, account, vault),
    share: (id, vault) => modifyShare(clients.ec2, id, vault, 'add'),
    // Not bound by the run's deadline: a snapshot is never left shared for want of time.
    unshare: (id, vault) => modifyShare(clients.finish.ec2, id, vault, 'remove'),
    encryptionOf: async (id) => {
      const { Snapshots } = await callAws('DescribeSnapshots', () =>
        clients.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] })),
      );
      const found = Snapshots?.[0];
      return {
        encrypted: found?.Encrypted === true,
        ...(found?.KmsKeyId === undefined ? {} : { kmsKeyId: found.KmsKeyId }),
      };
    },
    listCopies: (vault, where) => listVaultCopies(asVault(vault, where).ec2, vault, where, account, region),
    // Throttling-only retries: a 5xx may hide a copy that was made (the next run lists first).
    copy: (vault, request) => copySnapshot(asVault(vault, request.destination).ec2Create, request),
    copyState: async (vault, where, id) => {
      const { Snapshots } = await callAws('DescribeSnapshots', () =>
        asVault(vault, where).ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] })),
      );
      const state = Snapshots?.[0]?.State;
      return state === undefined ? undefined : copyStateOf(state);
    },
    lock: (vault, where, id, lock) => lockSnapshot(asVault(vault, where).ec2, id, lock),
  };
}

/** Ids of the account's snapshots of this region that `vault` may create volumes from (shared with it). */
async function listShared(ec2: EC2Client, account: string, vault: string): Promise<string[]> {
  const ids = await collectPages(
    'DescribeSnapshots',
    paginateDescribeSnapshots(
      { client: ec2 },
      {
        OwnerIds: ['self'],
        RestorableByUserIds: [vault],
        MaxResults: 1000,
        Filters: [{ Name: 'tag-key', Values: [TAG.policy] }],
      },
    ),
    (page) => page.Snapshots ?? [],
    (item) =>
      item.SnapshotId && (item.OwnerId === undefined || item.OwnerId === account)
        ? item.SnapshotId
        : undefined,
  );
  return ids;
}

/**
 * Add or remove one account's createVolumePermission. The `OperationType` + `UserId.N` form: EC2
 * takes it as it takes `CreateVolumePermission.Add/Remove` (IAM's `ec2:Add/userId` and
 * `ec2:Remove/userId` see either), and moto, which the tests run against, honours only this one.
 */
async function modifyShare(ec2: EC2Client, id: SnapshotId, vault: string, how: 'add' | 'remove') {
  await callAws('ModifySnapshotAttribute', () =>
    ec2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: id,
        Attribute: 'createVolumePermission',
        OperationType: how,
        UserIds: [vault],
      }),
    ),
  );
}

/** The vault's copies in `where` (its own, by the source tags): this source's by state, and how many pend. */
async function listVaultCopies(
  ec2: EC2Client,
  vault: VaultRef,
  where: string,
  sourceAccount: string,
  sourceRegion: string,
): Promise<VaultDestination> {
  const copies: Record<string, VaultCopyState> = {};
  let inFlight = 0;
  await collectPages(
    'DescribeSnapshots',
    paginateDescribeSnapshots(
      { client: ec2 },
      {
        OwnerIds: ['self'],
        MaxResults: 1000,
        Filters: [{ Name: 'tag-key', Values: [TAG.sourceSnapshotId] }],
      },
    ),
    (page) => page.Snapshots ?? [],
    (item) => {
      if (item.OwnerId !== undefined && item.OwnerId !== vault.account) return undefined;
      const state = copyStateOf(item.State ?? 'pending');
      if (state === 'pending') inFlight += 1;
      const tags = new Map((item.Tags ?? []).map((t) => [t.Key, t.Value]));
      const source = tags.get(TAG.sourceSnapshotId);
      if (
        source === undefined ||
        tags.get(TAG.sourceAccount) !== sourceAccount ||
        tags.get(TAG.sourceRegion) !== sourceRegion
      )
        return undefined;
      // A completed copy wins over a failed one of the same source (the failed one is a leftover).
      if (copies[source] !== 'completed') copies[source] = state;
      return undefined;
    },
  );
  return { account: vault.account, region: where, copies, inFlight };
}

/** EC2's snapshot states as a copy's: `error` failed, `completed` done, anything else still going. */
function copyStateOf(state: string): VaultCopyState {
  if (state === 'completed') return 'completed';
  return state === 'error' ? 'error' : 'pending';
}
