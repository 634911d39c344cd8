/**
 * `drill` as written → the `DrillSettings` model, with the checks that need more than one key:
 * `host` and `commands` belong to `check: ssm` and are required there; the timeout has bounds.
 */

import type { ParsedDrill } from './drill-schema.js';
import { formatDuration } from './durations.js';
import { positiveDuration } from './normalize-retention.js';
import type { Path, Report } from './report.js';
import type { DrillHost, DrillSettings, Retention } from './types.js';

/** A drill not finished in 2 hours is failed and cleaned up, unless the policy says otherwise. */
export const DEFAULT_DRILL_TIMEOUT_MS = 2 * 3_600_000;
/** Shorter than this, even a small volume's drill would fail on an ordinary slow day. */
const MIN_DRILL_TIMEOUT_MS = 10 * 60_000;
/** A drill volume lives at most its timeout plus one run: a week bounds what a forgotten one costs. */
const MAX_DRILL_TIMEOUT_MS = 7 * 86_400_000;

/** Normalizes one policy's `drill`; errors are reported at `path`. */
export function normalizeDrill(raw: ParsedDrill, path: Path, report: Report): DrillSettings | undefined {
  let drill: DrillSettings | undefined;
  const clean = report.clean(() => {
    const everyMs = positiveDuration(raw.every, [...path, 'every'], report);
    if (raw.sample === 0) report.error([...path, 'sample'], 'must be at least 1');
    const timeoutMs = normalizeTimeout(raw.timeout, [...path, 'timeout'], report);
    checkSsmKeys(raw, path, report);
    const host = raw.host === undefined ? undefined : hostOf(raw.host, [...path, 'host'], report);
    if (everyMs === undefined) return;
    drill = {
      everyMs,
      everySource: raw.every,
      sample: raw.sample,
      check: raw.check,
      timeoutMs,
      ...(raw.availability_zone === undefined ? {} : { availabilityZone: raw.availability_zone }),
      ...(host === undefined ? {} : { host }),
      commands: raw.commands ?? [],
    };
  });
  return clean ? drill : undefined;
}

function normalizeTimeout(text: string | undefined, path: Path, report: Report): number {
  if (text === undefined) return DEFAULT_DRILL_TIMEOUT_MS;
  const ms = positiveDuration(text, path, report);
  if (ms === undefined) return DEFAULT_DRILL_TIMEOUT_MS;
  if (ms < MIN_DRILL_TIMEOUT_MS || ms > MAX_DRILL_TIMEOUT_MS) {
    report.error(
      path,
      `"${text}" is outside ${formatDuration(MIN_DRILL_TIMEOUT_MS)} to ${formatDuration(MAX_DRILL_TIMEOUT_MS)}`,
    );
  }
  return ms;
}

function checkSsmKeys(raw: ParsedDrill, path: Path, report: Report): void {
  if (raw.check === 'ssm') {
    if (raw.host === undefined)
      report.error([...path, 'host'], 'required with check: ssm: {instance_id: i-…} or {tags: {Key: value}}');
    if (raw.commands === undefined)
      report.error([...path, 'commands'], 'required with check: ssm: the commands that read the volume');
    return;
  }
  for (const key of ['host', 'commands'] as const) {
    if (raw[key] !== undefined) report.error([...path, key], `only with check: ssm (check is ${raw.check})`);
  }
}

function hostOf(raw: NonNullable<ParsedDrill['host']>, path: Path, report: Report): DrillHost | undefined {
  const tags = raw.tags === undefined ? undefined : Object.entries(raw.tags);
  if ((raw.instance_id === undefined) === (tags === undefined)) {
    report.error(path, 'give exactly one of instance_id or tags');
    return undefined;
  }
  if (raw.instance_id !== undefined) return { instanceId: raw.instance_id };
  if (tags === undefined || tags.length === 0) {
    report.error([...path, 'tags'], 'must name at least one tag');
    return undefined;
  }
  return { tags: Object.fromEntries(tags.map(([k, v]) => [k, String(v)])) };
}

/**
 * The drill's record lives on the drilled snapshot: when retention deletes a snapshot sooner than
 * `every`, its series is due again sooner than `every` says.
 */
export function checkDrillRetention(
  drill: DrillSettings,
  retention: Retention,
  path: Path,
  report: Report,
): void {
  if (retention.maxAgeMs === undefined || retention.maxAgeMs >= drill.everyMs) return;
  report.warn(
    'config.drill',
    [...path, 'every'],
    `${drill.everySource} is longer than retention.max_age ${formatDuration(retention.maxAgeMs)}: a drill's record lives on the drilled snapshot, so once retention deletes it the series is drilled again sooner`,
  );
}
