/**
 * Overdue volumes (SPEC §10 `overdue`): a selected volume whose newest snapshot is older than
 * twice its schedule — a run was missed, or its creates keep failing. A series' first snapshot
 * is never overdue: there is nothing late yet.
 */
import type { CreateAction, Plan } from './actions.js';
import { cronClock } from './cron-clock.js';
import type { Policy, Schedule } from './policy/types.js';

export interface OverdueVolume {
  readonly policy: string;
  readonly volumeId: string;
  /** Epoch ms the newest snapshot counts from. */
  readonly newestAt: number;
  /** How long the schedule allows between snapshots, ms. */
  readonly intervalMs: number;
}

/**
 * The schedule's period at `now`: `every`, or for a cron the gap between its latest slot and the
 * one before (a weekday-only cron is 3 days over a weekend).
 */
function scheduleInterval(schedule: Schedule, now: number): number | undefined {
  if (schedule.kind === 'every') return schedule.everyMs;
  const clock = cronClock(schedule.pattern, schedule.timezone);
  const latest = clock.latestAtOrBefore(now);
  const before = latest === undefined ? undefined : clock.latestAtOrBefore(latest - 1);
  return latest === undefined || before === undefined ? undefined : latest - before;
}

/**
 * The plan's creates whose series was overdue.
 *
 * @example findOverdue(plan, config.policies).length // metric VolumesOverdue
 */
export function findOverdue(plan: Plan, policies: readonly Policy[]): OverdueVolume[] {
  const now = Date.parse(plan.now);
  const byId = new Map(policies.map((p) => [p.id, p]));
  const intervals = new Map<string, number | undefined>();
  const overdue: OverdueVolume[] = [];
  for (const action of plan.actions) {
    if (action.action !== 'create' || action.previousAt === undefined) continue;
    const interval = intervalOf(action, byId, intervals, now);
    if (interval !== undefined && now - action.previousAt > 2 * interval) {
      overdue.push({
        policy: action.policy,
        volumeId: action.volumeId,
        newestAt: action.previousAt,
        intervalMs: interval,
      });
    }
  }
  return overdue;
}

function intervalOf(
  action: CreateAction,
  policies: ReadonlyMap<string, Policy>,
  cache: Map<string, number | undefined>,
  now: number,
): number | undefined {
  if (!cache.has(action.policy)) {
    const policy = policies.get(action.policy);
    cache.set(action.policy, policy === undefined ? undefined : scheduleInterval(policy.schedule, now));
  }
  return cache.get(action.policy);
}
