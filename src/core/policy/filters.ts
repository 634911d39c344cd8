/**
 * The EC2 filter names a policy's `select.instances` and `select.volumes` may use. The planner
 * evaluates them in-process against the inventory, so only names it knows are meaningful; any
 * other name is a configuration error rather than a silent "matches nothing".
 */

export const INSTANCE_FILTERS = [
  'tag:<key>',
  'tag-key',
  'instance-id',
  'instance-state-name',
  'instance-type',
  'availability-zone',
] as const;

export const VOLUME_FILTERS = [
  'tag:<key>',
  'tag-key',
  'volume-id',
  'volume-type',
  'availability-zone',
  'status',
  'size',
  'encrypted',
] as const;

function filterNamePattern(names: readonly string[]): RegExp {
  const fixed = names.filter((name) => name !== 'tag:<key>').map((name) => name.replace(/-/g, '\\-'));
  return new RegExp(`^(?:tag:.+|${fixed.join('|')})$`);
}

/** Accepted DescribeInstances filter names (`tag:` needs a key). */
export const INSTANCE_FILTER_PATTERN = filterNamePattern(INSTANCE_FILTERS);
/** Accepted DescribeVolumes filter names (`tag:` needs a key). */
export const VOLUME_FILTER_PATTERN = filterNamePattern(VOLUME_FILTERS);

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
