/**
 * The plan: what the planner decided for one account × region, every decision with a reason.
 * This is data only; `planSnapshots` (plan.ts) builds it, the app layer applies it.
 */
import type { InstanceId, SnapshotId, VolumeId } from './model.js';
import type { Consistency, DrillCheck, FreezeScripts, LockMode } from './policy/types.js';
import type { Warning } from './warnings.js';

export const REASON_CODES = [
  // creates
  'due.first',
  'due.interval',
  'due.cron',
  'due.copy',
  // restore drills
  'drill.first',
  'drill.due',
  'drill.requested',
  // series that need no snapshot now
  'not-due',
  'copy.limit',
  // deletes
  'retention.expired',
  'retention.error',
  'retention.orphan-expired',
  // keeps
  'retention.minimum',
  'retention.max-age',
  'retention.tier.daily',
  'retention.tier.weekly',
  'retention.tier.monthly',
  'retention.tier.yearly',
  'retention.schedule',
  'protected.ami',
  'protected.pending',
  'protected.locked',
  'protected.archive-minimum',
  'protected.unmanaged',
  'protected.foreign',
  'protected.future',
  'protected.drill',
  'guard.max-deletes',
  'guard.unverified',
  // snapshot locks, vault shares (SPEC §14)
  'lock.missing',
  'share.copy-completed',
  'share.copy-failed',
  'share.no-copy',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface Reason {
  readonly code: ReasonCode;
  readonly message: string;
}

interface ActionBase {
  readonly policy?: string;
  readonly account: string;
  readonly region: string;
  readonly volumeId?: VolumeId;
  readonly instanceId?: InstanceId;
  readonly reason: Reason;
}

/** Take a snapshot of one volume (or, with `consistency: instance`, one member of an instance's set). */
export interface CreateAction extends ActionBase {
  readonly action: 'create';
  readonly policy: string;
  readonly volumeId: VolumeId;
  readonly device?: string;
  readonly consistency: Consistency;
  /** Every tag to put on the snapshot at creation (≤ 50, the tool's own included). */
  readonly tags: Readonly<Record<string, string>>;
  /** Tag keys that did not fit in 50, in the order they were dropped. */
  readonly droppedTags: readonly string[];
  readonly description: string;
  /** `consistency: instance`: EC2 copies each volume's own tags onto its snapshot (`CopyTagsFromSource`). */
  readonly copyVolumeTags?: boolean;
  /** Epoch ms the series' newest snapshot counts from; absent for a series' first snapshot. */
  readonly previousAt?: number;
  /** `stop_instance: true`: the instance is shut down for the snapshot and started again (SPEC §6). */
  readonly stop?: StopWorkflow;
  /**
   * `consistency: application`: the instance's filesystems are frozen for its set by the pre
   * script and thawed by the post script (SPEC §15): freeze → snapshot → thaw.
   */
  readonly freeze?: FreezeScripts;
  /**
   * `copy_to` destinations the new snapshot is copied to in this run when EC2 reports it
   * `completed` at once (otherwise the next run copies it, as the newest completed one).
   */
  readonly copyTo?: readonly CopyIntent[];
  /** `snapshot.lock`: LockSnapshot as soon as the create is accepted (SPEC §14). */
  readonly lock?: LockIntent;
}

/** A destination of a snapshot this run creates (SPEC §6a: "created this run or earlier"). */
export interface CopyIntent {
  readonly region: string;
  readonly kmsKeyId?: string;
  /** The destination retention's `ebs-snapper:expires-at`, when it has a `max_age`. */
  readonly expiresAt?: string;
  /** The target's `lock`, for the copy. */
  readonly lock?: LockIntent;
}

/** One LockSnapshot: the mode, when the lock ends (ISO-8601 UTC), the compliance cool-off. */
export interface LockIntent {
  readonly mode: LockMode;
  readonly until: string;
  readonly coolOffHours?: number;
}

/** The vault account a copy is made by and for (`copy_to` with an `account`, SPEC §14). */
export interface VaultRef {
  readonly account: string;
  readonly roleName: string;
}

/** How a create stops its instance (SPEC §6). */
export interface StopWorkflow {
  /** How long to wait for `stopped` before starting the instance again. */
  readonly timeoutMs: number;
  /** Instances of the policy stopped at once; undefined = 1 per Auto Scaling group, unlimited otherwise. */
  readonly maxStopped?: number;
  /** The instance's Auto Scaling group: it goes to Standby and back. */
  readonly asg?: string;
}

export interface DeleteAction extends ActionBase {
  readonly action: 'delete';
  readonly policy: string;
  readonly snapshotId: SnapshotId;
  /**
   * Days a Recycle Bin rule keeps the snapshot after the delete; `unknown` when the rules could
   * not be read; absent when no rule keeps it (or the rules were not asked for).
   */
  readonly recycleBinDays?: number | 'unknown';
}

/** Copy a snapshot to another region (`copy_to`, SPEC §6a): CopySnapshot is called in `region`. */
export interface CopyAction extends ActionBase {
  readonly action: 'copy';
  readonly policy: string;
  /** The destination. */
  readonly region: string;
  readonly sourceRegion: string;
  /** The source snapshot. */
  readonly snapshotId: SnapshotId;
  /** The source volume, the copy series' key. */
  readonly volumeId: VolumeId;
  /** Every tag of the copy, set at creation (≤ 50). */
  readonly tags: Readonly<Record<string, string>>;
  readonly description: string;
  /** Encrypt the copy with this KMS key (id, ARN or alias). */
  readonly kmsKeyId?: string;
  /** Lock the copy once CopySnapshot accepts it. */
  readonly lock?: LockIntent;
  /** A vault copy: shared with, made by and owned by this account (in `region`). */
  readonly vault?: VaultRef;
}

/** Lock a snapshot that has no lock in force yet (`lock.missing`, SPEC §14). */
export interface LockAction extends ActionBase {
  readonly action: 'lock';
  readonly policy: string;
  readonly snapshotId: SnapshotId;
  readonly lock: LockIntent;
}

/**
 * Take back the share of a snapshot with a vault account once its copy there has completed or
 * failed (or none is being made): a snapshot is never left shared.
 */
export interface UnshareAction extends ActionBase {
  readonly action: 'unshare';
  readonly policy: string;
  readonly snapshotId: SnapshotId;
  readonly vault: VaultRef;
}

/** A snapshot that stays, and why (retention rule, protection or the guard). */
export interface KeepAction extends ActionBase {
  readonly action: 'keep';
  readonly snapshotId: SnapshotId;
}

/** A series that needs no new snapshot now (`not-due`). */
export interface SkipAction extends ActionBase {
  readonly action: 'skip';
  readonly policy: string;
  readonly volumeId: VolumeId;
}

/**
 * A restore drill to start (docs/drills.md): a volume made from `snapshotId` in
 * `availabilityZone`, checked as `check` says, then deleted; the result goes on the snapshot.
 */
export interface DrillAction extends ActionBase {
  readonly action: 'drill';
  readonly policy: string;
  /** The series' source volume. */
  readonly volumeId: VolumeId;
  /** The snapshot restored. */
  readonly snapshotId: SnapshotId;
  readonly check: DrillCheck;
  /** Where the volume is made; undefined when no zone could be found (the drill then fails to start). */
  readonly availabilityZone?: string;
  /** The snapshot's size; EC2 uses it when absent. */
  readonly sizeGiB?: number;
  /** The drill volume's type (a cheap one: the drill proves the restore, not the source's speed). */
  readonly volumeType: string;
  readonly timeoutMs: number;
  /** Upper bound in USD: the volume for the whole timeout at its type's price. */
  readonly estimatedCostUsd: number;
  /** `check: ssm`: the host the volume is attached to. */
  readonly hostId?: InstanceId;
  /** Epoch ms of the series' last drill (any result). */
  readonly previousAt?: number;
}

export type PlanAction =
  | CreateAction
  | CopyAction
  | DeleteAction
  | KeepAction
  | SkipAction
  | DrillAction
  | LockAction
  | UnshareAction;

export interface GuardOutcome {
  readonly tripped: boolean;
  /** The limit in force, as a count. */
  readonly limit: number;
  /** How many deletes the plan wanted. */
  readonly wanted: number;
}

export interface PlanSummary {
  readonly create: number;
  readonly copy: number;
  readonly delete: number;
  readonly keep: number;
  readonly skip: number;
  /** Restore drills to start; absent when none. */
  readonly drill?: number;
  /** Locks of snapshots still unlocked (SPEC §14); absent when none. */
  readonly lock?: number;
  /** Shares with vault accounts taken back; absent when none. */
  readonly unshare?: number;
}

/** The plan for one account × region. */
export interface Plan {
  readonly account: string;
  readonly region: string;
  /** ISO-8601 UTC. */
  readonly now: string;
  readonly runId: string;
  readonly actions: readonly PlanAction[];
  readonly guard?: GuardOutcome;
  /** Set when deletes were held because delete safety could not be checked (inventory gaps). */
  readonly deletesHeld?: readonly string[];
  /** `copy_to` destinations whose copies could not be listed (`region (error)`): none copied to. */
  readonly copiesHeld?: readonly string[];
  /** Vault destinations (`account/region (error)`) whose copies could not be listed: none copied to. */
  readonly vaultsHeld?: readonly string[];
  readonly warnings: readonly Warning[];
  readonly summary: PlanSummary;
}
