/**
 * Imports Rackspace ebs_snapper configurations (one JSON object per DynamoDB row, or a list):
 *
 * ```json
 * {"match": {"tag:backup": "yes"},
 *  "snapshot": {"retention": "4 days", "minimum": 5, "frequency": "12 hours"},
 *  "ignore": ["i-abc12345", "vol-abc12345"]}
 * ```
 *
 * into a `version: 1` document as a user would write it. What cannot be carried over is said in
 * warnings, never dropped silently; a value that cannot be converted is passed through unchanged
 * so that validating the output names it.
 */
import { Document, isMap, isScalar, parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { describeValue } from './describe.js';
import { parseDuration } from './durations.js';
import { INSTANCE_FILTER_PATTERN, INSTANCE_FILTERS } from './filters.js';
import { convertLegacyCron } from './legacy-cron.js';
import type { RawDocument, RawPolicy } from './schema.js';

export interface LegacyConversion {
  readonly config: RawDocument;
  readonly warnings: string[];
  /** Comments to print above a key of the converted document, found by its path. */
  readonly notes: readonly LegacyNote[];
}

/** A comment for the YAML above the key at `path` (e.g. `['policies', 0, 'select', 'exclude']`). */
interface LegacyNote {
  readonly path: readonly (string | number)[];
  readonly comment: string;
}

type LegacyDoc = Record<string, unknown>;

/** Keys the predecessor's documents and DynamoDB rows carry that have no meaning here. */
const IGNORED_KEYS = [
  'aws_account_id',
  'id',
  'match',
  'snapshot',
  'ignore',
  'ignore_retention',
  'replication',
];

/**
 * Converts one legacy document or a list of them.
 *
 * @example convertLegacy({ match: { 'tag:backup': 'yes' }, snapshot: { retention: '4 days', minimum: 5, frequency: '12 hours' } })
 */
export function convertLegacy(doc: unknown): LegacyConversion {
  const docs = Array.isArray(doc) ? doc : [doc];
  const warnings: string[] = [];
  const notes: LegacyNote[] = [];
  const policies: RawPolicy[] = [];
  const usedIds = new Set<string>();
  docs.forEach((item, index) => {
    const label = docs.length === 1 ? 'legacy config' : `legacy config [${index}]`;
    const policy = convertOne(item, index, label, usedIds, warnings);
    if (policy === undefined) return;
    notes.push(...notesOf(item as LegacyDoc, policy, policies.length));
    policies.push(policy);
  });
  if (policies.length > 0) {
    warnings.push(
      'snapshots ebs_snapper made (tagged DeleteOn) are not managed by ebs-snapper; delete them by hand when no longer needed',
    );
  }
  return { config: { version: 1, policies }, warnings, notes };
}

/** What a reader of the converted policy must know where it matters: next to the key. */
function notesOf(legacy: LegacyDoc, policy: RawPolicy, index: number): LegacyNote[] {
  const notes: LegacyNote[] = [];
  if (policy.select?.exclude !== undefined) {
    notes.push({
      path: ['policies', index, 'select', 'exclude'],
      comment:
        ' From "ignore". Unlike ebs_snapper, which never deleted the snapshots of ignored volumes, the\n' +
        ' retention below still applies to the snapshots this policy has already taken of these volumes.',
    });
  }
  if (policy.retention?.orphaned !== undefined) {
    notes.push({
      path: ['policies', index, 'retention', 'orphaned'],
      comment:
        ' From "ignore_retention": snapshots of volumes that are gone expire after max_age even below the minimum.',
    });
  }
  if (legacy.replication !== undefined) {
    notes.push({
      path: ['policies', index],
      comment:
        ' ebs_snapper copied the snapshots of volumes tagged replication_dst_region into that region. Here that is\n' +
        ' copy_to on the policy of those volumes, each destination with its own retention, e.g.\n' +
        '   copy_to: [{region: us-west-2, retention: {max_age: 30 days, minimum: 3}}]',
    });
  }
  return notes;
}

function convertOne(
  item: unknown,
  index: number,
  label: string,
  usedIds: Set<string>,
  warnings: string[],
): RawPolicy | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    warnings.push(`${label}: skipped, expected a map, got ${describeValue(item)}`);
    return undefined;
  }
  const legacy = item as LegacyDoc;
  const match = asMap(legacy.match);
  const snapshot = asMap(legacy.snapshot);
  const missing = ['retention', 'minimum', 'frequency'].filter((key) => snapshot?.[key] === undefined);
  if (
    match === undefined ||
    Object.keys(match).length === 0 ||
    snapshot === undefined ||
    missing.length > 0
  ) {
    // The predecessor skipped such configurations (so as not to snapshot everything); so do we.
    warnings.push(
      `${label}: skipped, as ebs_snapper did: it needs a non-empty "match" and snapshot retention, minimum, frequency`,
    );
    return undefined;
  }
  for (const key of Object.keys(legacy).filter((name) => !IGNORED_KEYS.includes(name))) {
    warnings.push(`${label}: "${key}" has no equivalent and was left out`);
  }
  const id = uniqueId(legacy.id, index, usedIds);
  const select = {
    instances: convertMatch(match, label, warnings),
    ...convertIgnore(legacy.ignore, label, warnings),
  };
  if (select.exclude !== undefined) {
    warnings.push(
      `${label}: "ignore" became select.exclude; unlike ebs_snapper, retention still applies to the snapshots this policy has already taken of those volumes`,
    );
  }
  if (legacy.replication !== undefined) {
    warnings.push(
      `${label}: "replication": ebs_snapper copied snapshots of volumes tagged replication_dst_region; add copy_to to the policy of those volumes`,
    );
  }
  return {
    id,
    select,
    schedule: convertFrequency(snapshot.frequency, label, warnings),
    retention: convertRetention(snapshot, legacy.ignore_retention === true, label, warnings),
  };
}

/**
 * `ignore_retention: true` let ebs_snapper delete the snapshots of instances it could no longer
 * find once their retention had passed, below the minimum: here that is `orphaned: {expire-after}`.
 */
function convertRetention(
  snapshot: LegacyDoc,
  ignoreRetention: boolean,
  label: string,
  warnings: string[],
): RawPolicy['retention'] {
  const maxAge = String(snapshot.retention);
  const valid = parseDuration(maxAge) !== undefined;
  if (!valid) {
    warnings.push(
      `${label}: retention ${describeValue(snapshot.retention)} is not a duration here; fix it before use`,
    );
  }
  if (ignoreRetention) {
    warnings.push(
      `${label}: "ignore_retention" became retention.orphaned: snapshots of volumes that are gone expire after ${maxAge} even below the minimum`,
    );
  }
  // DynamoDB rows written by hand sometimes hold the minimum as text.
  const minimum =
    typeof snapshot.minimum === 'string' && /^\d+$/.test(snapshot.minimum)
      ? Number(snapshot.minimum)
      : snapshot.minimum;
  return {
    max_age: maxAge,
    minimum: minimum as number,
    ...(ignoreRetention ? { orphaned: { 'expire-after': maxAge } } : {}),
  };
}

function asMap(value: unknown): LegacyDoc | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as LegacyDoc)
    : undefined;
}

type FilterValues = string | number | boolean | (string | number | boolean)[];

function convertMatch(match: LegacyDoc, label: string, warnings: string[]): Record<string, FilterValues> {
  const instances: Record<string, FilterValues> = {};
  for (const [name, value] of Object.entries(match)) {
    if (!INSTANCE_FILTER_PATTERN.test(name)) {
      warnings.push(
        `${label}: match filter "${name}" is not supported (supported: ${INSTANCE_FILTERS.join(', ')}); replace it before use`,
      );
    }
    instances[name] = value as FilterValues;
  }
  // The predecessor only ever considered running and stopped instances.
  if (instances['instance-state-name'] === undefined)
    instances['instance-state-name'] = ['running', 'stopped'];
  return instances;
}

function convertIgnore(ignore: unknown, label: string, warnings: string[]) {
  const ids = Array.isArray(ignore) ? ignore : ignore === undefined ? [] : [ignore];
  const instanceIds = ids.filter((id): id is string => typeof id === 'string' && id.startsWith('i-'));
  const volumeIds = ids.filter((id): id is string => typeof id === 'string' && id.startsWith('vol-'));
  for (const id of ids.filter((value) => !instanceIds.includes(value) && !volumeIds.includes(value))) {
    warnings.push(
      `${label}: ignore entry ${describeValue(id)} is neither an instance nor a volume id; left out`,
    );
  }
  if (instanceIds.length === 0 && volumeIds.length === 0) return {};
  return {
    exclude: {
      ...(instanceIds.length > 0 ? { instance_ids: instanceIds } : {}),
      ...(volumeIds.length > 0 ? { volume_ids: volumeIds } : {}),
    },
  };
}

function convertFrequency(frequency: unknown, label: string, warnings: string[]): RawPolicy['schedule'] {
  const text = String(frequency);
  if (parseDuration(text) !== undefined) return { every: text };
  const converted = convertLegacyCron(text);
  warnings.push(...converted.warnings.map((warning) => `${label}: frequency: ${warning}`));
  return { cron: converted.cron };
}

/** The slug of the given id (`Tagged_Instances` → `tagged-instances`), else `legacy-N`; unique. */
function uniqueId(given: unknown, index: number, used: Set<string>): string {
  const slug =
    typeof given === 'string'
      ? given
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-+|-+$/g, '')
          .slice(0, 56)
          .replace(/-+$/, '')
      : '';
  const base = slug === '' ? `legacy-${index + 1}` : slug;
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

/**
 * Converts legacy JSON (or YAML) text into a commented `version: 1` YAML document; warnings
 * become comments at the top. Throws `ConfigError` when the text is not a legacy document.
 */
export function legacyToYaml(text: string): string {
  const document = parseDocument(text, { version: '1.2' });
  if (document.errors.length > 0) {
    throw new ConfigError(
      'the legacy config is not valid JSON or YAML',
      document.errors.map((error) => error.message),
    );
  }
  const { config, warnings, notes } = convertLegacy(document.toJS({ maxAliasCount: 100 }));
  if (config.policies.length === 0)
    throw new ConfigError('nothing in the legacy config could be converted', warnings);
  const header = [
    '# Converted from an ebs_snapper (Rackspace) configuration.',
    ...warnings.map((w) => `# warning: ${w}`),
  ];
  // Written with YAML 1.1 quoting rules, so values like `yes` stay text for 1.1 readers too.
  const converted = new Document(config, { version: '1.1' });
  for (const note of notes) attachComment(converted, note);
  return `${header.join('\n')}\n${converted.toString()}`;
}

/** Puts `note.comment` above the key its path ends with (or above the list item it names). */
function attachComment(document: Document, note: LegacyNote): void {
  const parentPath = note.path.slice(0, -1);
  const last = note.path.at(-1);
  const parent = parentPath.length === 0 ? document.contents : document.getIn(parentPath, true);
  if (typeof last === 'number') {
    const item = document.getIn(note.path, true) as { commentBefore?: string } | undefined;
    if (item !== undefined) item.commentBefore = note.comment;
    return;
  }
  if (!isMap(parent)) return;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
  if (pair !== undefined && isScalar(pair.key)) pair.key.commentBefore = note.comment;
}
