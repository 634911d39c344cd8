/**
 * Is a series covered? `OVERDUE` when its newest completed snapshot is older than its schedule
 * plus tolerance (SPEC §12); next due is what the planner's own `decideDue` says.
 *
 * For `every`: overdue when the newest is older than `every + tolerance`. For `cron`: overdue
 * when a slot that ended at least `tolerance` ago has no snapshot counting for it — the planner's
 * rule (a snapshot up to `tolerance` before a slot counts for it) asked at `now − tolerance`.
 */
import { formatDuration } from '../policy/durations.js';
import type { Schedule } from '../policy/types.js';
import { decideDue, prepareSchedule, type ScheduleClock } from '../schedule.js';

const COVERAGE_STATUSES = ['OK', 'OVERDUE', 'UNPROTECTED'] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

const COVERAGE_CODES = [
  'coverage.ok',
  'coverage.none',
  'coverage.late',
  'coverage.schedule',
  'coverage.unselected',
] as const;
type CoverageCode = (typeof COVERAGE_CODES)[number];

/** Why a volume has its status, as data: a code and a message. */
export interface CoverageReason {
  readonly code: CoverageCode;
  readonly message: string;
}

/** A policy's schedule prepared once for one `now`. */
export interface CoverageClock {
  readonly schedule: Schedule;
  readonly now: number;
  /** The planner's clock at `now`, for next due. */
  readonly due: ScheduleClock;
  /** cron: the latest slot at or before `now − tolerance`. */
  readonly lastOwedSlot?: number;
}

export interface SeriesStatus {
  readonly status: 'OK' | 'OVERDUE';
  readonly reason: CoverageReason;
  /** When the planner takes the next snapshot: `now` when due now; undefined when never. */
  readonly nextDue?: number;
}

/** Prepare a schedule for judging many series at `now`. */
export function prepareCoverageClock(schedule: Schedule, now: number): CoverageClock {
  const due = prepareSchedule(schedule, now);
  if (schedule.kind === 'every' || due.problem !== undefined) return { schedule, now, due };
  const owed = prepareSchedule(schedule, now - schedule.toleranceMs).latestSlot;
  return { schedule, now, due, ...(owed === undefined ? {} : { lastOwedSlot: owed }) };
}

/**
 * The status of one series.
 *
 * @param newestCompleted start of the series' newest completed snapshot (not after `now`)
 * @param latestScheduled what the planner's `decideDue` reads (see `latestScheduled`)
 * @example judgeSeries(prepareCoverageClock(policy.schedule, now), now - HOUR, now - HOUR).status // 'OK'
 */
export function judgeSeries(
  clock: CoverageClock,
  newestCompleted: number | undefined,
  latestScheduled: number | undefined,
): SeriesStatus {
  const decision = decideDue(clock.due, latestScheduled);
  const nextDue = decision.due ? clock.now : decision.nextDue;
  const next = nextDue === undefined ? {} : { nextDue };
  if (clock.due.problem !== undefined) {
    return { status: 'OVERDUE', reason: { code: 'coverage.schedule', message: clock.due.problem }, ...next };
  }
  if (newestCompleted === undefined) {
    const message = 'no completed snapshot yet';
    return { status: 'OVERDUE', reason: { code: 'coverage.none', message }, ...next };
  }
  const late = lateness(clock, newestCompleted);
  if (late !== undefined)
    return { status: 'OVERDUE', reason: { code: 'coverage.late', message: late }, ...next };
  const message = `newest is ${formatDuration(clock.now - newestCompleted)} old`;
  return { status: 'OK', reason: { code: 'coverage.ok', message }, ...next };
}

/** Why the newest snapshot is too old, or undefined when it is recent enough. */
function lateness(clock: CoverageClock, newest: number): string | undefined {
  const { schedule, now } = clock;
  const tolerance = formatDuration(schedule.toleranceMs);
  if (schedule.kind === 'every') {
    if (now - newest <= schedule.everyMs + schedule.toleranceMs) return undefined;
    return `newest is ${formatDuration(now - newest)} old: more than every ${schedule.source} plus ${tolerance}`;
  }
  const slot = clock.lastOwedSlot;
  if (slot === undefined || slot - schedule.toleranceMs <= newest) return undefined;
  return `no snapshot for the cron slot ${new Date(slot).toISOString()} (${schedule.source}, ${schedule.timezone}), now ${tolerance} past it or more`;
}
