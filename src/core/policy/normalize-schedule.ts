/**
 * `schedule` as written → the `Schedule` model: exactly one of `every` / `cron`, durations in ms,
 * crons as croner patterns, the time zone checked.
 */
import { isValidTimeZone, nextCronTime, normalizeCron } from './cron.js';
import { describeValue } from './describe.js';
import { formatDuration, parseDuration } from './durations.js';
import { positiveDuration } from './normalize-retention.js';
import type { Path, Report } from './report.js';
import type { ParsedPolicy } from './schema.js';
import type { Schedule } from './types.js';

/** Default of `tolerance` (SPEC §4): a run a few minutes early still counts. */
const DEFAULT_TOLERANCE_MS = 5 * 60 * 1000;
const DEFAULT_TIMEZONE = 'UTC';

type ParsedSchedule = ParsedPolicy['schedule'];

function normalizeTolerance(raw: ParsedSchedule, path: Path, report: Report): number {
  if (raw.tolerance === undefined) return DEFAULT_TOLERANCE_MS;
  const ms = parseDuration(raw.tolerance);
  if (ms === undefined)
    report.error([...path, 'tolerance'], `${describeValue(raw.tolerance)} is not a duration`);
  return ms ?? DEFAULT_TOLERANCE_MS;
}

function normalizeEvery(
  every: string,
  toleranceMs: number,
  path: Path,
  report: Report,
): Schedule | undefined {
  const everyMs = positiveDuration(every, [...path, 'every'], report);
  if (everyMs === undefined) return undefined;
  if (everyMs <= toleranceMs) {
    report.error(
      [...path, 'every'],
      `${describeValue(every)} must be longer than the tolerance (${formatDuration(toleranceMs)})`,
    );
    return undefined;
  }
  return { kind: 'every', everyMs, toleranceMs, source: every };
}

function normalizeCronSchedule(
  raw: ParsedSchedule,
  cron: string,
  toleranceMs: number,
  path: Path,
  report: Report,
) {
  const timezone = raw.timezone ?? DEFAULT_TIMEZONE;
  const timezoneOk = isValidTimeZone(timezone);
  if (!timezoneOk) report.error([...path, 'timezone'], `${describeValue(timezone)} is not an IANA time zone`);
  const result = normalizeCron(cron);
  if ('error' in result) {
    report.error([...path, 'cron'], `${describeValue(cron)} is not a cron expression: ${result.error}`);
    return undefined;
  }
  if (!timezoneOk) return undefined;
  if (report.now !== undefined && nextCronTime(result.pattern, timezone, report.now) === undefined) {
    const when = new Date(report.now).toISOString();
    report.error([...path, 'cron'], `${describeValue(cron)} never fires again after ${when}`);
    return undefined;
  }
  const schedule: Schedule = { kind: 'cron', pattern: result.pattern, timezone, toleranceMs, source: cron };
  return schedule;
}

/** Normalizes `schedule`; reports at `path` and returns undefined when it is unusable. */
export function normalizeSchedule(raw: ParsedSchedule, path: Path, report: Report): Schedule | undefined {
  if ((raw.every === undefined) === (raw.cron === undefined)) {
    report.error(path, 'give exactly one of "every" or "cron"');
    return undefined;
  }
  const toleranceMs = normalizeTolerance(raw, path, report);
  if (raw.every !== undefined) {
    if (raw.timezone !== undefined) {
      report.warn('config.ignored', [...path, 'timezone'], 'only used with "cron"; ignored with "every"');
    }
    return normalizeEvery(raw.every, toleranceMs, path, report);
  }
  return normalizeCronSchedule(raw, raw.cron!, toleranceMs, path, report);
}
