/**
 * Tags of a `consistency: instance` create (SPEC §3). One CreateSnapshots call makes the snapshots
 * of all of an instance's selected volumes and takes ONE list of tags for all of them, so:
 *
 * - each volume's own tags travel with `CopyTagsFromSource: volume` (EC2 copies them per snapshot);
 * - the list carries what every member shares: the tool's tags, the policy's extra tags, and
 *   the instance's tags on keys no member volume has (the volume wins, with no conflict for EC2);
 * - what is per volume and cannot be carried — `ebs-snapper:device`, extra tags that use
 *   `{volume_id}` or `{device}` — is named in the plan as dropped, never lost silently.
 *
 * `ebs-snapper:volume-id` is not needed: a set's snapshots carry their own `VolumeId`.
 */
import { type Instance, MAX_TAGS, TAG, type Volume } from './model.js';
import type { Policy } from './policy/types.js';
import {
  copyableTags,
  fillPlaceholders,
  mergeWithinLimit,
  type SnapshotLabels,
  type TagContext,
} from './tags.js';

/** What the members of one instance's set have in common, computed once per (policy, instance). */
export interface InstanceSet {
  /** Copyable tag keys any member volume carries. */
  readonly volumeTagKeys: ReadonlySet<string>;
  /** The most tags one member volume carries (EC2 copies them all). */
  readonly maxVolumeTags: number;
  /**
   * A member volume carries a key of the tool's own (`ebs-snapper:policy`, ...): copying it could
   * fight the ownership tag, so volume tags are not copied for this set.
   */
  readonly ownKeysOnVolumes: boolean;
}

/** The labels of a set member, and whether EC2 copies the volume's tags onto its snapshot. */
export interface SetMemberLabels extends SnapshotLabels {
  readonly copyVolumeTags: boolean;
}

const PER_VOLUME_PLACEHOLDER = /\{(volume_id|device)\}/;

/** Summarize the volumes of one instance's set. */
export function describeInstanceSet(volumes: readonly Volume[]): InstanceSet {
  const keys = new Set<string>();
  let most = 0;
  let ownKeysOnVolumes = false;
  for (const volume of volumes) {
    for (const key of Object.keys(copyableTags(volume.tags))) keys.add(key);
    const all = Object.keys(volume.tags);
    most = Math.max(most, all.length);
    ownKeysOnVolumes ||= all.some((key) => TOOL_KEYS.has(key));
  }
  return { volumeTagKeys: keys, maxVolumeTags: most, ownKeysOnVolumes };
}

const TOOL_KEYS: ReadonlySet<string> = new Set(Object.values(TAG));

/**
 * The labels of one member of an instance set: `tags` is the shared TagSpecifications list, the
 * same for every member; `droppedTags` names what cannot be carried.
 */
export function labelSetMember(
  policy: Policy,
  instance: Instance,
  device: string | undefined,
  set: InstanceSet,
  context: TagContext,
  description: string,
): SetMemberLabels {
  const tool: Record<string, string> = { [TAG.policy]: policy.id, [TAG.instanceId]: instance.id };
  if (context.expiresAt !== undefined) tool[TAG.expiresAt] = context.expiresAt;
  tool[TAG.runId] = context.runId;
  // What the plan intends; the apply step says `crash` instead when the pre script did not succeed.
  if (policy.snapshot.consistency === 'application') tool[TAG.consistency] = 'application';
  const perVolume: string[] = device === undefined ? [] : [TAG.device];
  const values = {
    instance_id: instance.id,
    volume_id: '',
    device: '',
    policy: policy.id,
    date: context.date,
  };
  const extra: Record<string, string> = {};
  for (const [key, template] of Object.entries(copyableTags(policy.snapshot.tags))) {
    if (PER_VOLUME_PLACEHOLDER.test(template)) perVolume.push(key);
    else extra[key] = fillPlaceholders(template, values);
  }
  const copy = policy.snapshot.copyTags;
  // EC2 cannot copy part of a volume's tags: when the biggest member's would not fit, copy none.
  const copyVolumeTags =
    copy !== 'none' && !set.ownKeysOnVolumes && Object.keys(tool).length + set.maxVolumeTags <= MAX_TAGS;
  const instanceTags: Record<string, string> = {};
  if (copy === 'instance+volume') {
    for (const [key, value] of Object.entries(copyableTags(instance.tags))) {
      if (!copyVolumeTags || !set.volumeTagKeys.has(key)) instanceTags[key] = value;
    }
  }
  const room = MAX_TAGS - (copyVolumeTags ? set.maxVolumeTags : 0);
  const { tags, dropped } = mergeWithinLimit(tool, [extra, instanceTags], room);
  const notCopied = copy !== 'none' && !copyVolumeTags ? [...set.volumeTagKeys].sort() : [];
  return { tags, droppedTags: [...perVolume, ...notCopied, ...dropped], description, copyVolumeTags };
}
