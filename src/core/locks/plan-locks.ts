/**
 * Locks still missing (SPEC §14): a snapshot of a policy with `lock` (or a copy of a `copy_to`
 * entry with one) that the plan keeps and that has no lock in force yet — its LockSnapshot was
 * refused, or the run that made it ended first, or the lock was added to the policy later — is
 * locked by this run (`~ lock`, reason `lock.missing`), until the end its rule gives it. Nothing
 * is locked when the account's locks could not be listed (it might be locked already, and a
 * compliance lock past its cool-off cannot be shortened).
 */
import type { LockAction, PlanAction } from '../actions.js';
import type { Inventory, Snapshot, Tags, VolumeId } from '../model.js';
import { TAG } from '../model.js';
import type { LockRule, Policy, Retention } from '../policy/types.js';
import { isVaultCopy, vaultTargetOf } from '../vault/vault-series.js';
import { type Warning, warning } from '../warnings.js';
import { intent, lockEndOf, stillLockable } from './lock-dates.js';

/** The lock rule (and the retention `until: expiry` reads) of a snapshot with `tags`, if any. */
export function lockRuleOf(
  policy: Policy,
  inventory: Inventory,
  tags: Tags,
): { readonly rule: LockRule; readonly retention: Retention } | undefined {
  if (isVaultCopy(tags, inventory.account)) {
    const target = vaultTargetOf(policy, inventory, tags);
    return target?.lock === undefined ? undefined : { rule: target.lock, retention: target.retention };
  }
  const source = tags[TAG.sourceRegion];
  if (source !== undefined && source !== inventory.region) {
    const target = policy.copyTo.find((t) => t.region === inventory.region);
    return target?.lock === undefined ? undefined : { rule: target.lock, retention: target.retention };
  }
  const { lock } = policy.snapshot;
  return lock === undefined ? undefined : { rule: lock, retention: policy.retention };
}

/** Whether any snapshot of `policy` may need a lock. */
const usesLocks = (p: Policy): boolean =>
  p.snapshot.lock !== undefined ||
  p.copyTo.some((t) => t.lock !== undefined) ||
  (p.vaultTo ?? []).some((t) => t.lock !== undefined);

/**
 * The lock actions for the snapshots `actions` keep, in the order of those keeps.
 *
 * @example const locks = planLocks(inventory, byId, plan.actions, now, warnings);
 */
export function planLocks(
  inventory: Inventory,
  policies: ReadonlyMap<string, Policy>,
  actions: readonly PlanAction[],
  now: number,
  warnings: Warning[],
): LockAction[] {
  const locking = new Set([...policies.values()].filter(usesLocks).map((p) => p.id));
  if (locking.size === 0) return [];
  if (inventory.gaps?.some((g) => g.resource === 'locked-snapshots')) {
    warnings.push(
      warning('plan.locks-held', 'no snapshot locked this run: the locks in force could not be listed'),
    );
    return [];
  }
  const candidates = new Map<string, Snapshot>();
  for (const s of inventory.snapshots) {
    const policy = s.tags[TAG.policy];
    if (policy !== undefined && locking.has(policy) && s.locked !== true && s.ownerId === inventory.account)
      candidates.set(s.id, s);
  }
  if (candidates.size === 0) return [];
  const locks: LockAction[] = [];
  for (const action of actions) {
    if (action.action !== 'keep' || action.policy === undefined) continue;
    const snapshot = candidates.get(action.snapshotId);
    if (snapshot === undefined || snapshot.state === 'error') continue;
    const found = lockRuleOf(policies.get(action.policy)!, inventory, snapshot.tags);
    if (found === undefined) continue;
    const end = lockEndOf(found.rule, found.retention, snapshot);
    if (end === undefined || !stillLockable(end, now)) continue;
    const lock = intent(found.rule, end);
    locks.push({
      action: 'lock',
      policy: action.policy,
      account: inventory.account,
      region: inventory.region,
      ...(action.volumeId === undefined ? {} : { volumeId: action.volumeId as VolumeId }),
      snapshotId: snapshot.id,
      lock,
      reason: {
        code: 'lock.missing',
        message: `no lock in force yet: locked in ${lock.mode} mode until ${lock.until}`,
      },
    });
  }
  return locks;
}
