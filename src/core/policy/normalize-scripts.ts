/**
 * `consistency: application` and its `scripts` (SPEC §15) → `FreezeScripts`, with the checks
 * that need more than one key: the ranges, `scripts` without `application`, `application` with
 * `stop_instance`, and (in `checkApplicationSelection`) on a policy that selects volumes only.
 */
import { describeValue } from './describe.js';
import { parseDuration } from './durations.js';
import { isVolumeTargeted } from './normalize-select.js';
import type { Path, Report } from './report.js';
import type { ParsedScripts } from './schema-scripts.js';
import { BUILTIN_FSFREEZE, type Consistency, type FreezeScripts, type Selection } from './types.js';

/** The bounds of `scripts.timeout` (DLM's): long enough for a database flush, short enough to freeze. */
const MIN_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 120_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_RETRIES = 3;

/** What `normalizeScripts` reads of the parsed `snapshot` block. */
interface RawSnapshot {
  readonly consistency: Consistency;
  readonly stop_instance: boolean;
  readonly scripts?: ParsedScripts | undefined;
}

/**
 * The scripts of an application-consistent policy (defaults filled in: `fsfreeze` both ways, 30 s,
 * no retry, crash-consistent on failure); undefined for the other consistencies.
 *
 * @example normalizeScripts({ consistency: 'application', stop_instance: false }, ['snapshot'], report) // { pre: 'fsfreeze', ... }
 */
export function normalizeScripts(raw: RawSnapshot, path: Path, report: Report): FreezeScripts | undefined {
  if (raw.consistency !== 'application') {
    if (raw.scripts !== undefined) {
      report.error([...path, 'scripts'], 'only used with consistency: application');
    }
    return undefined;
  }
  if (raw.stop_instance) {
    report.error(
      [...path, 'stop_instance'],
      'stop_instance and consistency: application exclude each other (a stopped instance writes nothing: its snapshots are consistent without scripts)',
    );
  }
  const scripts = raw.scripts;
  if (scripts === undefined) {
    return {
      pre: BUILTIN_FSFREEZE,
      post: BUILTIN_FSFREEZE,
      timeoutMs: DEFAULT_TIMEOUT_MS,
      retries: 0,
      onFailure: 'crash-consistent',
    };
  }
  const at = [...path, 'scripts'];
  const timeoutMs = parseDuration(scripts.timeout);
  if (timeoutMs === undefined || timeoutMs < MIN_TIMEOUT_MS || timeoutMs > MAX_TIMEOUT_MS) {
    report.error(
      [...at, 'timeout'],
      `${describeValue(scripts.timeout)} is not between 10 seconds and 120 seconds`,
    );
  }
  if (scripts.retries > MAX_RETRIES) {
    report.error([...at, 'retries'], `${scripts.retries} is more than ${MAX_RETRIES}`);
  }
  return {
    pre: scripts.pre,
    post: scripts.post,
    timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: Math.min(scripts.retries, MAX_RETRIES),
    onFailure: scripts.on_failure,
  };
}

/**
 * An application-consistent policy must select instances: the scripts run on the instance the
 * volumes are attached to, and CreateSnapshots takes one set per instance. With the built-in
 * `fsfreeze`, a boot volume in the set is said to be crash-consistent: `/` is never frozen.
 */
export function checkApplicationSelection(
  snapshot: { readonly consistency: Consistency; readonly scripts?: FreezeScripts },
  select: Selection,
  path: Path,
  report: Report,
): void {
  if (snapshot.consistency !== 'application') return;
  if (!isVolumeTargeted(select)) {
    if (snapshot.scripts?.pre === BUILTIN_FSFREEZE && !select.exclude.bootVolume) {
      report.warn(
        'config.consistency',
        [...path, 'snapshot', 'consistency'],
        'fsfreeze never freezes "/": the boot volume\'s snapshot in each set is only crash-consistent; add exclude: {boot_volume: true} to leave it out',
      );
    }
    return;
  }
  report.error(
    [...path, 'snapshot', 'consistency'],
    '"application" needs instances (the scripts run on the instance its volumes are attached to); this policy selects volumes only: select instances (instances, instance_names, instance_ids or asg)',
  );
}
