/**
 * Tags and description of a snapshot to create (SPEC §3).
 *
 * Priority when more than 50 tags would result: the tool's own tags always stay; then the
 * policy's extra tags; then tags copied from the volume; then those copied from the instance.
 * Within the group that overflows, keys are sorted and dropped from the end, so the same input
 * always drops the same keys.
 */
import { type Instance, MAX_TAGS, TAG, type Tags, type Volume } from './model.js';
import type { Policy } from './policy/types.js';

/** Values of the `{placeholder}`s in extra tag values and the description. */
export interface Placeholders {
  readonly instance_id: string;
  readonly volume_id: string;
  readonly device: string;
  readonly policy: string;
  readonly date: string;
}

export interface SnapshotLabels {
  readonly tags: Readonly<Record<string, string>>;
  readonly droppedTags: readonly string[];
  readonly description: string;
}

/** What a create needs besides the policy: computed once per plan or per policy. */
export interface TagContext {
  readonly runId: string;
  /** UTC `YYYY-MM-DD` of now. */
  readonly date: string;
  /** ISO-8601 UTC time `max_age` passes, when the policy has one. */
  readonly expiresAt?: string;
}

const TOOL_PREFIX = 'ebs-snapper:';
const AWS_PREFIX = 'aws:';
/** EC2's limit on a snapshot description. */
const MAX_DESCRIPTION = 255;

/**
 * Build the tags and description for one create.
 *
 * @example labelSnapshot(policy, volume, instance, '/dev/xvdf', { runId: 'r1', date: '2024-01-02' })
 */
export function labelSnapshot(
  policy: Policy,
  volume: Volume,
  instance: Instance | undefined,
  device: string | undefined,
  context: TagContext,
): SnapshotLabels {
  const values: Placeholders = {
    instance_id: instance?.id ?? '',
    volume_id: volume.id,
    device: device ?? '',
    policy: policy.id,
    date: context.date,
  };
  const tool: Record<string, string> = { [TAG.policy]: policy.id, [TAG.volumeId]: volume.id };
  if (instance) tool[TAG.instanceId] = instance.id;
  if (instance && device !== undefined) tool[TAG.device] = device;
  if (context.expiresAt !== undefined) tool[TAG.expiresAt] = context.expiresAt;
  tool[TAG.runId] = context.runId;
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(policy.snapshot.tags)) {
    if (isCopyable(key)) extra[key] = fillPlaceholders(value, values);
  }
  const copy = policy.snapshot.copyTags;
  const groups = [
    extra,
    copy === 'none' ? {} : copyableTags(volume.tags),
    copy === 'instance+volume' && instance ? copyableTags(instance.tags) : {},
  ];
  const { tags, dropped } = mergeWithinLimit(tool, groups, MAX_TAGS);
  // The parser refuses a template that can expand past the limit; this guards policies built in code.
  const description = fillPlaceholders(policy.snapshot.description, values).slice(0, MAX_DESCRIPTION);
  return { tags, droppedTags: dropped, description };
}

/** Tags the tool may not copy: AWS-reserved keys and the tool's own ownership marks. */
const isCopyable = (key: string): boolean => !key.startsWith(AWS_PREFIX) && !key.startsWith(TOOL_PREFIX);

/** The tags the tool may copy: without `aws:` and `ebs-snapper:` keys. */
export function copyableTags(tags: Tags): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tags)) if (isCopyable(key)) out[key] = tags[key]!;
  return out;
}

/**
 * Merge tag groups, highest priority first, after the fixed ones, keeping at most `limit`.
 * A key already present (from a higher group) is not overwritten and not reported as dropped.
 */
export function mergeWithinLimit(
  fixed: Readonly<Record<string, string>>,
  groups: readonly Readonly<Record<string, string>>[],
  limit: number,
): { tags: Record<string, string>; dropped: string[] } {
  const fixedCount = Object.keys(fixed).length;
  let total = fixedCount;
  for (const group of groups) total += Object.keys(group).length;
  if (total <= limit) {
    // Everything fits: merge lowest priority first so higher groups overwrite, the fixed tags
    // last; spreading them first as well puts their keys first.
    return { tags: Object.assign({ ...fixed }, ...[...groups].reverse(), fixed), dropped: [] };
  }
  const tags: Record<string, string> = { ...fixed };
  let count = fixedCount;
  const droppedGroups: string[][] = [];
  for (const group of groups) {
    const keys: string[] = [];
    for (const key of Object.keys(group)) if (!Object.hasOwn(tags, key)) keys.push(key);
    if (keys.length === 0) continue;
    keys.sort();
    const room = Math.max(0, limit - count);
    const kept = Math.min(room, keys.length);
    for (let i = 0; i < kept; i++) tags[keys[i]!] = group[keys[i]!]!;
    count += kept;
    // Dropped from the end of the sorted keys: the last key goes first.
    if (kept < keys.length) droppedGroups.push(keys.slice(kept).reverse());
  }
  // Lower-priority groups lose their tags first.
  return { tags, dropped: droppedGroups.reverse().flat() };
}

const PLACEHOLDER = /\{(instance_id|volume_id|device|policy|date)\}/g;

/**
 * Replace `{instance_id}` `{volume_id}` `{device}` `{policy}` `{date}`; unknown braces stay.
 *
 * @example fillPlaceholders('{policy}-{date}', values) // "web-daily-2024-01-02"
 */
export function fillPlaceholders(template: string, values: Placeholders): string {
  if (!template.includes('{')) return template;
  return template.replace(PLACEHOLDER, (_, name: keyof Placeholders) => values[name]);
}
