/**
 * Vault copies (`copy_to` entries with an `account`, SPEC §14), planned in the source account ×
 * region: each vault destination gets one copy of a series' newest completed snapshot that the
 * plan keeps and that has no copy there yet (a copy in `error` is no copy), within EC2's 20 copies
 * in flight per destination. The copy is made by the vault account through its role from a share
 * of the source, and carries `ebs-snapper:source-account` besides the usual source tags.
 */
import type { CopyAction, PlanAction, Reason, VaultRef } from '../actions.js';
import { buildCopy } from '../copy-actions.js';
import { type CopyContext, keepsAsNewest, MAX_COPIES_IN_FLIGHT, newestKeptCompleted } from '../copy-plan.js';
import { lockForNew } from '../locks/lock-dates.js';
import type { Inventory, VaultCopyState, VolumeId } from '../model.js';
import type { Policy, VaultTarget } from '../policy/types.js';

/** What vault copy planning shares across a plan: each destination's copies, and its budget. */
export interface VaultPlanning {
  /** `account/region` → the states of this region's snapshots' copies there. */
  readonly copies: ReadonlyMap<string, Readonly<Record<string, VaultCopyState>>>;
  /** `account/region` → copies that may still start in this run. */
  readonly budget: Map<string, number>;
}

/** `account/region`: the key of a vault destination. */
export const destinationKey = (account: string, region: string): string => `${account}/${region}`;

/** Where a vault target sends the copies of a snapshot in `sourceRegion`. */
export const destinationRegion = (target: VaultTarget, sourceRegion: string): string =>
  target.region ?? sourceRegion;

/** From the inventory's `vaultDestinations`; a destination that was not listed gets no copy. */
export function prepareVaults(inventory: Inventory): VaultPlanning {
  const copies = new Map<string, Readonly<Record<string, VaultCopyState>>>();
  const budget = new Map<string, number>();
  for (const d of inventory.vaultDestinations ?? []) {
    if (d.error !== undefined) continue;
    const key = destinationKey(d.account, d.region);
    copies.set(key, d.copies);
    budget.set(key, Math.max(0, MAX_COPIES_IN_FLIGHT - d.inFlight));
  }
  return { copies, budget };
}

/** Plan the vault copies of own series `k` (already sorted and judged) of `policy`. */
export function planSeriesVaultCopies(
  context: CopyContext,
  vaults: VaultPlanning,
  policy: Policy,
  volumeKey: string,
  k: number,
): void {
  const targets = policy.vaultTo ?? [];
  if (targets.length === 0) return;
  const p = newestKeptCompleted(context, k);
  if (p < 0) return;
  const { inventory, table, now } = context;
  const source = table.ids[p]!;
  for (const target of targets) {
    const region = destinationRegion(target, inventory.region);
    const key = destinationKey(target.account, region);
    const copied = vaults.copies.get(key);
    if (copied === undefined) continue;
    const state = copied[source];
    if (state === 'pending' || state === 'completed') continue;
    if (!keepsAsNewest(target.retention, table.start[p]!, now)) continue;
    const left = vaults.budget.get(key) ?? 0;
    if (left <= 0) {
      context.actions.push(limitSkip(inventory, policy.id, volumeKey, key, source, region));
      continue;
    }
    vaults.budget.set(key, left - 1);
    const sourceTags = inventory.snapshots[table.source[p]!]?.tags ?? {};
    context.actions.push(vaultCopy(context, policy.id, target, region, volumeKey, source, sourceTags));
  }
}

function vaultCopy(
  context: CopyContext,
  policy: string,
  target: VaultTarget,
  region: string,
  volumeKey: string,
  source: CopyAction['snapshotId'],
  sourceTags: Readonly<Record<string, string>>,
): CopyAction {
  const { inventory, now, runId } = context;
  const { maxAgeMs } = target.retention;
  const lock = target.lock === undefined ? undefined : lockForNew(target.lock, target.retention, now);
  const vault: VaultRef = { account: target.account, roleName: target.roleName };
  return buildCopy({
    policy,
    account: inventory.account,
    sourceRegion: inventory.region,
    intent: {
      region,
      ...(target.kmsKeyId === undefined ? {} : { kmsKeyId: target.kmsKeyId }),
      ...(maxAgeMs === undefined ? {} : { expiresAt: new Date(now + maxAgeMs).toISOString() }),
      ...(lock === undefined ? {} : { lock }),
    },
    volumeKey,
    source,
    sourceTags,
    runId,
    vault,
    reason: {
      code: 'due.copy',
      message: `newest completed snapshot ${source} has no copy in vault account ${target.account} (${region}) yet`,
    },
  });
}

function limitSkip(
  inventory: Inventory,
  policy: string,
  volumeKey: string,
  key: string,
  source: string,
  region: string,
): PlanAction {
  const reason: Reason = {
    code: 'copy.limit',
    message: `${MAX_COPIES_IN_FLIGHT} copies in flight to ${key}: ${source} is copied by a later run`,
  };
  return {
    action: 'skip',
    policy,
    account: inventory.account,
    region,
    volumeId: volumeKey as VolumeId,
    reason,
  };
}

/** The vault destinations whose copies could not be listed, as `account/region (error)`. */
export function unlistedVaults(inventory: Inventory): string[] | undefined {
  const held = (inventory.vaultDestinations ?? []).flatMap((d) =>
    d.error === undefined ? [] : [`${destinationKey(d.account, d.region)} (${d.error})`],
  );
  return held.length === 0 ? undefined : held;
}
