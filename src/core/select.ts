/**
 * Selection: which volumes a policy covers, evaluated in-process against the inventory with
 * EC2's filter semantics (values OR'd, `*` and `?` wildcards, case-sensitive; keys AND'd).
 *
 * Filters are compiled once per policy (wildcards become one RegExp each) so that evaluating
 * 30,000 volumes costs a few property reads and Set lookups each.
 */
import type { Attachment, Instance, Inventory, Tags, Volume } from './model.js';
import { type FilterGetter, INSTANCE_FILTER_GETTERS, VOLUME_FILTER_GETTERS } from './policy/filters.js';
import type { FilterMap, Selection } from './policy/types.js';

/** A volume a policy covers, with the instance (and device) it was selected through, if attached. */
export interface SelectedVolume {
  readonly volume: Volume;
  readonly instance?: Instance;
  readonly device?: string;
}

/** Lookup tables built once per plan. */
export interface InventoryIndex {
  readonly instances: ReadonlyMap<string, Instance>;
  readonly volumes: ReadonlyMap<string, Volume>;
}

/** Match one string against a list of EC2 filter values. */
export type Matcher = (value: string) => boolean;

type Getter<T> = FilterGetter<T>;
interface Predicate<T> {
  readonly get: Getter<T>;
  readonly match: Matcher;
}

/**
 * Compile EC2 filter values into one matcher: exact values go in a Set, wildcard values become
 * anchored RegExps (`\*`, `\?` and `\\` escape a literal character, as in EC2).
 *
 * @example compileMatcher(['web-*', 'db'])('web-1') // true
 */
export function compileMatcher(values: readonly string[]): Matcher {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const value of values) {
    if (/[*?]/.test(value)) patterns.push(wildcardToRegExp(value));
    else exact.add(value.replace(/\\(.)/g, '$1'));
  }
  if (patterns.length === 0) return (value) => exact.has(value);
  return (value) => exact.has(value) || patterns.some((p) => p.test(value));
}

function wildcardToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
    else if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`);
}

const escapeRegExp = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function compileFilters<T extends { readonly tags: Tags }>(
  filters: FilterMap | undefined,
  getters: Readonly<Record<string, Getter<T>>>,
  problems: string[],
  label: string,
): Predicate<T>[] {
  const predicates: Predicate<T>[] = [];
  for (const [name, values] of Object.entries(filters ?? {})) {
    if (name.startsWith('tag:')) {
      const key = name.slice(4);
      predicates.push({ get: (s) => s.tags[key], match: compileMatcher(values) });
    } else if (Object.hasOwn(getters, name)) {
      predicates.push({ get: getters[name]!, match: compileMatcher(values) });
    } else {
      problems.push(`${label} filter "${name}" is not supported`);
    }
  }
  return predicates;
}

function holds<T>(predicates: readonly Predicate<T>[], subject: T): boolean {
  for (const { get, match } of predicates) {
    const value = get(subject);
    if (value === undefined) return false;
    if (typeof value === 'string') {
      if (!match(value)) return false;
    } else if (!value.some(match)) return false;
  }
  return true;
}

/** A policy's selection, compiled once. */
export interface CompiledSelection {
  /** True when an instance selector is given: only volumes attached to matching instances. */
  readonly byInstance: boolean;
  readonly instance: readonly Predicate<Instance>[];
  readonly volume: readonly Predicate<Volume>[];
  readonly excludeVolumeIds: ReadonlySet<string>;
  readonly excludeInstanceIds: ReadonlySet<string>;
  readonly excludeTags: readonly (readonly [string, string])[];
  readonly excludeBoot: boolean;
  /** Unsupported filters or no selector at all: the policy then selects nothing (safe default). */
  readonly problems: readonly string[];
}

/** Compile a policy's Selection once. Problems make the selection empty rather than too wide. */
export function compileSelection(select: Selection): CompiledSelection {
  const problems: string[] = [];
  const instance = compileFilters(select.instances, INSTANCE_FILTER_GETTERS, problems, 'instances');
  const tagName: Getter<Instance> = (i) => i.tags.Name;
  if (select.instanceNames) instance.push({ get: tagName, match: compileMatcher(select.instanceNames) });
  if (select.instanceIds) instance.push({ get: (i) => i.id, match: compileMatcher(select.instanceIds) });
  if (select.asg) instance.push({ get: (i) => i.asg, match: compileMatcher(select.asg) });
  const volume = compileFilters(select.volumes, VOLUME_FILTER_GETTERS, problems, 'volumes');
  const byInstance =
    select.instances !== undefined ||
    select.instanceNames !== undefined ||
    select.instanceIds !== undefined ||
    select.asg !== undefined;
  if (!byInstance && select.volumes === undefined) problems.push('no selector given');
  return {
    byInstance,
    instance,
    volume,
    excludeVolumeIds: new Set(select.exclude.volumeIds),
    excludeInstanceIds: new Set(select.exclude.instanceIds),
    excludeTags: Object.entries(select.exclude.tags),
    excludeBoot: select.exclude.bootVolume,
    problems,
  };
}

/** Build the id → resource tables the planner needs. */
export function indexInventory(inventory: Inventory): InventoryIndex {
  const instances = new Map<string, Instance>();
  for (const i of inventory.instances) instances.set(i.id, i);
  const volumes = new Map<string, Volume>();
  for (const v of inventory.volumes) volumes.set(v.id, v);
  return { instances, volumes };
}

/** The volumes a compiled selection covers, in inventory order. */
export function selectVolumes(selection: CompiledSelection, index: InventoryIndex): SelectedVolume[] {
  if (selection.problems.length > 0) return [];
  const matching = new Set<string>();
  if (selection.byInstance) {
    for (const i of index.instances.values()) {
      if (i.state !== 'terminated' && holds(selection.instance, i)) matching.add(i.id);
    }
  }
  const targets: SelectedVolume[] = [];
  for (const volume of index.volumes.values()) {
    const attachment = pickAttachment(selection, index, volume, matching);
    if (attachment === null || !holds(selection.volume, volume)) continue;
    if (isExcluded(selection, index, volume)) continue;
    const instance = attachment && index.instances.get(attachment.instanceId);
    targets.push(instance && attachment ? { volume, instance, device: attachment.device } : { volume });
  }
  return targets;
}

/**
 * The attachment a volume is selected through: `null` when not selected, `undefined` when a
 * volume-targeted policy covers it detached.
 */
function pickAttachment(
  selection: CompiledSelection,
  index: InventoryIndex,
  volume: Volume,
  matching: ReadonlySet<string>,
): Attachment | undefined | null {
  if (selection.byInstance) {
    for (const a of volume.attachments) if (matching.has(a.instanceId)) return a;
    return null;
  }
  for (const a of volume.attachments) {
    const instance = index.instances.get(a.instanceId);
    if (instance && instance.state !== 'terminated') return a;
  }
  return undefined;
}

function isExcluded(selection: CompiledSelection, index: InventoryIndex, volume: Volume): boolean {
  if (selection.excludeVolumeIds.has(volume.id) || hasAnyTag(selection, volume.tags)) return true;
  for (const a of volume.attachments) {
    if (selection.excludeInstanceIds.has(a.instanceId)) return true;
    const instance = index.instances.get(a.instanceId);
    if (!instance) continue;
    if (selection.excludeBoot && instance.rootDeviceName === a.device) return true;
    if (hasAnyTag(selection, instance.tags)) return true;
  }
  return false;
}

function hasAnyTag(selection: CompiledSelection, tags: Tags): boolean {
  for (const [key, value] of selection.excludeTags) if (tags[key] === value) return true;
  return false;
}
