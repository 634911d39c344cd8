/**
 * cronClock against a brute-force oracle: walk every minute across DST changes, note the instants
 * a slot fires by the documented rules (a wall time that happens twice fires at its first
 * occurrence; one that is skipped fires at the end of the gap), and compare every answer.
 */
import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { cronClock } from './cron-clock.js';
import { normalizeCron } from './policy/cron.js';
import { createOffsetCache } from './time-zone.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function patternOf(expr: string): string {
  const result = normalizeCron(expr);
  if (!('pattern' in result)) throw new Error(result.error);
  return result.pattern;
}

/** The instants in [from, to) at which the pattern fires in the zone, minute by minute. */
function oracleSlots(pattern: string, zone: string, from: number, to: number): number[] {
  const wall = new Cron(pattern, { timezone: 'UTC', paused: true });
  const offsetAt = createOffsetCache(zone);
  const matches = (w: number) => wall.match(new Date(w));
  const slots: number[] = [];
  let previousWall = from - MINUTE + offsetAt(from - MINUTE);
  for (let t = from; t < to; t += MINUTE) {
    const w = t + offsetAt(t);
    if (w > previousWall + MINUTE) {
      // The clocks jumped: every skipped wall minute that matches fires now, once.
      let skipped = false;
      for (let gap = previousWall + MINUTE; gap < w; gap += MINUTE) skipped ||= matches(gap);
      if (skipped || matches(w)) slots.push(t);
    } else if (w > previousWall && matches(w)) {
      // Only the first occurrence of a repeated wall time (w ≤ previousWall means repeated).
      slots.push(t);
    }
    previousWall = Math.max(previousWall, w);
  }
  return slots;
}

const CASES: [string, string, string][] = [
  ['30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z'],
  ['30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z'],
  ['0 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z'],
  ['@hourly', 'Europe/Berlin', '2026-10-24T20:00:00Z'],
  ['*/20 * * * *', 'Europe/Berlin', '2026-03-28T20:00:00Z'],
  ['15 1 * * *', 'America/New_York', '2026-11-01T00:00:00Z'],
  ['0 2 * * *', 'America/New_York', '2026-03-08T00:00:00Z'],
  ['45 1 * * *', 'Australia/Lord_Howe', '2026-04-04T00:00:00Z'],
  ['0 3 * * *', 'UTC', '2026-03-28T00:00:00Z'],
];

describe('cronClock', () => {
  it.each(CASES)(
    '%s in %s agrees with the oracle every 3 minutes of the 36 h from %s',
    (expr, zone, from) => {
      // Prepare
      const pattern = patternOf(expr);
      const start = Date.parse(from);
      const end = start + 36 * HOUR;
      // Slots from a margin before, so the latest slot at the first minute is known too.
      const slots = oracleSlots(pattern, zone, start - 30 * HOUR, end + 30 * HOUR);
      const clock = cronClock(pattern, zone);
      const wrong: string[] = [];

      // Act
      for (let t = start; t < end; t += 3 * MINUTE) {
        const latest = slots.filter((s) => s <= t).at(-1);
        const next = slots.find((s) => s > t);
        const got = [clock.latestAtOrBefore(t), clock.firstAfter(t)];
        if (got[0] !== latest || got[1] !== next) {
          wrong.push(`${new Date(t).toISOString()}: got ${got.map(iso)}, want ${[latest, next].map(iso)}`);
        }
      }

      // Assess
      expect(wrong.slice(0, 5)).toEqual([]);
    },
  );

  it('fires a skipped 02:30 once, at 03:00 Berlin time, and a repeated one at its first occurrence', () => {
    // Prepare
    const clock = cronClock(patternOf('30 2 * * *'), 'Europe/Berlin');

    // Act
    const spring = clock.firstAfter(Date.parse('2026-03-28T12:00:00Z'));
    const fall = clock.firstAfter(Date.parse('2026-10-24T12:00:00Z'));
    const afterFall = clock.firstAfter(Date.parse('2026-10-25T01:10:00Z'));

    // Assess: 01:00 UTC is 03:00 CEST; 00:30 UTC is the first 02:30 (CEST); then 02:30 CET next day
    expect([spring, fall, afterFall].map(iso)).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('has no slot after the last year of a pattern limited to a year', () => {
    // Prepare
    const clock = cronClock(patternOf('0 3 * * ? 2025'), 'Europe/Berlin');

    // Act / Assess
    expect(clock.firstAfter(Date.parse('2026-01-01T00:00:00Z'))).toBeUndefined();
    expect(iso(clock.latestAtOrBefore(Date.parse('2026-01-01T00:00:00Z')))).toBe('2025-12-31T02:00:00.000Z');
  });
});

function iso(time: number | undefined): string {
  return time === undefined ? '-' : new Date(time).toISOString();
}
