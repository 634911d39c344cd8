/**
 * What applying a plan did: one result per create, delete or copy action (and one per instance
 * the stop workflow could not give back), and the report of a whole run of one account × region.
 * The CLI renders these; the exit code follows from them.
 */
import type { Plan } from '../../core/actions.js';
import type { InstanceId, SnapshotId, VolumeId } from '../../core/model.js';
import type { DrillOutcome } from './drills/outcomes.js';
import type { GivenBack } from './workflows/finish-crashed.js';
import type { FreezeRecord, Thawed } from './workflows/freeze-records.js';

const RESULT_STATUSES = [
  /** Done (a delete of a snapshot that was already gone counts as done). */
  'done',
  /** Failed: reported, notified, exit code 1. */
  'failed',
  /** Left for the next run on purpose (ConcurrentSnapshotLimitExceeded, deadline reached). */
  'deferred',
  /** Not done and not a failure (InvalidSnapshot.InUse: something else uses the snapshot). */
  'skipped',
] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export interface ActionResult {
  /**
   * `thaw`: an instance the freeze workflow (or a crashed run) froze whose post script did not
   * succeed — failed, its `frozen-by` tag kept for the next run.
   *
   * `give-back`: an instance the stop workflow stopped (or put in Standby) that could not be
   * started (or returned to its group) — failed, its tags kept for the next run — or that was
   * terminated while the tool had it (skipped). `drill`: a restore drill started, passed or failed
   * (`RunReport.drills` tells more).
   */
  readonly action: 'create' | 'delete' | 'copy' | 'give-back' | 'thaw' | 'drill' | 'lock' | 'unshare';
  /** `*` on the give-back of an instance a crashed run left (which policy stopped it is not known). */
  readonly policy: string;
  readonly account: string;
  readonly region: string;
  readonly volumeId?: VolumeId;
  readonly instanceId?: InstanceId;
  /** For deletes: the snapshot deleted; for creates and copies: the snapshot made. */
  readonly snapshotId?: SnapshotId;
  /** Copies: the snapshot copied, and its region (`region` is the destination). */
  readonly sourceSnapshotId?: SnapshotId;
  readonly sourceRegion?: string;
  /** Vault copies and unshares: the vault account. */
  readonly vaultAccount?: string;
  /** Deletes: days a Recycle Bin rule keeps the snapshot (what `undo` can bring back). */
  readonly recycleBinDays?: number | 'unknown';
  readonly status: ResultStatus;
  /** EC2 error code (or `Deadline`), when not done. */
  readonly error?: { readonly code: string; readonly message: string };
  /** `consistency: application` creates: what the set's snapshots are tagged (`ebs-snapper:consistency`). */
  readonly consistency?: 'application' | 'crash';
  /** Why such a create is not `application`, or not done: `consistency.pre-failed`, `consistency.no-agent`. */
  readonly reason?: { readonly code: string; readonly message: string };
}

export interface RunSummary {
  readonly created: number;
  /** Copies started in other regions (`copy_to`). */
  readonly copied: number;
  readonly deleted: number;
  readonly failed: number;
  readonly deferred: number;
  readonly skipped: number;
}

/** How long each step took, ms (metrics `CollectMs`, `PlanMs`, `ApplyMs`). */
export interface RunTimings {
  readonly collectMs: number;
  readonly planMs: number;
  readonly applyMs: number;
}

export interface RunReport {
  readonly plan: Plan;
  readonly results: readonly ActionResult[];
  /** Absent in reports made by hand (tests). */
  readonly timings?: RunTimings;
  readonly summary: RunSummary;
  /** True when the deadline stopped the run before every action was tried. */
  readonly deadlineReached: boolean;
  readonly dryRun: boolean;
  /** The `--only` in force: with `snapshot` no delete was applied, with `clean` no create. */
  readonly only?: 'snapshot' | 'clean';
  /** Instances a crashed run left stopped or in Standby, given back by this run first. */
  readonly givenBack?: readonly GivenBack[];
  /** Instances a crashed run left frozen, thawed by this run first (SPEC §15). */
  readonly thawed?: readonly Thawed[];
  /** The freeze → snapshot → thaw workflows of this run, one per instance (metric `FrozenMs`). */
  readonly freezes?: readonly FreezeRecord[];
  /** Restore drills advanced, ended or started by this run; absent when there were none. */
  readonly drills?: readonly DrillOutcome[];
}
