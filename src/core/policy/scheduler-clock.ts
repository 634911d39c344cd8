/**
 * When a deployed run starts: the times of an EventBridge Scheduler expression in its time zone,
 * for `deploy`'s "what happens next" and `status`'s overdue check. A `cron(...)` has exact times
 * (AWS 6-field crons, evaluated as the planner evaluates them, daylight saving included); a
 * `rate(...)` counts from when Scheduler made the schedule, which the tool does not know, so its
 * next time is a bound: at most one interval away.
 */
import { nextCronTime, normalizeCron } from './cron.js';
import type { DeploySchedule } from './types.js';

const RATE = /^rate\((\d+) (minute|hour|day)s?\)$/;
const UNIT_MS: Readonly<Record<string, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** A start of a run: exact (a cron slot), or at the latest (a rate). */
export interface ScheduledStart {
  readonly at: number;
  readonly exact: boolean;
}

export interface SchedulerClock {
  /** The first start after `time` (for a rate: `time` + the rate, the latest it can be). */
  nextAfter(time: number): ScheduledStart | undefined;
}

/**
 * The clock of a deploy schedule, or undefined for an expression that repeats never or is not
 * one (`at(...)`, garbage).
 *
 * @example schedulerClock({ expression: 'cron(0 3 * * ? *)', timezone: 'Europe/Berlin' })?.nextAfter(Date.parse('2026-12-06T12:00:00Z'))
 * // { at: Date.parse('2026-12-07T02:00:00Z'), exact: true }: 03:00 in Berlin
 */
export function schedulerClock(schedule: DeploySchedule): SchedulerClock | undefined {
  const rate = RATE.exec(schedule.expression);
  if (rate !== null) {
    const every = Number(rate[1]) * UNIT_MS[rate[2]!]!;
    return every > 0 ? { nextAfter: (time) => ({ at: time + every, exact: false }) } : undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(schedule.expression);
  if (cron === null) return undefined;
  const normalized = normalizeCron(cron[1]!);
  if ('error' in normalized) return undefined;
  return {
    nextAfter(time) {
      const at = nextCronTime(normalized.pattern, schedule.timezone, time);
      return at === undefined ? undefined : { at, exact: true };
    },
  };
}

/**
 * When a run that started at `startedAt` has been overtaken twice: the second start after it. A
 * target whose newest record is older than that has missed a run (SPEC: overdue at twice the
 * schedule); undefined when the schedule has no such time.
 *
 * @example secondStartAfter(schedulerClock({ expression: 'rate(1 hour)', timezone: 'UTC' })!, t) // t + 2 h
 */
export function secondStartAfter(clock: SchedulerClock, startedAt: number): number | undefined {
  const first = clock.nextAfter(startedAt);
  return first === undefined ? undefined : clock.nextAfter(first.at)?.at;
}
