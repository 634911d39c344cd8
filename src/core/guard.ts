/**
 * The guard (SPEC §4): a run that would delete more than the limit in one account × region
 * deletes nothing there. Creates are not affected: a broken retention setting must not also
 * stop the backups.
 */
import type { GuardOutcome, KeepAction, Plan, PlanAction, Reason } from './actions.js';
import type { InventoryGap } from './model.js';
import type { GuardLimit } from './policy/types.js';

/**
 * The limit as a count: a percent is of the managed snapshots (ours, of configured policies),
 * rounded down.
 *
 * @example resolveGuardLimit({ kind: 'percent', percent: 10 }, 1234) // 123
 */
export function resolveGuardLimit(limit: GuardLimit, managed: number): number {
  return limit.kind === 'count' ? limit.count : Math.floor((limit.percent * managed) / 100);
}

/**
 * True when the plan stopped its own deletes — the guard tripped, or delete safety could not be
 * checked — which a run reports as a failure (exit 1) even though nothing failed to apply.
 */
export function stoppedDeletes(plan: Plan): boolean {
  return plan.guard?.tripped === true || (plan.deletesHeld?.length ?? 0) > 0;
}

/**
 * Hold every delete when a listing that delete safety needs is missing (`inventory.gaps`): a
 * snapshot behind an AMI or under a lock could not be told apart. Creates are not affected.
 * Returns the reasons, or undefined when nothing is missing.
 */
export function holdDeletes(
  actions: PlanAction[],
  gaps: readonly InventoryGap[] | undefined,
): string[] | undefined {
  if (gaps === undefined || gaps.length === 0) return undefined;
  const missing = gaps.map((g) => `${g.resource} (${g.error})`);
  const reason: Reason = {
    code: 'guard.unverified',
    message: `not deleted: delete safety could not be checked without ${missing.join(', ')}`,
  };
  turnDeletesIntoKeeps(actions, reason);
  return missing;
}

/**
 * Apply the guard to a finished list of actions, in place: when it trips, every delete becomes
 * a keep with reason `guard.max-deletes`. Returns undefined when no limit is configured.
 */
export function applyGuard(
  actions: PlanAction[],
  limit: GuardLimit | undefined,
  managed: number,
): GuardOutcome | undefined {
  if (limit === undefined) return undefined;
  const count = resolveGuardLimit(limit, managed);
  let wanted = 0;
  for (const a of actions) if (a.action === 'delete') wanted++;
  if (wanted <= count) return { tripped: false, limit: count, wanted };
  const reason: Reason = {
    code: 'guard.max-deletes',
    message: `guard tripped: ${wanted} deletes wanted, at most ${count} allowed in this account × region`,
  };
  turnDeletesIntoKeeps(actions, reason);
  return { tripped: true, limit: count, wanted };
}

function turnDeletesIntoKeeps(actions: PlanAction[], reason: Reason): void {
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    if (a.action !== 'delete') continue;
    const keep: KeepAction = { ...a, action: 'keep', reason };
    actions[i] = keep;
  }
}
