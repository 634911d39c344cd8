/**
 * The ports between the application (collect → plan → apply) and the outside world.
 * `src/aws/*` implements them with the AWS SDK; tests may implement them in memory.
 * Every operation declares the IAM actions it needs, so `iam-policy` is derived from code.
 */
import type { LockIntent, VaultRef } from '../../core/actions.js';
import { EbsSnapperError } from '../../core/errors.js';
import type {
  CopyDestination,
  InstanceId,
  Inventory,
  Snapshot,
  SnapshotId,
  Tags,
  VaultCopyState,
  VaultDestination,
  VolumeId,
} from '../../core/model.js';
import type { SsmPort } from './ssm-port.js';
import type { VolumePort } from './volume-port.js';

/** The code of a call cancelled because the run reached its deadline (or was told to stop). */
export const DEADLINE_CODE = 'Deadline';

/**
 * The one failure type of every port: an adapter turns whatever its SDK threw into this, once.
 * Callers read `code` and `transient`; they never look at an error's `name` or keep a list of
 * codes of their own.
 */
export class PortError extends EbsSnapperError {
  /** The API action that failed: `DeleteSnapshot`, `AssumeRole`, ... */
  readonly operation: string;
  /** The provider's error code: `InvalidSnapshot.NotFound`, `RequestLimitExceeded`, `TimeoutError`, ... */
  readonly code: string;
  /**
   * Trying again later may work (throttling, 5xx, timeouts, dropped connections). For a call
   * that changes something it also means the call may have been carried out after all.
   */
  readonly transient: boolean;

  constructor(
    operation: string,
    details: { readonly code: string; readonly message: string; readonly transient: boolean },
    options?: { cause?: unknown },
  ) {
    super(`${operation} failed: ${details.code}: ${details.message}`, options);
    this.operation = operation;
    this.code = details.code;
    this.transient = details.transient;
  }
}

/** Progress while collecting: one call per page. */
export interface CollectProgress {
  readonly account: string;
  readonly region: string;
  readonly resource:
    | 'instances'
    | 'volumes'
    | 'snapshots'
    | 'images'
    | 'auto-scaling-groups'
    | 'locked-snapshots'
    | 'archive-tier'
    | 'recycle-bin';
  /** Items seen so far for this resource. */
  readonly count: number;
}

export interface CreateSnapshotRequest {
  readonly volumeId: VolumeId;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface CreateSnapshotsRequest {
  readonly instanceId: InstanceId;
  /** True unless the boot volume is one of the volumes to snapshot. */
  readonly excludeBootVolume: boolean;
  /** Data volumes of the instance that are not to be snapshotted. */
  readonly excludeDataVolumeIds: readonly VolumeId[];
  readonly description: string;
  /** The same tags go on every snapshot of the set (EC2 allows no per-volume tags here)... */
  readonly tags: Readonly<Record<string, string>>;
  /** ...and each snapshot gets its own volume's tags too (`CopyTagsFromSource: volume`). */
  readonly copyTagsFromSource: boolean;
}

export interface CreatedSnapshot {
  readonly snapshotId: SnapshotId;
  readonly volumeId: VolumeId;
  /** EC2 answered `completed` (a local emulator may): it can be copied at once (`copy_to`). */
  readonly completed?: boolean;
}

/** One CopySnapshot, called in the destination region (SPEC §6a). */
export interface CopySnapshotRequest {
  readonly destination: string;
  readonly sourceRegion: string;
  readonly sourceSnapshotId: SnapshotId;
  readonly description: string;
  /** Every tag of the copy, set at creation. */
  readonly tags: Readonly<Record<string, string>>;
  /** Encrypt the copy with this key (`Encrypted: true`). */
  readonly kmsKeyId?: string;
}

/** What to do about the snapshots no configured policy owns. */
const UNMANAGED_MODES = ['skip', 'count'] as const;
export type UnmanagedMode = (typeof UNMANAGED_MODES)[number];

/** What collection lists (SPEC §8): only what the plan needs. */
export interface CollectInventoryOptions {
  /**
   * The configured policy ids: only snapshots tagged `ebs-snapper:policy` with one of them are
   * listed, since the planner decides nothing about the others (they would only be kept).
   */
  readonly policyIds: readonly string[];
  /**
   * `skip` (default; plan and run): the other snapshots are never asked for. `count` (reports):
   * the account's other snapshots are paged too and only counted (`Inventory.unmanaged`).
   */
  readonly unmanaged?: UnmanagedMode;
  readonly onProgress?: (p: CollectProgress) => void;
  /** Also list what is in the Recycle Bin now (`Inventory.binned`, for reports). */
  readonly binContents?: boolean;
}

/** The EC2 side of one account × region. */
export interface Ec2Port {
  readonly account: string;
  readonly region: string;
  /**
   * Instances, volumes, the snapshots of the given policies (owned by the account), images (owned
   * by the account), locked snapshots and when archived ones reached the archive. A listing that
   * only delete safety needs and that could not be read is an `Inventory.gaps` entry, not a throw.
   */
  collectInventory(options: CollectInventoryOptions): Promise<Inventory>;
  createSnapshot(request: CreateSnapshotRequest): Promise<CreatedSnapshot>;
  createSnapshots(request: CreateSnapshotsRequest): Promise<readonly CreatedSnapshot[]>;
  deleteSnapshot(id: SnapshotId): Promise<void>;
  /**
   * Snapshots this run already made for a policy (by the `ebs-snapper:run-id` and
   * `ebs-snapper:policy` tags): a retried create checks here first, so retries never duplicate.
   */
  findRunSnapshots(runId: string, policy: string): Promise<readonly Snapshot[]>;
  /** The instance side of the stop → snapshot → start workflow (SPEC §6). */
  readonly instances: InstancePort;
  /** The volumes of restore drills (create, watch, attach, detach, delete, tag). */
  readonly volumes: VolumePort;
  /** SSM Run Command on the account × region's instances (drills' `ssm` check, freeze scripts). */
  readonly ssm: SsmPort;
  /**
   * SSM for what must happen however the run ends (a thaw after a freeze): its calls are never
   * cancelled by the run's deadline (timeouts still apply).
   */
  readonly ssmUnbounded: SsmPort;
  /**
   * `copy_to`: which of this region's snapshots have a copy in `destination` (pending or
   * completed, by the `ebs-snapper:source-*` tags), and how many of the tool's copies are pending there.
   */
  listCopies(destination: string): Promise<CopyDestination>;
  /** Not idempotent (no client token): a failure is reported, never retried blindly. */
  copySnapshot(request: CopySnapshotRequest): Promise<SnapshotId>;
  /** EBS snapshot locks (SPEC §14); absent where the port cannot lock (then no lock is made). */
  readonly locks?: LockPort;
  /** Vault copies (SPEC §14); absent where no vault can be reached (then none is planned). */
  readonly vaults?: VaultPort;
  /**
   * Two small pages (no full collection): is there any volume, any snapshot of `policyIds`? What a
   * deployed worker asks first to leave an empty account × region at that; absent: never asked.
   */
  glance?(policyIds: readonly string[]): Promise<TargetGlance>;
}

/** What one page of a listing showed: how many items, and whether EC2 said there are more. */
export interface PageGlance {
  readonly seen: number;
  /** A NextToken came back: an empty page with one proves nothing (EC2 may filter after paging). */
  readonly more: boolean;
}

/** {@link Ec2Port.glance}: the first page of the volumes and of the managed snapshots. */
export interface TargetGlance {
  /** DescribeVolumes, any volume (drill volumes and stopped instances' volumes included). */
  readonly volumes: PageGlance;
  /** DescribeSnapshots of the account tagged with one of the policies (its own, copies, vault copies). */
  readonly managedSnapshots: PageGlance;
}

/** LockSnapshot, in the port's region or (a copy just made) a `copy_to` destination of the account. */
export interface LockPort {
  lock(region: string, id: SnapshotId, lock: LockIntent): Promise<void>;
}

/**
 * A source account × region's side of vault copies, and the vault's (through its role): share a
 * snapshot with the vault, have the vault copy it, take the share back.
 */
export interface VaultPort {
  /** This region's snapshots shared with `account` now (createVolumePermission). */
  listShared(account: string): Promise<readonly string[]>;
  share(id: SnapshotId, account: string): Promise<void>;
  /** Never cancelled by the run's deadline: a snapshot is never left shared for want of time. */
  unshare(id: SnapshotId, account: string): Promise<void>;
  /** Whether a snapshot of this region is encrypted, and with which key (for the aws/ebs message). */
  encryptionOf(id: SnapshotId): Promise<{ readonly encrypted: boolean; readonly kmsKeyId?: string }>;
  /** As the vault, in `region`: its copies of this account × region's snapshots. */
  listCopies(vault: VaultRef, region: string): Promise<VaultDestination>;
  /** As the vault: CopySnapshot in `request.destination` from this region. Not retried blindly. */
  copy(vault: VaultRef, request: CopySnapshotRequest): Promise<SnapshotId>;
  /** As the vault: the state of a copy it made (undefined when it cannot be seen). */
  copyState(vault: VaultRef, region: string, id: SnapshotId): Promise<VaultCopyState | undefined>;
  /** As the vault: LockSnapshot of its copy. */
  lock(vault: VaultRef, region: string, id: SnapshotId, lock: LockIntent): Promise<void>;
}

/** An instance as the stop workflow sees it, now. */
export interface LiveInstance {
  readonly id: InstanceId;
  /** pending, running, stopping, stopped, shutting-down, terminated. */
  readonly state: string;
  readonly tags: Tags;
  /** In an Auto Scaling group: its lifecycle state (`InService`, `Standby`, `EnteringStandby`, ...). */
  readonly lifecycle?: string;
}

/**
 * Stopping and starting instances, and Auto Scaling Standby. Calls that give an instance back
 * (start, exit standby, untag, and the describes that wait for them) are never cancelled by the
 * run's deadline: an instance the tool stopped is always started again.
 */
export interface InstancePort {
  describe(id: InstanceId, asg?: string): Promise<LiveInstance | undefined>;
  tag(id: InstanceId, tags: Readonly<Record<string, string>>): Promise<void>;
  untag(id: InstanceId, keys: readonly string[]): Promise<void>;
  stop(id: InstanceId): Promise<void>;
  start(id: InstanceId): Promise<void>;
  enterStandby(asg: string, id: InstanceId): Promise<void>;
  exitStandby(asg: string, id: InstanceId): Promise<void>;
}

/** IAM actions each operation needs; `iam-policy` unions them. */
export interface IamDeclaration {
  readonly operation: string;
  readonly actions: readonly string[];
  /** For `ec2:DeleteSnapshot`: only snapshots tagged `ebs-snapper:policy`. */
  readonly condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}
