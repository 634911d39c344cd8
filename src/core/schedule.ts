/**
 * Due rules (SPEC §4): is a series due for a new snapshot at `now`?
 *
 * Everything that depends only on the policy and `now` (the latest cron slot, the next one) is
 * computed once per policy by `prepareSchedule`; `decideDue` is then a few comparisons per series.
 */
import type { Reason } from './actions.js';
import { cronClock } from './cron-clock.js';
import type { Schedule } from './policy/types.js';

/** A schedule prepared for one `now`. */
export interface ScheduleClock {
  readonly schedule: Schedule;
  readonly now: number;
  /** cron: the latest slot at or before `now`; undefined when the pattern has none. */
  readonly latestSlot?: number;
  /** cron: the first slot strictly after a time; undefined when there is none. */
  readonly slotAfter: (time: number) => number | undefined;
  /** Set when the cron pattern or time zone cannot be evaluated: the series is then never due. */
  readonly problem?: string;
}

export type DueDecision =
  | { readonly due: true; readonly reason: Reason }
  | { readonly due: false; readonly reason: Reason; readonly nextDue?: number };

const NONE = (): undefined => undefined;

/**
 * Prepare a schedule for `now`: for cron, find the latest slot in its time zone once.
 *
 * @example prepareSchedule({ kind: 'cron', pattern: '0 0 3 * * *', timezone: 'UTC', ... }, now).latestSlot
 */
export function prepareSchedule(schedule: Schedule, now: number): ScheduleClock {
  if (schedule.kind === 'every') return { schedule, now, slotAfter: NONE };
  try {
    const cron = cronClock(schedule.pattern, schedule.timezone);
    const latest = cron.latestAtOrBefore(now);
    // Asked only for series that are not due (for the message), and then mostly with one time.
    const after = new Map<number, number | undefined>();
    const slotAfter = (time: number): number | undefined => {
      if (!after.has(time)) after.set(time, cron.firstAfter(time));
      return after.get(time);
    };
    return { schedule, now, slotAfter, ...(latest !== undefined ? { latestSlot: latest } : {}) };
  } catch (error) {
    const problem = `cron "${schedule.source}" in ${schedule.timezone} cannot be evaluated: ${String(error)}`;
    return { schedule, now, slotAfter: NONE, problem };
  }
}

/**
 * Decide whether a series is due.
 *
 * @param newest start time of the series' newest non-error snapshot, undefined when it has none.
 */
export function decideDue(clock: ScheduleClock, newest: number | undefined): DueDecision {
  const { schedule, now } = clock;
  if (clock.problem !== undefined) {
    return { due: false, reason: { code: 'not-due', message: clock.problem } };
  }
  if (newest === undefined) {
    return { due: true, reason: { code: 'due.first', message: 'no snapshot of this series yet' } };
  }
  if (schedule.kind === 'every') {
    const nextDue = newest + schedule.everyMs - schedule.toleranceMs;
    if (nextDue <= now) {
      const message = `newest snapshot ${iso(newest)} is older than every ${schedule.source}`;
      return { due: true, reason: { code: 'due.interval', message } };
    }
    return notDue(nextDue);
  }
  // A snapshot up to `tolerance` before a slot counts for that slot, so a run fired slightly
  // early does not double up on the next one.
  const latest = clock.latestSlot;
  if (latest !== undefined && latest - schedule.toleranceMs > newest) {
    const message = `cron slot ${iso(latest)} (${schedule.source}, ${schedule.timezone}) has no snapshot yet`;
    return { due: true, reason: { code: 'due.cron', message } };
  }
  const threshold = newest + schedule.toleranceMs;
  const nextDue = clock.slotAfter(Math.max(threshold, now));
  return notDue(nextDue);
}

function notDue(nextDue: number | undefined): DueDecision {
  if (nextDue === undefined) return { due: false, reason: { code: 'not-due', message: 'no later slot' } };
  return { due: false, reason: { code: 'not-due', message: `next due ${isoOf(nextDue)}` }, nextDue };
}

// Most series of a cron policy are next due at the same slot: format that time once.
let lastTime = Number.NaN;
let lastIso = '';
function isoOf(time: number): string {
  if (time !== lastTime) {
    lastIso = iso(time);
    lastTime = time;
  }
  return lastIso;
}

const iso = (time: number): string => new Date(time).toISOString();
