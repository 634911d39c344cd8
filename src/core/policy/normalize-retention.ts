/**
 * `retention` as written (aliases, durations as text) → the `Retention` model.
 */
import { describeValue } from './describe.js';
import { parseDuration } from './durations.js';
import type { Path, Report } from './report.js';
import type { ParsedRetention } from './schema.js';
import type { Orphaned, Retention } from './types.js';

/** Default of `minimum`: the newest completed snapshot always survives. */
const DEFAULT_MINIMUM = 1;

/** A positive duration in ms, or an error at `path`. */
export function positiveDuration(text: string, path: Path, report: Report): number | undefined {
  const ms = parseDuration(text);
  if (ms === undefined) {
    report.error(path, `${describeValue(text)} is not a duration`);
    return undefined;
  }
  if (ms <= 0) {
    report.error(path, `${describeValue(text)} must be longer than 0`);
    return undefined;
  }
  return ms;
}

/** The value of a key that has an alias; both given is an error. */
function pickAlias<T>(
  raw: { readonly [key: string]: unknown },
  name: string,
  alias: string,
  path: Path,
  report: Report,
): { key: string; value: T } | undefined {
  const value = raw[name] as T | undefined;
  const aliased = raw[alias] as T | undefined;
  if (value !== undefined && aliased !== undefined) {
    report.error(path, `give either "${name}" or its alias "${alias}", not both`);
  }
  if (value !== undefined) return { key: name, value };
  if (aliased !== undefined) return { key: alias, value: aliased };
  return undefined;
}

function normalizeOrphaned(raw: ParsedRetention['orphaned'], path: Path, report: Report): Orphaned {
  if (raw === 'keep') return { kind: 'keep' };
  const afterMs = positiveDuration(raw['expire-after'], [...path, 'expire-after'], report);
  return afterMs === undefined ? { kind: 'keep' } : { kind: 'expire-after', afterMs };
}

/** Normalizes one retention block (a policy's or a copy target's). */
export function normalizeRetention(raw: ParsedRetention, path: Path, report: Report): Retention {
  const maxAge = pickAlias<string>(raw, 'max_age', 'retention', path, report);
  const minimum = pickAlias<number>(raw, 'minimum', 'keep_last', path, report);
  const maxAgeMs =
    maxAge === undefined ? undefined : positiveDuration(maxAge.value, [...path, maxAge.key], report);
  const retention: Retention = {
    ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
    minimum: minimum?.value ?? DEFAULT_MINIMUM,
    keepDaily: raw.keep_daily,
    keepWeekly: raw.keep_weekly,
    keepMonthly: raw.keep_monthly,
    keepYearly: raw.keep_yearly,
    orphaned: normalizeOrphaned(raw.orphaned, [...path, 'orphaned'], report),
  };
  checkSomethingIsKept(retention, maxAge !== undefined, minimum !== undefined, path, report);
  return retention;
}

function checkSomethingIsKept(
  retention: Retention,
  hasMaxAge: boolean,
  hasMinimum: boolean,
  path: Path,
  report: Report,
): void {
  const tiers = retention.keepDaily + retention.keepWeekly + retention.keepMonthly + retention.keepYearly;
  if (hasMaxAge) return;
  if (retention.minimum === 0 && tiers === 0) {
    report.error(path, 'keeps no snapshot at all: set max_age, a minimum above 0 or a keep_* tier');
  } else if (retention.minimum === 0) {
    report.warn(
      'config.retention',
      path,
      'minimum is 0 and there is no max_age: only the keep_* tiers keep snapshots',
    );
  } else if (!hasMinimum && tiers === 0) {
    report.warn(
      'config.retention',
      path,
      `no max_age, minimum or keep_* tier: only the newest ${DEFAULT_MINIMUM} snapshot is kept`,
    );
  }
}
