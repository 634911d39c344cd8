/**
 * Cron schedules. Users write Vixie 5-field crons, AWS EventBridge 6-field crons (with `?` and a
 * year) or `@daily`-style nicknames; the planner evaluates them with `croner`. This module turns
 * every accepted form into one canonical 7-field croner pattern:
 * `0 <minute> <hour> <day-of-month> <month> <day-of-week> <year>`.
 *
 * Slots in a time zone come from `../cron-clock.ts`, which maps wall-clock slots to instants with
 * fixed daylight-saving rules (a repeated wall time fires once, at its first occurrence; a skipped
 * one fires at the end of the gap), checked against a brute-force oracle in `cron-clock.test.ts`.
 */
import { Cron } from 'croner';
import { cronClock } from '../cron-clock.js';
import {
  expandStartStep,
  FIELD_MAX,
  isWildcard,
  replaceQuestionMark,
  translateAwsDayOfWeek,
} from './cron-fields.js';

export type CronResult = { readonly pattern: string } | { readonly error: string };

/** Nicknames, as 5-field crons. */
const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/**
 * Normalizes a cron expression into a croner pattern, or explains why it is not one.
 * Names are case-insensitive; an AWS `cron(...)` wrapper is accepted.
 *
 * @example normalizeCron('0 3 * * MON-FRI') // { pattern: '0 0 3 * * MON-FRI *' }
 * @example normalizeCron('0 5 ? * 2 *') // AWS: 2 = Monday → { pattern: '0 0 5 * * 1 *' }
 */
export function normalizeCron(expr: string): CronResult {
  const text = unwrapAws(expr.trim());
  if (text.startsWith('@')) {
    const expanded = NICKNAMES[text.toLowerCase()];
    if (expanded === undefined) {
      return { error: `unknown nickname "${text}"; use one of ${Object.keys(NICKNAMES).join(', ')}` };
    }
    return normalizeFields(expanded.split(' '));
  }
  const fields = text.toUpperCase().split(/\s+/).filter(Boolean);
  return normalizeFields(fields);
}

function unwrapAws(text: string): string {
  const match = /^cron\((.*)\)$/i.exec(text);
  return match ? match[1]!.trim() : text;
}

function normalizeFields(fields: readonly string[]): CronResult {
  if (fields.length === 5) {
    const [minute, hour, dom, month, dow] = fields.map(replaceQuestionMark) as [
      string,
      string,
      string,
      string,
      string,
    ];
    return validate(['0', ...expandSteps(minute, hour, dom, month), dow, '*']);
  }
  if (fields.length === 6) return normalizeAws(fields as [string, string, string, string, string, string]);
  return {
    error:
      `expected 5 fields (minute hour day-of-month month day-of-week) or 6 AWS-style fields ` +
      `(… day-of-week year), got ${fields.length}`,
  };
}

/** AWS EventBridge: `minute hour day-of-month month day-of-week year`, day-of-week 1-7 = SUN-SAT. */
function normalizeAws(fields: readonly [string, string, string, string, string, string]): CronResult {
  const [minute, hour, dom, month, dow, year] = fields;
  if (!isWildcard(dom) && !isWildcard(dow)) {
    return {
      error: 'AWS-style cron cannot restrict both day-of-month and day-of-week; put ? in one of them',
    };
  }
  const day = translateAwsDayOfWeek(dow);
  if (typeof day !== 'string') return day;
  const [m, h, d, mo] = expandSteps(minute, hour, replaceQuestionMark(dom), month);
  return validate(['0', m, h, d, mo, day, expandStartStep(replaceQuestionMark(year), FIELD_MAX.year)]);
}

function expandSteps(
  minute: string,
  hour: string,
  dom: string,
  month: string,
): [string, string, string, string] {
  return [
    expandStartStep(minute, FIELD_MAX.minute),
    expandStartStep(hour, FIELD_MAX.hour),
    expandStartStep(dom, FIELD_MAX.dayOfMonth),
    expandStartStep(month, FIELD_MAX.month),
  ];
}

/** Lets croner judge the final pattern, and refuses patterns that can never fire (`0 0 31 2 *`). */
function validate(fields: readonly string[]): CronResult {
  const pattern = fields.join(' ');
  try {
    const cron = new Cron(pattern, { paused: true, timezone: 'UTC' });
    if (cron.nextRun(new Date(0)) === null) return { error: 'never matches any time' };
    return { pattern };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { error: message.replace(/^CronPattern:\s*/, '') };
  }
}

/**
 * True for an IANA time zone name this runtime knows (`Europe/Berlin`, `UTC`); false for offsets
 * like `+01:00` and for garbage.
 */
export function isValidTimeZone(timezone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(timezone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The latest slot of a normalized pattern at or before `atMs`, in epoch ms (undefined if none).
 *
 * @example latestCronTime('0 0 3 * * * *', 'UTC', Date.parse('2026-01-02T03:00:00Z')) // that instant
 */
export function latestCronTime(pattern: string, timezone: string, atMs: number): number | undefined {
  return cronClock(pattern, timezone).latestAtOrBefore(atMs);
}

/** The first slot of a normalized pattern strictly after `afterMs`, in epoch ms (undefined if none). */
export function nextCronTime(pattern: string, timezone: string, afterMs: number): number | undefined {
  return cronClock(pattern, timezone).firstAfter(afterMs);
}
