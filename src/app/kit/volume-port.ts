/**
 * The EBS volumes of restore drills (docs/drills.md): make one from a snapshot, watch it, attach it
 * to a host and take it back, delete it, and write the drill's state and result as tags. The AWS
 * adapter is `src/aws/volumes.ts`; tests use the volumes of `InMemoryEc2`. Every call that changes
 * a volume is allowed by IAM only on volumes carrying `ebs-snapper:drill-of`.
 */
import type { InstanceId, SnapshotId, Volume, VolumeId } from '../../core/model.js';

export interface CreateDrillVolumeRequest {
  readonly snapshotId: SnapshotId;
  readonly availabilityZone: string;
  /** Default: the snapshot's size. */
  readonly sizeGiB?: number;
  readonly volumeType: string;
  /** Every tag of the volume, set at creation (the drill's state from its first moment). */
  readonly tags: Readonly<Record<string, string>>;
  /** CreateVolume's idempotency token: a retried create makes no second volume. */
  readonly clientToken: string;
}

/** Has every block of a volume been read from its snapshot? */
export type Initialization = 'done' | 'pending' | 'unknown';

export interface VolumePort {
  createVolume(request: CreateDrillVolumeRequest): Promise<VolumeId>;
  /** The volumes carrying `ebs-snapper:drill-of` (one paged listing for all), or only `ids`. */
  listDrillVolumes(ids?: readonly VolumeId[]): Promise<readonly Volume[]>;
  /** DescribeVolumeStatus' initialization details of `ids`; a volume EC2 says nothing of is `unknown`. */
  initialization(ids: readonly VolumeId[]): Promise<ReadonlyMap<string, Initialization>>;
  attach(volumeId: VolumeId, instanceId: InstanceId, device: string): Promise<void>;
  /** `force`: for a detach that did not end by itself (the volume is deleted next anyway). */
  detach(volumeId: VolumeId, instanceId: InstanceId, force: boolean): Promise<void>;
  /** A volume already gone counts as deleted. */
  deleteVolume(volumeId: VolumeId): Promise<void>;
  /** The drill's own volume: its step and detail. */
  tagVolume(volumeId: VolumeId, tags: Readonly<Record<string, string>>): Promise<void>;
  /** The drilled snapshot: the drill's result. */
  tagSnapshot(snapshotId: SnapshotId, tags: Readonly<Record<string, string>>): Promise<void>;
}
