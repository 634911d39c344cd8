/**
 * The request filters the fake EC2 understands: `Filter.N.Name` / `Filter.N.Value.M` with `*` and
 * `?` wildcards, and id lists (`SnapshotId.N`, `Owner.N`, ...). A filter it does not know is an
 * error, so a test never passes because a filter was silently ignored.
 */
import type { Image, Instance, Snapshot, Tags, Volume } from '../../../src/core/model.js';

/** An EC2 error the fake answers with (HTTP 400). */
export class FakeEc2Error extends Error {
  override readonly name = 'FakeEc2Error';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Resources {
  readonly snapshot: Snapshot;
  readonly volume: Volume;
  readonly instance: Instance;
  readonly image: Image;
  /** A snapshot as DescribeLockedSnapshots lists it (one whose `locked` is set). */
  readonly lock: Snapshot;
  /** A snapshot as DescribeSnapshotTierStatus lists it (an archived one). */
  readonly tier: Snapshot;
}
export type ResourceKind = keyof Resources;

/** A field's value or values (a single value is not wrapped: filters scan millions of resources). */
type FieldValue = string | readonly string[] | undefined;
type Fields<T> = Readonly<Record<string, (resource: T) => FieldValue>>;

const FIELDS: { readonly [K in ResourceKind]: Fields<Resources[K]> } = {
  snapshot: {
    'snapshot-id': (s) => s.id,
    'volume-id': (s) => s.volumeId,
    status: (s) => s.state,
    'owner-id': (s) => s.ownerId,
    description: (s) => s.description,
  },
  volume: {
    'volume-id': (v) => v.id,
    status: (v) => v.state ?? (v.attachments.length > 0 ? 'in-use' : 'available'),
    'volume-type': (v) => v.type,
    'availability-zone': (v) => v.availabilityZone,
    'attachment.instance-id': (v) => v.attachments.map((a) => a.instanceId),
    'attachment.device': (v) => v.attachments.map((a) => a.device),
  },
  instance: {
    'instance-id': (i) => i.id,
    'instance-state-name': (i) => i.state,
    'instance-type': (i) => i.instanceType,
    'availability-zone': (i) => i.availabilityZone,
  },
  image: {
    'image-id': (i) => i.id,
    'block-device-mapping.snapshot-id': (i) => i.snapshotIds,
  },
  lock: {
    'lock-state': (s) => lockStateOf(s),
  },
  tier: {
    'snapshot-id': (s) => s.id,
    'volume-id': (s) => s.volumeId,
    'last-tiering-operation': () => 'archival-completed',
  },
};

/** Kinds whose resources carry tags a `tag:` filter can match. */
const TAGGED: ReadonlySet<ResourceKind> = new Set(['snapshot', 'volume', 'instance']);

/** The fake's snapshot locks: `locked: true` is a governance lock in force, `false` one that expired. */
export function lockStateOf(snapshot: Snapshot): 'governance' | 'expired' {
  return snapshot.locked === true ? 'governance' : 'expired';
}

/** The tags a filter sees; AWS tags instances of a group with `aws:autoscaling:groupName`. */
function readTags(resource: Resources[ResourceKind]): Tags {
  if (!('tags' in resource)) return {};
  if ('asg' in resource && resource.asg !== undefined) {
    return { 'aws:autoscaling:groupName': resource.asg, ...resource.tags };
  }
  return resource.tags;
}

function findField<K extends ResourceKind>(kind: K, name: string): (resource: Resources[K]) => FieldValue {
  const field = (FIELDS[kind] as Fields<Resources[K]>)[name];
  if (field !== undefined) return field;
  if (TAGGED.has(kind) && name === 'tag-key') return (resource) => Object.keys(readTags(resource));
  if (TAGGED.has(kind) && name.startsWith('tag:')) {
    const key = name.slice(4);
    return (resource) => readTags(resource)[key];
  }
  throw new FakeEc2Error('InvalidParameterValue', `The fake EC2 has no ${kind} filter ${name}.`);
}

/** Values of a numbered list parameter: `readList(params, 'Owner')` reads `Owner.1`, `Owner.2`, ... */
export function readList(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let n = 1; params.has(`${prefix}.${n}`); n++) values.push(params.get(`${prefix}.${n}`)!);
  return values;
}

/** A predicate for the request's `Filter.N` parameters; throws FakeEc2Error for unknown names. */
export function compileFilters<K extends ResourceKind>(
  kind: K,
  params: URLSearchParams,
): (resource: Resources[K]) => boolean {
  const tests: Array<(resource: Resources[K]) => boolean> = [];
  for (let n = 1; params.has(`Filter.${n}.Name`); n++) tests.push(compileFilter(kind, params, n));
  return (resource) => tests.every((test) => test(resource));
}

/** A predicate for the request's `Filter.n` alone. */
export function compileFilter<K extends ResourceKind>(
  kind: K,
  params: URLSearchParams,
  n: number,
): (resource: Resources[K]) => boolean {
  const field = findField(kind, params.get(`Filter.${n}.Name`)!);
  const patterns = readList(params, `Filter.${n}.Value`).map(compilePattern);
  const matches = (value: string) => {
    for (const pattern of patterns) if (pattern(value)) return true;
    return false;
  };
  return (resource) => {
    const value = field(resource);
    if (value === undefined) return false;
    if (typeof value === 'string') return matches(value);
    for (const one of value) if (matches(one)) return true;
    return false;
  };
}

function compilePattern(pattern: string): (value: string) => boolean {
  if (!/[*?]/.test(pattern)) return (value) => value === pattern;
  // `snap-3*`, the shape a cut listing asks for, a million times: no regular expression needed.
  const prefix = pattern.slice(0, -1);
  if (pattern.endsWith('*') && !/[*?]/.test(prefix)) return (value) => value.startsWith(prefix);
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  const regex = new RegExp(`^${source}$`, 's');
  return (value) => regex.test(value);
}
