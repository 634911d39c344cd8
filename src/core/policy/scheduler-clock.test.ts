import { describe, expect, it } from 'vitest';
import { schedulerClock, secondStartAfter } from './scheduler-clock.js';

const at = (iso: string) => Date.parse(iso);

describe('schedulerClock', () => {
  it('bounds the next start of a rate by one interval from now (Scheduler counts from when it made the schedule)', () => {
    // Prepare
    const clock = schedulerClock({ expression: 'rate(6 hours)', timezone: 'UTC' });

    // Act
    const next = clock?.nextAfter(at('2026-12-06T10:00:00Z'));

    // Assess
    expect(next).toEqual({ at: at('2026-12-06T16:00:00Z'), exact: false });
    expect(schedulerClock({ expression: 'rate(1 minute)', timezone: 'UTC' })?.nextAfter(0)).toEqual({
      at: 60_000,
      exact: false,
    });
    expect(schedulerClock({ expression: 'rate(2 days)', timezone: 'UTC' })?.nextAfter(0)?.at).toBe(
      2 * 86_400_000,
    );
  });

  it('gives the exact next slot of an AWS cron in its time zone, across a daylight saving change', () => {
    // Prepare: 03:00 every day in Berlin; clocks go back on 2026-10-25
    const clock = schedulerClock({ expression: 'cron(0 3 * * ? *)', timezone: 'Europe/Berlin' })!;

    // Act / Assess
    expect(clock.nextAfter(at('2026-10-24T12:00:00Z'))).toEqual({
      at: at('2026-10-25T02:00:00Z'),
      exact: true,
    });
    expect(clock.nextAfter(at('2026-10-25T12:00:00Z'))).toEqual({
      at: at('2026-10-26T02:00:00Z'),
      exact: true,
    });
    expect(clock.nextAfter(at('2026-07-01T00:59:59Z'))).toEqual({
      at: at('2026-07-01T01:00:00Z'),
      exact: true,
    });
  });

  it('reads AWS day-of-week numbers (1 = Sunday) and years', () => {
    // Prepare: 04:30 on Mondays (2) of 2027 in New York
    const clock = schedulerClock({ expression: 'cron(30 4 ? * 2 2027)', timezone: 'America/New_York' })!;

    // Act
    const next = clock.nextAfter(at('2026-12-06T00:00:00Z'));

    // Assess: the first Monday of 2027 is January 4th; EST is UTC−5
    expect(next).toEqual({ at: at('2027-01-04T09:30:00Z'), exact: true });
  });

  it('has no clock for what does not repeat or is not an expression', () => {
    // Act / Assess
    expect(schedulerClock({ expression: 'at(2027-01-01T00:00:00)', timezone: 'UTC' })).toBeUndefined();
    expect(schedulerClock({ expression: 'every hour', timezone: 'UTC' })).toBeUndefined();
    expect(schedulerClock({ expression: 'cron(0 0 31 2 ? *)', timezone: 'UTC' })).toBeUndefined();
  });

  it('puts the second start after a run two starts later: twice the schedule', () => {
    // Prepare
    const hourly = schedulerClock({ expression: 'rate(1 hour)', timezone: 'UTC' })!;
    const daily = schedulerClock({ expression: 'cron(0 3 * * ? *)', timezone: 'UTC' })!;

    // Act / Assess
    expect(secondStartAfter(hourly, at('2026-12-06T10:00:00Z'))).toBe(at('2026-12-06T12:00:00Z'));
    expect(secondStartAfter(daily, at('2026-12-06T03:00:05Z'))).toBe(at('2026-12-08T03:00:00Z'));
  });
});
