/**
 * A snapshot is shared with a vault account only while the vault copies it (SPEC §14): once its
 * copy there has completed or failed — or no copy of it is being made at all (a copy call that
 * failed, a run that crashed between the share and the copy) — the share is taken back. A copy
 * still `pending` keeps its share: taking it back early could fail the copy.
 */
import type { PlanAction, Reason, UnshareAction } from '../actions.js';
import { type Inventory, type Snapshot, TAG, type VaultCopyState, type VolumeId } from '../model.js';
import { DEFAULT_VAULT_ROLE_NAME } from '../policy/normalize-copy-to.js';
import type { Policy } from '../policy/types.js';
import { type Warning, warning } from '../warnings.js';

const REASONS = {
  completed: { code: 'share.copy-completed', message: 'its vault copy has completed' },
  failed: { code: 'share.copy-failed', message: 'its vault copy failed (state error)' },
  none: { code: 'share.no-copy', message: 'no vault copy of it is being made' },
} as const satisfies Record<string, Reason>;

/**
 * The unshares of one plan: this region's snapshots of configured policies that are shared with a
 * vault account (`vaultShares`) and need it no more. A copy planned in the same plan keeps its
 * share (the copy step shares and unshares for itself); a vault whose shares or copies could not
 * be listed gets no unshare, and a warning.
 *
 * @example const unshares = planUnshares(inventory, byId, plan.actions, warnings);
 */
export function planUnshares(
  inventory: Inventory,
  policies: ReadonlyMap<string, Policy>,
  actions: readonly PlanAction[],
  warnings: Warning[],
): UnshareAction[] {
  const shares = (inventory.vaultShares ?? []).filter(
    (s) => s.error !== undefined || s.snapshotIds.length > 0,
  );
  if (shares.length === 0) return [];
  const shared = new Set(shares.flatMap((s) => s.snapshotIds));
  const ours = new Map<string, Snapshot>();
  for (const s of inventory.snapshots) {
    const policy = s.tags[TAG.policy];
    if (shared.has(s.id) && s.ownerId === inventory.account && policy !== undefined && policies.has(policy))
      ours.set(s.id, s);
  }
  const copying = new Set(
    actions.flatMap((a) => (a.action === 'copy' && a.vault ? [`${a.snapshotId} ${a.vault.account}`] : [])),
  );
  const unshares: UnshareAction[] = [];
  for (const share of shares) {
    const destinations = (inventory.vaultDestinations ?? []).filter((d) => d.account === share.account);
    const unlisted = share.error ?? destinations.find((d) => d.error !== undefined)?.error;
    if (unlisted !== undefined) {
      warnings.push(
        warning(
          'plan.shares-held',
          `shares with vault account ${share.account} are left as they are this run: ${unlisted}`,
        ),
      );
      continue;
    }
    const roleName = roleOf(policies, share.account);
    for (const id of [...share.snapshotIds].sort()) {
      const snapshot = ours.get(id);
      if (snapshot === undefined || copying.has(`${id} ${share.account}`)) continue;
      const states = destinations.flatMap((d) => (d.copies[id] === undefined ? [] : [d.copies[id]]));
      if (states.includes('pending')) continue;
      unshares.push(unshare(inventory, snapshot, { account: share.account, roleName }, reasonOf(states)));
    }
  }
  return unshares;
}

function reasonOf(states: readonly VaultCopyState[]): Reason {
  if (states.includes('error')) return REASONS.failed;
  return states.includes('completed') ? REASONS.completed : REASONS.none;
}

function roleOf(policies: ReadonlyMap<string, Policy>, account: string): string {
  for (const p of policies.values())
    for (const t of p.vaultTo ?? []) if (t.account === account) return t.roleName;
  return DEFAULT_VAULT_ROLE_NAME;
}

function unshare(
  inventory: Inventory,
  snapshot: Snapshot,
  vault: UnshareAction['vault'],
  reason: Reason,
): UnshareAction {
  const volumeId = snapshot.tags[TAG.volumeId] ?? snapshot.volumeId;
  return {
    action: 'unshare',
    policy: snapshot.tags[TAG.policy]!,
    account: inventory.account,
    region: inventory.region,
    ...(volumeId === undefined ? {} : { volumeId: volumeId as VolumeId }),
    snapshotId: snapshot.id,
    vault,
    reason: { code: reason.code, message: `${reason.message}: shared with ${vault.account} no more` },
  };
}
