/**
 * The EC2 filter names a policy's `select.instances` and `select.volumes` may use. The planner
 * evaluates them in-process against the inventory, so only names it knows are meaningful; any
 * other name is a configuration error rather than a silent "matches nothing".
 */
import type { Instance, Volume } from '../model.js';

/** How a filter reads its subject: a value, a list of values (any may match), or nothing. */
export type FilterGetter<T> = (subject: T) => string | readonly string[] | undefined;

/**
 * The DescribeInstances filters a policy may use, and how each reads an instance. `tag:<key>`
 * is handled apart. This table is the one definition: the accepted names derive from it.
 */
export const INSTANCE_FILTER_GETTERS: Readonly<Record<string, FilterGetter<Instance>>> = {
  'tag-key': (i) => Object.keys(i.tags),
  'instance-id': (i) => i.id,
  'instance-state-name': (i) => i.state,
  'instance-type': (i) => i.instanceType,
  'availability-zone': (i) => i.availabilityZone,
};

/** The DescribeVolumes filters a policy may use, and how each reads a volume. */
export const VOLUME_FILTER_GETTERS: Readonly<Record<string, FilterGetter<Volume>>> = {
  'tag-key': (v) => Object.keys(v.tags),
  'volume-id': (v) => v.id,
  'volume-type': (v) => v.type,
  'availability-zone': (v) => v.availabilityZone,
  status: (v) => v.state,
  size: (v) => String(v.sizeGiB),
  encrypted: (v) => (v.encrypted === true ? 'true' : 'false'),
  'attachment.instance-id': (v) => v.attachments.map((a) => a.instanceId),
  'attachment.device': (v) => v.attachments.map((a) => a.device),
};

export const INSTANCE_FILTERS: readonly string[] = ['tag:<key>', ...Object.keys(INSTANCE_FILTER_GETTERS)];
export const VOLUME_FILTERS: readonly string[] = ['tag:<key>', ...Object.keys(VOLUME_FILTER_GETTERS)];

function filterNamePattern(getters: Readonly<Record<string, unknown>>): RegExp {
  const fixed = Object.keys(getters).map((name) => name.replace(/[-.]/g, '\\$&'));
  return new RegExp(`^(?:tag:.+|${fixed.join('|')})$`);
}

/** Accepted DescribeInstances filter names (`tag:` needs a key). */
export const INSTANCE_FILTER_PATTERN = filterNamePattern(INSTANCE_FILTER_GETTERS);
/** Accepted DescribeVolumes filter names (`tag:` needs a key). */
export const VOLUME_FILTER_PATTERN = filterNamePattern(VOLUME_FILTER_GETTERS);

/** `i-` followed by 8 or 17 hex digits. */
export const INSTANCE_ID_PATTERN = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** `vol-` followed by 8 or 17 hex digits. */
export const VOLUME_ID_PATTERN = /^vol-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** Region-shaped: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-northwest-1`. */
export const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
/** An SNS topic ARN in any partition. */
export const SNS_TOPIC_ARN_PATTERN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;
/** `^[a-z0-9][a-z0-9-]{0,62}$`: safe in a tag value, a metric dimension and a DynamoDB key. */
export const POLICY_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** `"10%"` of the managed snapshots. */
export const PERCENT_PATTERN = /^\d+(?:\.\d+)?%$/;

/** Placeholders a snapshot tag value or description may use. */
export const PLACEHOLDERS = ['instance_id', 'volume_id', 'device', 'policy', 'date'] as const;
