/**
 * The guard (SPEC §4): a run that would delete more than the limit in one account × region
 * deletes nothing there. Creates are not affected: a broken retention setting must not also
 * stop the backups.
 */
import type { GuardOutcome, KeepAction, PlanAction, Reason } from './actions.js';
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
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    if (a.action !== 'delete') continue;
    const keep: KeepAction = { ...a, action: 'keep', reason };
    actions[i] = keep;
  }
  return { tripped: true, limit: count, wanted };
}
