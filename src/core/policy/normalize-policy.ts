/**
 * One parsed policy → the `Policy` model, with the checks that need more than one key.
 */
import { drillSchema } from './drill-schema.js';
import { PLACEHOLDERS } from './filters.js';
import { normalizeCopyTo } from './normalize-copy-to.js';
import { checkDrillRetention, normalizeDrill } from './normalize-drill.js';
import { normalizeLock } from './normalize-lock.js';
import { normalizeRetention, positiveDuration } from './normalize-retention.js';
import { normalizeSchedule } from './normalize-schedule.js';
import { checkApplicationSelection, normalizeScripts } from './normalize-scripts.js';
import { isVolumeTargeted, normalizeSelect } from './normalize-select.js';
import type { Path, Report } from './report.js';
import {
  copyToSchema,
  type ParsedPolicy,
  retentionSchema,
  scheduleSchema,
  selectSchema,
  snapshotSchema,
} from './schema.js';
import type { Policy, Retention, SnapshotSettings } from './types.js';

/** Tag keys AWS or the tool reserve: a policy must not forge `ebs-snapper:policy` (the ownership mark). */
const RESERVED_TAG_PREFIXES = ['aws:', 'ebs-snapper:'] as const;
/** SPEC §6: how long a stop may take before the instance is started again. */
const DEFAULT_STOP_TIMEOUT_MS = 10 * 60 * 1000;
const MAX_TAG_KEY = 128;
const MAX_TAG_VALUE = 256;
/** EC2's limit on a snapshot description. */
const MAX_DESCRIPTION = 255;

/**
 * The longest text each placeholder can become: ids have 17 hex digits, device names are short
 * (`/dev/xvdf`, `/dev/nvme10n1`; 32 leaves room), dates are `YYYY-MM-DD`.
 */
const PLACEHOLDER_MAX: Readonly<Record<string, number>> = {
  instance_id: 19,
  volume_id: 21,
  device: 32,
  date: 10,
};

/** The longest a template can get once its placeholders are filled in, for policy `id`. */
function expandedLength(template: string, id: string): number {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name === 'policy' ? id : 'x'.repeat(PLACEHOLDER_MAX[name] ?? whole.length),
  ).length;
}

function checkPlaceholders(template: string, path: Path, report: Report): void {
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(match[1]!)) {
      const known = PLACEHOLDERS.map((name) => `{${name}}`).join(' ');
      report.error(path, `unknown placeholder "${match[0]}"; use ${known}`);
    }
  }
}

function normalizeTags(
  raw: ParsedPolicy['snapshot']['tags'],
  id: string,
  path: Path,
  report: Report,
): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, rawValue] of Object.entries(raw)) {
    const value = String(rawValue);
    const prefix = RESERVED_TAG_PREFIXES.find((reserved) => key.toLowerCase().startsWith(reserved));
    if (prefix !== undefined) report.error([...path, key], `the "${prefix}" tag prefix is reserved`);
    if (key.length > MAX_TAG_KEY)
      report.error([...path, key], `tag keys have at most ${MAX_TAG_KEY} characters`);
    if (value.length > MAX_TAG_VALUE)
      report.error([...path, key], `tag values have at most ${MAX_TAG_VALUE} characters`);
    else if (expandedLength(value, id) > MAX_TAG_VALUE)
      report.error(
        [...path, key],
        `can expand to ${expandedLength(value, id)} characters once the placeholders are filled in; EC2 allows ${MAX_TAG_VALUE}`,
      );
    checkPlaceholders(value, [...path, key], report);
    tags[key] = value;
  }
  return tags;
}

function normalizeSnapshot(
  raw: ParsedPolicy['snapshot'],
  id: string,
  path: Path,
  report: Report,
): SnapshotSettings {
  checkPlaceholders(raw.description, [...path, 'description'], report);
  const longest = expandedLength(raw.description, id);
  if (longest > MAX_DESCRIPTION) {
    report.error(
      [...path, 'description'],
      `can expand to ${longest} characters once the placeholders are filled in; EC2 allows ${MAX_DESCRIPTION}`,
    );
  }
  const stopTimeoutMs =
    raw.stop_timeout === undefined
      ? DEFAULT_STOP_TIMEOUT_MS
      : positiveDuration(raw.stop_timeout, [...path, 'stop_timeout'], report);
  if (!raw.stop_instance && (raw.stop_timeout !== undefined || raw.max_stopped !== undefined)) {
    report.warn(
      'config.ignored',
      [...path],
      'stop_timeout and max_stopped are only used with stop_instance: true',
    );
  }
  if (raw.max_stopped === 0) report.error([...path, 'max_stopped'], 'must be at least 1');
  const scripts = normalizeScripts(raw, path, report);
  return {
    consistency: raw.consistency,
    copyTags: raw.copy_tags,
    tags: normalizeTags(raw.tags, id, [...path, 'tags'], report),
    description: raw.description,
    stopInstance: raw.stop_instance,
    stopTimeoutMs: stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS,
    ...(raw.max_stopped === undefined ? {} : { maxStopped: raw.max_stopped }),
    ...(scripts === undefined ? {} : { scripts }),
  };
}

/** `snapshot.lock` (SPEC §14) checked against the policy's retention: `until: expiry` needs its max_age. */
function withLock(
  snapshot: SnapshotSettings,
  raw: ParsedPolicy,
  retention: Retention,
  path: Path,
  report: Report,
): SnapshotSettings {
  const parsed = raw.snapshot.lock;
  if (parsed === undefined) return snapshot;
  const lock = normalizeLock(
    parsed,
    retention,
    [...path, 'snapshot', 'lock'],
    report,
    `policy ${raw.id}'s snapshots`,
  );
  return lock === undefined ? snapshot : { ...snapshot, lock };
}

/** Normalizes one policy found at `path`; undefined when it has errors. */
export function normalizePolicy(raw: ParsedPolicy, path: Path, report: Report): Policy | undefined {
  let policy: Policy | undefined;
  const clean = report.clean(() => {
    const select = normalizeSelect(raw.select, [...path, 'select'], report);
    const schedule = normalizeSchedule(raw.schedule, [...path, 'schedule'], report);
    const retention = normalizeRetention(raw.retention, [...path, 'retention'], report);
    const snapshot = withLock(
      normalizeSnapshot(raw.snapshot, raw.id, [...path, 'snapshot'], report),
      raw,
      retention,
      path,
      report,
    );
    const { copyTo, vaultTo } = normalizeCopyTo(raw.copy_to, raw.id, [...path, 'copy_to'], report);
    const drill = raw.drill === undefined ? undefined : normalizeDrill(raw.drill, [...path, 'drill'], report);
    if (drill !== undefined) checkDrillRetention(drill, retention, [...path, 'drill'], report);
    if (snapshot.consistency === 'instance' && isVolumeTargeted(select)) {
      report.warn(
        'config.consistency',
        [...path, 'snapshot', 'consistency'],
        '"instance" needs instances; this policy selects volumes only, so detached volumes are snapshotted one by one',
      );
    }
    checkApplicationSelection(snapshot, select, path, report);
    if (schedule !== undefined)
      policy = {
        id: raw.id,
        select,
        schedule,
        retention,
        snapshot,
        copyTo,
        ...(vaultTo.length === 0 ? {} : { vaultTo }),
        ...(drill ? { drill } : {}),
      };
  });
  return clean ? policy : undefined;
}

/**
 * A policy the schema refused still has its sections checked one by one: each section that passes
 * the schema alone gets its deeper checks (a cron, a duration, a placeholder), so one run of
 * `config validate` names every problem instead of hiding some until the first ones are fixed.
 */
export function checkPolicySections(raw: unknown, path: Path, report: Report): void {
  if (typeof raw !== 'object' || raw === null) return;
  const fields = raw as Record<string, unknown>;
  const id = typeof fields.id === 'string' ? fields.id : 'policy';
  const check = <T>(
    key: string,
    schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
    normalize: (data: T, at: Path) => unknown,
  ) => {
    const value = fields[key];
    if (value === undefined) return;
    const parsed = schema.safeParse(value);
    if (parsed.success) normalize(parsed.data, [...path, key]);
  };
  check('select', selectSchema, (data, at) => normalizeSelect(data, at, report));
  check('schedule', scheduleSchema, (data, at) => normalizeSchedule(data, at, report));
  check('retention', retentionSchema, (data, at) => normalizeRetention(data, at, report));
  check('snapshot', snapshotSchema, (data, at) => normalizeSnapshot(data, id, at, report));
  check('copy_to', copyToSchema, (data, at) => normalizeCopyTo(data, id, at, report));
  check('drill', drillSchema, (data, at) => normalizeDrill(data, at, report));
}
