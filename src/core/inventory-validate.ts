/**
 * Checks that a saved inventory has the model's shape and sane values, item by item, naming the
 * path of every problem (`inventories[0].snapshots[12].startTime: "yesterday" is not a valid
 * time`). A saved file is text anyone can edit: a time JavaScript cannot represent, a negative or
 * absurd size, or a wrong type would otherwise turn into a NaN, an Invalid Date or a crash far
 * from the file. Hand-written rather than a schema library: a million snapshots check in a
 * fraction of a second this way.
 */
import { INSTANCE_STATES, SNAPSHOT_STATES, STORAGE_TIERS } from './model.js';

type Check = (value: unknown) => string | undefined;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value as a problem message quotes it: short, one line. */
const quote = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

/** JavaScript's Date range: ±8.64e15 ms around 1970. */
const MAX_TIME_MS = 8.64e15;
/** The largest EBS volume: 64 TiB (io2 Block Express), in GiB. */
const MAX_VOLUME_GIB = 65_536;
/** A snapshot references at most its whole volume: 64 TiB in bytes. */
const MAX_SNAPSHOT_BYTES = MAX_VOLUME_GIB * 2 ** 30;

const string: Check = (v) => (typeof v === 'string' ? undefined : 'not a string');
const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'not true or false');
const time: Check = (v) =>
  typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= MAX_TIME_MS
    ? undefined
    : `${quote(v)} is not a valid time (epoch milliseconds within ±8.64e15)`;
/** A whole number from `min` to `max`, named `what` in the message. */
const whole =
  (min: number, max: number, what: string): Check =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : `${quote(v)} is not ${what}`;
const volumeGiB = whole(1, MAX_VOLUME_GIB, 'a volume size (a whole number of GiB from 1 to 65,536)');
const snapshotBytes = whole(0, MAX_SNAPSHOT_BYTES, 'a snapshot size (whole bytes from 0 to 64 TiB)');
const count = whole(0, Number.MAX_SAFE_INTEGER, 'a count (a whole number, 0 or more)');
const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? undefined : `not one of ${values.join(', ')}`;
const tags: Check = (v) => {
  if (!isRecord(v)) return 'not a map of strings';
  for (const key in v) if (typeof v[key] !== 'string') return 'not a map of strings';
  return undefined;
};
const strings: Check = (v) =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'not a list of strings';
const attachments: Check = (v) => {
  if (!Array.isArray(v)) return 'not a list';
  for (const a of v)
    if (!isRecord(a) || string(a.instanceId) || string(a.device)) return 'not a list of {instanceId, device}';
  return undefined;
};

/** Field → check; a `?` suffix marks an optional field. */
type Shape = Readonly<Record<string, Check>>;

/** The lists of an inventory, and the shape of each item. */
const ITEM_SHAPES = {
  instances: {
    id: string,
    state: oneOf(INSTANCE_STATES),
    tags,
    'asg?': string,
    'rootDeviceName?': string,
    'instanceType?': string,
    'availabilityZone?': string,
  },
  volumes: {
    id: string,
    tags,
    type: string,
    sizeGiB: volumeGiB,
    'availabilityZone?': string,
    'state?': string,
    'encrypted?': boolean,
    attachments,
  },
  snapshots: {
    id: string,
    'volumeId?': string,
    ownerId: string,
    state: oneOf(SNAPSHOT_STATES),
    startTime: time,
    tags,
    'sizeGiB?': volumeGiB,
    'fullSizeBytes?': snapshotBytes,
    'storageTier?': oneOf(STORAGE_TIERS),
    'archivedAt?': time,
    'description?': string,
    'locked?': boolean,
  },
  images: { id: string, snapshotIds: strings },
  gaps: { resource: string, error: string },
} as const satisfies Record<string, Shape>;

export type ListName = keyof typeof ITEM_SHAPES;
export const LIST_NAMES = Object.keys(ITEM_SHAPES) as readonly ListName[];

const UNMANAGED: Shape = {
  count,
  fullSizeBytes: count,
  unsized: count,
  standardBytes: count,
  archiveBytes: count,
  'unknown?': count,
};
const COPY_DESTINATION: Shape = { region: string, copied: strings, inFlight: count, 'error?': string };

interface Field {
  readonly name: string;
  readonly optional: boolean;
  readonly check: Check;
}

/** A shape as a list of fields, made once: a million items are checked against it. */
const compile = (shape: Shape): readonly Field[] =>
  Object.entries(shape).map(([field, check]) => {
    const optional = field.endsWith('?');
    return { name: optional ? field.slice(0, -1) : field, optional, check };
  });

const COMPILED = new Map<Shape, readonly Field[]>();

/**
 * Check `item` against `shape`; problems are appended, each naming `path` (a string, or a
 * function that makes it: most items have no problem, and need no path).
 */
function checkShape(item: unknown, shape: Shape, path: string | (() => string), problems: string[]): void {
  const at = typeof path === 'string' ? () => path : path;
  if (!isRecord(item)) {
    problems.push(`${at()}: not an object`);
    return;
  }
  let fields = COMPILED.get(shape);
  if (fields === undefined) {
    fields = compile(shape);
    COMPILED.set(shape, fields);
  }
  for (const { name, optional, check } of fields) {
    const value = item[name];
    if (value === undefined) {
      if (!optional) problems.push(`${at()}.${name}: missing`);
      continue;
    }
    const problem = check(value);
    if (problem !== undefined) problems.push(`${at()}.${name}: ${problem}`);
  }
}

/** Check one item of a list (`snapshots[12]`, say). */
export function checkItem(
  list: ListName,
  item: unknown,
  path: string | (() => string),
  problems: string[],
): void {
  checkShape(item, ITEM_SHAPES[list], path, problems);
}

/**
 * Check what an inventory holds beside its lists: account, region, the counted unmanaged
 * snapshots and the copy destinations, when given.
 */
export function checkInventoryFields(
  fields: Readonly<Record<string, unknown>>,
  path: string,
  problems: string[],
): void {
  checkShape(fields, { account: string, region: string }, path, problems);
  if (fields.unmanaged !== undefined) checkShape(fields.unmanaged, UNMANAGED, `${path}.unmanaged`, problems);
  const destinations = fields.copyDestinations;
  if (destinations === undefined) return;
  if (!Array.isArray(destinations)) problems.push(`${path}.copyDestinations: not a list`);
  else
    destinations.forEach((d, i) => {
      checkShape(d, COPY_DESTINATION, `${path}.copyDestinations[${i}]`, problems);
    });
}

/** A target that could not be read, as saved: `{account?, region?, error: {code, message}}`. */
export function checkUnread(value: unknown, path: string, problems: string[]): void {
  checkShape(value, { 'account?': string, 'region?': string }, path, problems);
  if (isRecord(value)) checkShape(value.error, { code: string, message: string }, `${path}.error`, problems);
}
