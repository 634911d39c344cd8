/**
 * Durations as people write them in a policy file: `90m`, `36h`, `1d12h`, `2w`, `4 days`,
 * `12 hours`, `1 week`, `6 months`, `1 year`. A bare number is rejected: is `14` days or hours?
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Unit spellings → milliseconds. A month is 30 days and a year 365 days (fixed lengths, no calendar). */
const UNITS: ReadonlyArray<{ readonly names: readonly string[]; readonly ms: number }> = [
  { names: ['s', 'sec', 'secs', 'second', 'seconds'], ms: SECOND },
  { names: ['m', 'min', 'mins', 'minute', 'minutes'], ms: MINUTE },
  { names: ['h', 'hr', 'hrs', 'hour', 'hours'], ms: HOUR },
  { names: ['d', 'day', 'days'], ms: DAY },
  { names: ['w', 'wk', 'wks', 'week', 'weeks'], ms: 7 * DAY },
  { names: ['mo', 'month', 'months'], ms: 30 * DAY },
  { names: ['y', 'yr', 'yrs', 'year', 'years'], ms: 365 * DAY },
];

const UNIT_MS = new Map(UNITS.flatMap((unit) => unit.names.map((name) => [name, unit.ms] as const)));

/**
 * One spelling as a case-insensitive regex fragment without flags (JSON Schema patterns have no
 * flags). A lone `M` stays out: in `6M` it could mean months or minutes, and a retention of six
 * minutes instead of six months would delete almost everything.
 */
function caseInsensitive(name: string): string {
  if (name === 'm') return 'm';
  return [...name].map((c) => `[${c}${c.toUpperCase()}]`).join('');
}

// Longest spellings first, so `mins` is not read as `m` followed by garbage.
const UNIT_ALTERNATION = [...UNIT_MS.keys()]
  .sort((a, b) => b.length - a.length)
  .map(caseInsensitive)
  .join('|');
const PART = `(\\d+(?:\\.\\d+)?)\\s*(${UNIT_ALTERNATION})`;
const PART_RE = new RegExp(PART, 'g');

/**
 * The whole-string shape of a duration, shared by the parser and the JSON Schema. Parts may be
 * separated by spaces, commas or `and`: `1 day 12 hours`, `1d12h`, `1 week, 2 days`.
 */
export const DURATION_PATTERN = new RegExp(`^\\s*${PART}(?:(?:\\s*,\\s*|\\s+and\\s+|\\s*)${PART})*\\s*$`);

/**
 * Parses a duration into milliseconds; `undefined` when the text is not a duration.
 *
 * @example parseDuration('1d12h') // 129_600_000
 * @example parseDuration('14') // undefined: a bare number is ambiguous
 */
export function parseDuration(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(PART_RE)) {
    const unitMs = UNIT_MS.get(match[2]!.toLowerCase());
    if (unitMs === undefined) return undefined;
    total += Number(match[1]) * unitMs;
  }
  return Math.round(total);
}

const FORMAT_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', DAY],
  ['h', HOUR],
  ['m', MINUTE],
  ['s', SECOND],
  ['ms', 1],
];

/**
 * Formats milliseconds compactly for messages, largest unit first.
 *
 * @example formatDuration(14 * 86_400_000) // "14d"
 * @example formatDuration(36 * 3_600_000) // "1d12h"
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? '-' : '';
  let rest = Math.round(Math.abs(ms));
  if (rest === 0) return '0s';
  let text = '';
  for (const [unit, size] of FORMAT_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return sign + text;
}
