/**
 * `lock` as written (`snapshot.lock`, or a `copy_to` entry's) → the `LockRule` model, with the
 * checks EC2 would otherwise make at the first LockSnapshot: a lock lasts 1 to 36,500 days, a
 * cool-off 1 to 72 whole hours and only in compliance mode, and `until: expiry` needs a `max_age`
 * to expire at.
 */
import { LOCK_MAXIMUM_MS, LOCK_MINIMUM_MS } from '../locks/lock-dates.js';
import { describeValue } from './describe.js';
import { formatDuration, parseDuration } from './durations.js';
import type { Path, Report } from './report.js';
import type { ParsedLock } from './schema.js';
import type { LockRule, Retention } from './types.js';

const HOUR = 3_600_000;
/** EC2's bounds of `CoolOffPeriod`, in hours. */
const COOL_OFF_HOURS = { min: 1, max: 72 } as const;

/**
 * The lock of snapshots kept by `retention` (whose `max_age` `until: expiry` ends at), or
 * undefined with an error at `path`. `owner` names the snapshots in the compliance-mode warning.
 *
 * @example normalizeLock({ mode: 'compliance', until: 'expiry' }, retention, ['policies', 0, 'snapshot', 'lock'], report, "policy db's snapshots")
 */
export function normalizeLock(
  raw: ParsedLock,
  retention: Retention,
  path: Path,
  report: Report,
  owner: string,
): LockRule | undefined {
  const clean = report.clean(() => {
    checkUntil(raw.until, retention, [...path, 'until'], report);
    checkCoolOff(raw, [...path, 'cool_off'], report);
  });
  if (!clean) return undefined;
  const durationMs = raw.until === 'expiry' ? undefined : parseDuration(raw.until);
  const coolOffMs = raw.cool_off === undefined ? undefined : parseDuration(raw.cool_off);
  if (raw.mode === 'compliance') {
    const coolOff = coolOffMs === undefined ? '' : ` (after a cool-off of ${coolOffMs / HOUR} hours)`;
    report.warn(
      'config.lock-compliance',
      path,
      `compliance mode cannot be undone by anyone, the account root included: ${owner} cannot be deleted before their lock ends${coolOff}`,
    );
  }
  return {
    mode: raw.mode,
    ...(durationMs === undefined ? {} : { durationMs }),
    ...(coolOffMs === undefined ? {} : { coolOffHours: coolOffMs / HOUR }),
  };
}

function checkUntil(until: string, retention: Retention, path: Path, report: Report): void {
  if (until === 'expiry') {
    if (retention.maxAgeMs === undefined) {
      report.error(
        path,
        '"expiry" needs retention.max_age to expire at; give a duration instead (until: 30 days)',
      );
    } else if (retention.maxAgeMs < LOCK_MINIMUM_MS) {
      report.error(
        path,
        `"expiry" is max_age ${formatDuration(retention.maxAgeMs)} away, and EC2 locks a snapshot for a day at least`,
      );
    }
    return;
  }
  const ms = parseDuration(until);
  if (ms === undefined) report.error(path, `${describeValue(until)} is not a duration`);
  else if (ms < LOCK_MINIMUM_MS || ms > LOCK_MAXIMUM_MS)
    report.error(path, `${describeValue(until)}: EC2 locks a snapshot for 1 to 36500 days`);
}

function checkCoolOff(raw: ParsedLock, path: Path, report: Report): void {
  if (raw.cool_off === undefined) return;
  if (raw.mode !== 'compliance') {
    report.error(path, 'a cool-off is for compliance mode only (governance locks can be removed anyway)');
    return;
  }
  const ms = parseDuration(raw.cool_off);
  const hours = ms === undefined ? Number.NaN : ms / HOUR;
  if (!Number.isInteger(hours) || hours < COOL_OFF_HOURS.min || hours > COOL_OFF_HOURS.max) {
    report.error(
      path,
      `${describeValue(raw.cool_off)} is not ${COOL_OFF_HOURS.min} to ${COOL_OFF_HOURS.max} whole hours (EC2's cool-off)`,
    );
  }
}
