/**
 * SDK shapes → the inventory model. Pure functions; ids the model needs are required, and an
 * item without one is dropped (AWS always sends them).
 */
import type {
  Image as SdkImage,
  Instance as SdkInstance,
  Snapshot as SdkSnapshot,
  Volume as SdkVolume,
  Tag,
} from '@aws-sdk/client-ec2';
import {
  type Attachment,
  type Image,
  INSTANCE_STATES,
  type Instance,
  type InstanceState,
  imageId,
  instanceId,
  SNAPSHOT_STATES,
  type Snapshot,
  type SnapshotState,
  snapshotId,
  type Tags,
  type Volume,
  volumeId,
} from '../core/model.js';
import { NO_POOL, type StringPool } from './string-pool.js';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** The tag AWS (and moto) put on every instance an Auto Scaling group launched. */
const ASG_TAG = 'aws:autoscaling:groupName';

/**
 * `[{Key, Value}]` → `{Key: Value}`; a missing value is the empty string, as in the console.
 * Values go through `pool` (keys need none: V8 keeps one copy of every property name).
 */
export function tagsToRecord(tags: readonly Tag[] | undefined, pool: StringPool = NO_POOL): Tags {
  const record: Record<string, string> = {};
  if (tags === undefined) return record;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i]!;
    if (tag.Key !== undefined) record[tag.Key] = pool(tag.Value ?? '');
  }
  return record;
}

/** `{Key: Value}` → `[{Key, Value}]`, in key order so requests are deterministic. */
export function recordToTags(tags: Readonly<Record<string, string>>): Tag[] {
  return Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] ?? '' }));
}

function isInstanceState(value: string | undefined): value is InstanceState {
  return (INSTANCE_STATES as readonly string[]).includes(value ?? '');
}

/** The state names as constants: mapping to these keeps one copy of each, not one per snapshot. */
const SNAPSHOT_STATE_OF: ReadonlyMap<string, SnapshotState> = new Map(SNAPSHOT_STATES.map((s) => [s, s]));

export function mapInstance(sdk: SdkInstance): Instance | undefined {
  if (!sdk.InstanceId) return undefined;
  const tags = tagsToRecord(sdk.Tags);
  const state = sdk.State?.Name;
  const asg = tags[ASG_TAG];
  return {
    id: instanceId(sdk.InstanceId),
    // An unknown future state is treated as the most cautious known one: neither snapshotted as running nor terminated.
    state: isInstanceState(state) ? state : 'pending',
    tags,
    ...(asg !== undefined && { asg }),
    ...(sdk.RootDeviceName !== undefined && { rootDeviceName: sdk.RootDeviceName }),
    ...(sdk.InstanceType !== undefined && { instanceType: sdk.InstanceType }),
    ...(sdk.Placement?.AvailabilityZone !== undefined && {
      availabilityZone: sdk.Placement.AvailabilityZone,
    }),
  };
}

export function mapVolume(sdk: SdkVolume): Volume | undefined {
  if (!sdk.VolumeId) return undefined;
  const attachments: Attachment[] = [];
  for (const a of sdk.Attachments ?? []) {
    if (a.InstanceId && a.Device && a.State !== 'detached') {
      attachments.push({
        instanceId: instanceId(a.InstanceId),
        device: a.Device,
        // Only a changing attachment says so: the attached ones (nearly all) stay as small as before.
        ...(a.State !== undefined && a.State !== 'attached' && { state: a.State }),
      });
    }
  }
  return {
    id: volumeId(sdk.VolumeId),
    tags: tagsToRecord(sdk.Tags),
    type: sdk.VolumeType ?? 'unknown',
    sizeGiB: sdk.Size ?? 0,
    attachments,
    ...(sdk.AvailabilityZone !== undefined && { availabilityZone: sdk.AvailabilityZone }),
    ...(sdk.State !== undefined && { state: sdk.State }),
    ...(sdk.Encrypted !== undefined && { encrypted: sdk.Encrypted }),
    ...(sdk.SnapshotId && { snapshotId: snapshotId(sdk.SnapshotId) }),
  };
}

/**
 * A snapshot without a known state is mapped as `pending`: pending snapshots are never deleted
 * and never count, which is the safe reading (moto's CreateSnapshots response has no state).
 * Repeated strings go through `pool`. Fields are set one by one in a fixed order, so every
 * snapshot of a listing gets the same object shape (a million of them are made per run).
 */
export function mapSnapshot(sdk: SdkSnapshot, pool: StringPool = NO_POOL): Snapshot | undefined {
  if (!sdk.SnapshotId) return undefined;
  const snapshot: Writable<Snapshot> = {
    id: snapshotId(sdk.SnapshotId),
    ownerId: pool(sdk.OwnerId ?? ''),
    state: SNAPSHOT_STATE_OF.get(sdk.State ?? '') ?? 'pending',
    startTime: sdk.StartTime?.getTime() ?? 0,
    tags: tagsToRecord(sdk.Tags, pool),
  };
  if (sdk.VolumeId !== undefined) snapshot.volumeId = volumeId(pool(sdk.VolumeId));
  if (sdk.VolumeSize !== undefined) snapshot.sizeGiB = sdk.VolumeSize;
  if (sdk.FullSnapshotSizeInBytes !== undefined) snapshot.fullSizeBytes = sdk.FullSnapshotSizeInBytes;
  if (sdk.StorageTier === 'archive') snapshot.storageTier = 'archive';
  if (sdk.Description !== undefined) snapshot.description = pool(sdk.Description);
  return snapshot;
}

export function mapImage(sdk: SdkImage): Image | undefined {
  if (!sdk.ImageId) return undefined;
  const snapshotIds = (sdk.BlockDeviceMappings ?? []).flatMap((m) =>
    m.Ebs?.SnapshotId ? [snapshotId(m.Ebs.SnapshotId)] : [],
  );
  return { id: imageId(sdk.ImageId), snapshotIds };
}
