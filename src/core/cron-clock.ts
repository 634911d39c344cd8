/**
 * Cron slots in a time zone, correct across daylight saving changes.
 *
 * croner evaluates a pattern in a zone, but near a DST change it answers wrongly (seen with
 * croner 10 and `30 2 * * *` in Europe/Berlin): between 03:00 and 03:30 CEST on spring-forward day
 * its latest slot lies in the future and its next slot is the next day, so a run at 03:00 skipped
 * the day; in the repeated hour of fall-back day its next slot lies in the past. So croner only
 * finds slots in *wall-clock* time (evaluated as UTC, which has no DST), and this file maps each
 * wall-clock slot to an instant with fixed rules:
 *
 * - a wall time that happens twice (fall back) is the first of the two instants: the slot fires once;
 * - a wall time that does not exist (spring forward) is the first instant after the gap (03:00
 *   local for a 02:30 slot in Europe/Berlin): the slot still fires that day, once.
 */
import { Cron } from 'croner';
import { createOffsetCache } from './time-zone.js';

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Wider than any DST shift (most are 1 h, Lord Howe's 30 min, historic double summer time 2 h). */
const WINDOW = 3 * HOUR;

/** A cron pattern's slots in one time zone, as instants (epoch ms). */
export interface CronClock {
  /** The latest slot at or before `time`; undefined when the pattern has none. */
  latestAtOrBefore(time: number): number | undefined;
  /** The first slot strictly after `time`; undefined when the pattern has none. */
  firstAfter(time: number): number | undefined;
}

const clocks = new Map<string, CronClock>();

/**
 * The clock of a normalized (croner, seconds-first) pattern in an IANA zone, shared across plans:
 * compiling one costs a fraction of a millisecond, and a run plans many targets with the same
 * policies. Throws when croner refuses the pattern.
 *
 * @example cronClock('0 30 2 * * * *', 'Europe/Berlin').latestAtOrBefore(Date.parse('2026-03-29T01:00:00Z'))
 * // 2026-03-29T01:00:00Z: 03:00 CEST, the first instant after the gap
 */
export function cronClock(pattern: string, timeZone: string): CronClock {
  const key = `${timeZone} ${pattern}`;
  let clock = clocks.get(key);
  if (clock === undefined) {
    clock = createCronClock(pattern, timeZone);
    if (clocks.size >= 256) clocks.clear();
    clocks.set(key, clock);
  }
  return clock;
}

function createCronClock(pattern: string, timeZone: string): CronClock {
  const wall = new Cron(pattern, { timezone: 'UTC', paused: true });
  // croner's answers are strictly before / after the reference, in whole seconds.
  const wallBefore = (w: number) => wall.previousRuns(1, new Date(w))[0]?.getTime();
  const wallAfter = (w: number) => wall.nextRun(new Date(w))?.getTime();
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    return {
      latestAtOrBefore: (time) => wallBefore(Math.floor(time / SECOND) * SECOND + SECOND),
      firstAfter: (time) => wallAfter(time),
    };
  }
  const offsetAt = createOffsetCache(timeZone);
  const toInstant = (w: number) => instantOfWallTime(w, offsetAt);
  // Away from a DST change, wall time is the instant shifted by one offset: one croner call.
  const steadyOffset = (time: number): number | undefined => {
    const offset = offsetAt(time);
    return offsetAt(time - WINDOW) === offset && offsetAt(time + WINDOW) === offset ? offset : undefined;
  };
  return {
    latestAtOrBefore(time) {
      const steady = steadyOffset(time);
      if (steady !== undefined) {
        const w = wallBefore(Math.floor((time + steady) / SECOND) * SECOND + SECOND);
        if (w === undefined || w >= time + steady - WINDOW) return w === undefined ? undefined : toInstant(w);
      }
      const wallNow = time + offsetAt(time);
      let best: number | undefined;
      // Instants follow wall times except within a DST change, which the window spans.
      for (let w = wallBefore(wallNow + WINDOW); w !== undefined; w = wallBefore(w)) {
        const instant = toInstant(w);
        if (instant <= time && (best === undefined || instant > best)) best = instant;
        if (w < wallNow - WINDOW) break;
      }
      return best;
    },
    firstAfter(time) {
      const steady = steadyOffset(time);
      if (steady !== undefined) {
        const w = wallAfter(time + steady);
        if (w === undefined || w <= time + steady + WINDOW) return w === undefined ? undefined : w - steady;
      }
      const wallNow = time + offsetAt(time);
      let best: number | undefined;
      for (let w = wallAfter(wallNow - WINDOW); w !== undefined; w = wallAfter(w)) {
        const instant = toInstant(w);
        if (instant > time && (best === undefined || instant < best)) best = instant;
        if (w > wallNow + WINDOW) break;
      }
      return best;
    },
  };
}

/**
 * The instant a wall-clock time (written as if it were UTC) happens in the zone: the first of two
 * in a repeated hour, the end of the gap for a time that is skipped.
 */
function instantOfWallTime(wall: number, offsetAt: (time: number) => number): number {
  // Offsets a day before and after bound every offset in force near this wall time.
  const early = wall - offsetAt(wall - DAY);
  const late = wall - offsetAt(wall + DAY);
  const matches = [early, late].filter((t) => t + offsetAt(t) === wall);
  if (matches.length > 0) return Math.min(...matches);
  // Skipped: find the first instant whose wall time is past it (the moment the clocks jumped).
  let low = Math.min(early, late);
  let high = Math.max(early, late);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (middle + offsetAt(middle) >= wall) high = middle;
    else low = middle;
  }
  return high;
}
