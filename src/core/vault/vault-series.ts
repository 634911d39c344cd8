/**
 * Vault copies in the vault account (SPEC §14): a vault copy series is (policy, source volume,
 * vault account × region) and follows the retention of the `copy_to` entry that sends copies
 * there. Like every copy it is never deleted because its source is gone. A series no entry sends
 * copies to any more is kept whole: which retention it should have is not known, and a wrong
 * delete in a vault is the one mistake that cannot be taken back.
 */
import type { KeepAction, Reason } from '../actions.js';
import { type Inventory, TAG, type Tags, type VolumeId } from '../model.js';
import type { Policy, VaultTarget } from '../policy/types.js';
import type { SeriesTable } from '../series.js';

/**
 * The vault target of `policy` whose copies land in `inventory`'s account and region, for a copy
 * made from `copyTags`' source region; undefined when none does.
 *
 * @example vaultTargetOf(policy, inventory, { 'ebs-snapper:source-region': 'us-east-1', ... })
 */
export function vaultTargetOf(policy: Policy, inventory: Inventory, copyTags: Tags): VaultTarget | undefined {
  return (policy.vaultTo ?? []).find(
    (t) => t.account === inventory.account && (t.region ?? copyTags[TAG.sourceRegion]) === inventory.region,
  );
}

/** True when the snapshot is a vault copy made into `account` from another account. */
export function isVaultCopy(tags: Tags, account: string): boolean {
  const from = tags[TAG.sourceAccount];
  return from !== undefined && from !== account;
}

/** The tags of the first snapshot of series `k` (a series has one source, so one kind). */
export function seriesTags(inventory: Inventory, table: SeriesTable, k: number): Tags {
  return inventory.snapshots[table.source[table.bounds[k]!]!]?.tags ?? {};
}

/** Keep every snapshot of vault series `k` of `policy`: no `copy_to` entry sends copies here any more. */
export function keepVaultSeries(
  inventory: Inventory,
  table: SeriesTable,
  policy: string,
  key: string,
  k: number,
  actions: KeepAction[] | { push(action: KeepAction): unknown },
): void {
  const reason: Reason = {
    code: 'protected.unmanaged',
    message: `vault copy: no copy_to entry of policy ${policy} sends copies to ${inventory.account} in ${inventory.region} any more; kept (delete it by hand if that is meant)`,
  };
  const { account, region } = inventory;
  for (let p = table.bounds[k]!; p < table.bounds[k + 1]!; p++) {
    const snapshotId = table.ids[p]!;
    actions.push(
      key === ''
        ? { action: 'keep', policy, account, region, snapshotId, reason }
        : { action: 'keep', policy, account, region, volumeId: key as VolumeId, snapshotId, reason },
    );
  }
}
