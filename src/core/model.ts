/**
 * The inventory model: what the planner knows about one account × region.
 *
 * Times are epoch milliseconds (numbers, not Date objects): a million snapshots must plan in
 * well under a second, and numbers compare and sort without allocation.
 */

declare const brand: unique symbol;
/** A string that is known to be a particular kind of AWS id; mixing kinds is a type error. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type InstanceId = Brand<string, 'InstanceId'>;
export type VolumeId = Brand<string, 'VolumeId'>;
export type SnapshotId = Brand<string, 'SnapshotId'>;
export type ImageId = Brand<string, 'ImageId'>;

export const instanceId = (id: string): InstanceId => id as InstanceId;
export const volumeId = (id: string): VolumeId => id as VolumeId;
export const snapshotId = (id: string): SnapshotId => id as SnapshotId;
export const imageId = (id: string): ImageId => id as ImageId;

/** Tags as a plain record: key → value. */
export type Tags = Readonly<Record<string, string>>;

export const INSTANCE_STATES = [
  'pending',
  'running',
  'stopping',
  'stopped',
  'shutting-down',
  'terminated',
] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

export interface Instance {
  readonly id: InstanceId;
  readonly state: InstanceState;
  readonly tags: Tags;
  /** Auto Scaling group name (from DescribeAutoScalingGroups or the `aws:autoscaling:groupName` tag). */
  readonly asg?: string;
  /** e.g. `/dev/xvda`; a volume attached at this device is the boot volume. */
  readonly rootDeviceName?: string;
  readonly instanceType?: string;
  readonly availabilityZone?: string;
}

export interface Attachment {
  readonly instanceId: InstanceId;
  readonly device: string;
  /** `attaching` or `detaching` while it changes; absent when attached (detached ones are left out). */
  readonly state?: string;
}

export interface Volume {
  readonly id: VolumeId;
  readonly tags: Tags;
  /** gp3, io2, ... */
  readonly type: string;
  readonly sizeGiB: number;
  readonly availabilityZone?: string;
  /** creating | available | in-use | deleting | deleted | error */
  readonly state?: string;
  readonly encrypted?: boolean;
  readonly attachments: readonly Attachment[];
  /** The snapshot the volume was created from, when it was (a restore drill's volume names its snapshot). */
  readonly snapshotId?: SnapshotId;
}

export const SNAPSHOT_STATES = ['pending', 'completed', 'error', 'recoverable', 'recovering'] as const;
export type SnapshotState = (typeof SNAPSHOT_STATES)[number];

export interface Snapshot {
  readonly id: SnapshotId;
  /** Source volume; AWS reports `vol-ffffffff` for copies, which never matches a real volume. */
  readonly volumeId?: VolumeId;
  readonly ownerId: string;
  readonly state: SnapshotState;
  /** Epoch milliseconds. */
  readonly startTime: number;
  readonly tags: Tags;
  /** The source volume's size (`VolumeSize`). */
  readonly sizeGiB?: number;
  /** `FullSnapshotSizeInBytes`: the data the snapshot references, an upper bound of what it stores. */
  readonly fullSizeBytes?: number;
  /** `StorageTier`; undefined means standard. */
  readonly storageTier?: StorageTier;
  /** Epoch ms the snapshot moved to the archive tier (DescribeSnapshotTierStatus), when known. */
  readonly archivedAt?: number;
  readonly description?: string;
  /** True when an EBS snapshot lock is in force. */
  readonly locked?: boolean;
}

export const STORAGE_TIERS = ['standard', 'archive'] as const;
export type StorageTier = (typeof STORAGE_TIERS)[number];

export interface Image {
  readonly id: ImageId;
  /** Snapshots in the image's block device mappings: these must never be deleted. */
  readonly snapshotIds: readonly SnapshotId[];
}

/**
 * A listing that delete safety depends on and that could not be read (DescribeImages refused,
 * say). The planner then holds every delete of the account × region; creates still go ahead.
 */
export interface InventoryGap {
  /** What is missing: `images`, `locked-snapshots`, ... */
  readonly resource: string;
  /** The failed call and its error, e.g. `DescribeImages: UnauthorizedOperation`. */
  readonly error: string;
}

/**
 * What a `copy_to` destination region holds of this region's snapshots (SPEC §6a), listed by the
 * app before planning: which source snapshots already have a copy there, and how many copies are
 * still pending there (EC2 allows 20 in flight per destination).
 */
export interface CopyDestination {
  readonly region: string;
  /** Ids of this region's snapshots that have a copy there, pending or completed. */
  readonly copied: readonly string[];
  /** Copies pending there, from any region. */
  readonly inFlight: number;
  /** The copies could not be listed (`Operation: code`): no copy is planned there this run. */
  readonly error?: string;
}

/** Everything the planner reads about one account × region. */
export interface Inventory {
  readonly account: string;
  readonly region: string;
  readonly instances: readonly Instance[];
  readonly volumes: readonly Volume[];
  readonly snapshots: readonly Snapshot[];
  readonly images: readonly Image[];
  /** Listings that could not be read; when any is given, nothing is deleted. */
  readonly gaps?: readonly InventoryGap[];
  /** The `copy_to` destinations' copies of this region's snapshots; no copy is planned without them. */
  readonly copyDestinations?: readonly CopyDestination[];
  /**
   * The account's snapshots that no configured policy owns (no `ebs-snapper:policy` tag, or an
   * id not in the config), counted but not listed: set only when collection was asked to count
   * them (reports). The planner ignores it.
   */
  readonly unmanaged?: UnmanagedCount;
  /**
   * The account × region's Recycle Bin retention rules for EBS snapshots (src/core/recycle-bin):
   * undefined when they were not asked for (then no delete is annotated).
   */
  readonly recycleBin?: RecycleBinRules;
  /** Snapshots in the Recycle Bin now (reports only; see `BinnedSnapshot`). */
  readonly binned?: readonly BinnedSnapshot[];
  /** Vault accounts' copies of this region's snapshots (`copy_to` with an `account`). */
  readonly vaultDestinations?: readonly VaultDestination[];
  /** This region's snapshots shared with each vault account, to unshare once copied. */
  readonly vaultShares?: readonly VaultShare[];
}

/** A Recycle Bin retention rule for EBS snapshots, as `GetRule` describes it. */
export interface BinRule {
  readonly id: string;
  readonly retentionDays: number;
  /** Tag-level rule: a snapshot with at least one of these pairs goes to the bin. Empty: Region-level. */
  readonly resourceTags: readonly BinTag[];
  /** Region-level rule: a snapshot with any of these pairs does not. */
  readonly excludeTags: readonly BinTag[];
}

/** A tag pair of a rule; a rule that names no value matches the key with an empty value. */
export interface BinTag {
  readonly key: string;
  readonly value: string;
}

/** The rules, or why they could not be read (`ListRules: AccessDeniedException`). */
export type RecycleBinRules = { readonly rules: readonly BinRule[] } | { readonly unreadable: string };

/** A snapshot in the Recycle Bin (`ListSnapshotsInRecycleBin`). */
export interface BinnedSnapshot {
  readonly snapshotId: SnapshotId;
  readonly volumeId?: string;
  /** Epoch ms. */
  readonly enteredAt?: number;
  /** Epoch ms it leaves the bin for good. */
  readonly exitsAt?: number;
}

/** The state of a vault copy, by its `ebs-snapper:source-snapshot-id`. */
export type VaultCopyState = 'pending' | 'completed' | 'error';

/**
 * One vault account × region that copies of this account × region's snapshots go to, listed
 * through the vault's role before planning.
 */
export interface VaultDestination {
  readonly account: string;
  readonly region: string;
  /** Source snapshot id → the state of its copy there (this account and region's only). */
  readonly copies: Readonly<Record<string, VaultCopyState>>;
  /** Copies pending there, from any source (EC2 allows 20 in flight per destination). */
  readonly inFlight: number;
  /** The copies could not be listed (`Operation: code`): nothing is copied there, nothing unshared. */
  readonly error?: string;
}

/** Which of this region's snapshots are shared with a vault account now (createVolumePermission). */
export interface VaultShare {
  readonly account: string;
  readonly snapshotIds: readonly string[];
  /** Could not be listed: no unshare is planned for this account. */
  readonly error?: string;
}

/** How many snapshots, and how much data, the account holds outside the configured policies. */
export interface UnmanagedCount {
  /** Snapshots counted. */
  readonly count: number;
  /** Sum of `FullSnapshotSizeInBytes` where EC2 gives it (an upper bound of what is stored). */
  readonly fullSizeBytes: number;
  /** Snapshots without `FullSnapshotSizeInBytes` (their volume size stands in). */
  readonly unsized: number;
  /** Σ upper bounds in the standard tier (report/cost.ts). */
  readonly standardBytes: number;
  /** Σ upper bounds in the archive tier (there, the full size is what is billed). */
  readonly archiveBytes: number;
}

/** The tag keys of the ownership contract (SPEC §3). */
export const TAG = {
  policy: 'ebs-snapper:policy',
  volumeId: 'ebs-snapper:volume-id',
  instanceId: 'ebs-snapper:instance-id',
  device: 'ebs-snapper:device',
  expiresAt: 'ebs-snapper:expires-at',
  runId: 'ebs-snapper:run-id',
  sourceSnapshotId: 'ebs-snapper:source-snapshot-id',
  sourceRegion: 'ebs-snapper:source-region',
  /** On vault copies (`copy_to` with an `account`): the account the source snapshot is in. */
  sourceAccount: 'ebs-snapper:source-account',
  stoppedBy: 'ebs-snapper:stopped-by',
  /** Set before EnterStandby, removed after ExitStandby: the group membership to give back. */
  standbyBy: 'ebs-snapper:standby-by',
  /**
   * On an instance from before its pre script is sent until its post script succeeded (SPEC §15):
   * the run id that froze it, so a run that finds one left by a crash thaws it first.
   */
  frozenBy: 'ebs-snapper:frozen-by',
  /** Beside `frozen-by`: the policy whose post script thaws the instance. */
  frozenPolicy: 'ebs-snapper:frozen-policy',
  /** On every snapshot of an application-consistent policy: `application` or `crash`. */
  consistency: 'ebs-snapper:consistency',
} as const;

/** EC2 allows at most 50 tags per resource. */
export const MAX_TAGS = 50;

/**
 * EC2 bills a snapshot moved to the archive tier for at least 90 days there; deleting it earlier
 * saves nothing, so the planner keeps it until then.
 */
export const ARCHIVE_MINIMUM_MS = 90 * 86_400_000;

/**
 * True when a snapshot belongs to one of the configured policies (its `ebs-snapper:policy` tag):
 * the only snapshots the planner can decide anything about. Collection lists just these.
 *
 * @example isManagedBy(snapshot, new Set(['web-daily'])) // true when tagged web-daily
 */
export function isManagedBy(snapshot: Snapshot, policyIds: ReadonlySet<string>): boolean {
  const policy = snapshot.tags[TAG.policy];
  return policy !== undefined && policyIds.has(policy);
}
