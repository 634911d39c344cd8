/**
 * `select` as written → the `Selection` model: every filter value becomes a list of strings.
 */
import type { Path, Report } from './report.js';
import type { ParsedPolicy } from './schema.js';
import type { Exclusions, FilterMap, Selection } from './types.js';

type ParsedSelect = ParsedPolicy['select'];
type Scalar = string | number | boolean;

/** The keys of `select` that choose volumes (as opposed to `exclude`). */
const SELECTORS = ['instances', 'instance_names', 'instance_ids', 'asg', 'volumes'] as const;

function toList(value: Scalar | readonly Scalar[]): string[] {
  return (Array.isArray(value) ? value : [value]).map((item) => String(item));
}

function toTags(tags: Readonly<Record<string, Scalar>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, String(value)]));
}

function toFilterMap(
  raw: Readonly<Record<string, Scalar | readonly Scalar[]>>,
  path: Path,
  report: Report,
): FilterMap {
  if (Object.keys(raw).length === 0) {
    report.error(
      path,
      'give at least one filter (to select every instance, use instance-state-name: [running, stopped])',
    );
  }
  return Object.fromEntries(Object.entries(raw).map(([name, values]) => [name, toList(values)]));
}

function normalizeExclusions(raw: ParsedSelect['exclude']): Exclusions {
  return {
    bootVolume: raw?.boot_volume ?? false,
    volumeIds: raw?.volume_ids ?? [],
    instanceIds: raw?.instance_ids ?? [],
    tags: toTags(raw?.tags ?? {}),
  };
}

/** Normalizes `select`; at least one selector must be given. */
export function normalizeSelect(raw: ParsedSelect, path: Path, report: Report): Selection {
  if (!SELECTORS.some((key) => raw[key] !== undefined)) {
    report.error(path, `give at least one of ${SELECTORS.join(', ')}`);
  }
  return {
    ...(raw.instances === undefined
      ? {}
      : { instances: toFilterMap(raw.instances, [...path, 'instances'], report) }),
    ...(raw.instance_names === undefined ? {} : { instanceNames: toList(raw.instance_names) }),
    ...(raw.instance_ids === undefined ? {} : { instanceIds: toList(raw.instance_ids) }),
    ...(raw.asg === undefined ? {} : { asg: toList(raw.asg) }),
    ...(raw.volumes === undefined ? {} : { volumes: toFilterMap(raw.volumes, [...path, 'volumes'], report) }),
    exclude: normalizeExclusions(raw.exclude),
  };
}

/** True when the policy selects volumes only through `volumes` (it may cover detached volumes). */
export function isVolumeTargeted(selection: Selection): boolean {
  return (
    selection.volumes !== undefined &&
    selection.instances === undefined &&
    selection.instanceNames === undefined &&
    selection.instanceIds === undefined &&
    selection.asg === undefined
  );
}
