/**
 * What `report` tells about one account × region (SPEC §12): per selected volume its coverage,
 * the volumes no policy selects, per policy its snapshots, size and cost, the unmanaged snapshots
 * and the orphaned series. Data only; `reportCoverage` builds it, the CLI renders it.
 */
import type { InstanceId, InventoryGap, SnapshotId, Tags, VolumeId } from '../model.js';
import type { BinStorage } from '../recycle-bin/bin-storage.js';
import type { Warning } from '../warnings.js';
import type { Prices, SizeTotals } from './cost.js';
import type { DrillRecord } from './drill-coverage.js';
import type { CoverageReason } from './status.js';

/** A series' snapshots, oldest first: views into the planner's series table (no copy). */
interface Timeline {
  /** Start times, epoch ms. */
  readonly start: Float64Array;
  /** `FLAG` bits of series.ts (state class, lock, AMI). */
  readonly flags: Uint8Array;
}

/** One row of the coverage table: a volume a policy selects. */
export interface SeriesCoverage {
  readonly account: string;
  readonly region: string;
  readonly policy: string;
  readonly volumeId: VolumeId;
  readonly volumeName?: string;
  readonly sizeGiB: number;
  readonly instanceId?: InstanceId;
  readonly instanceName?: string;
  readonly device?: string;
  readonly status: 'OK' | 'OVERDUE';
  readonly reason: CoverageReason;
  /** The newest completed snapshot that started at or before `now`. */
  readonly newest?: { readonly snapshotId: SnapshotId; readonly startTime: number };
  /** When the planner takes the next snapshot (epoch ms; `now` when due now). */
  readonly nextDue?: number;
  /** Every snapshot of the series, whatever its state. */
  readonly snapshots: number;
  readonly timeline: Timeline;
  /** The policy has restore drills (`drill`). */
  readonly drilled?: boolean;
  /** The newest restore drill recorded on the series' snapshots. */
  readonly lastDrill?: DrillRecord;
  /** Epoch ms of the newest passed drill. */
  readonly lastPassedAt?: number;
}

/** A volume that no policy selects. */
export interface UnprotectedVolume {
  readonly account: string;
  readonly region: string;
  readonly status: 'UNPROTECTED';
  readonly reason: CoverageReason;
  readonly volumeId: VolumeId;
  readonly volumeName?: string;
  readonly sizeGiB: number;
  readonly state?: string;
  readonly tags: Tags;
  readonly instanceId?: InstanceId;
  readonly instanceName?: string;
  readonly device?: string;
}

/** A series whose source volume is gone (SPEC §4: kept by the same rules unless `orphaned`). */
export interface OrphanSeries {
  readonly account: string;
  readonly region: string;
  readonly policy: string;
  /** The series' source volume id ('' when its snapshots name none). */
  readonly volumeId: string;
  readonly snapshots: number;
  readonly oldest?: number;
  readonly newest?: number;
  readonly sizes: SizeTotals;
  /** `orphaned: {expire-after}` of the policy, when set. */
  readonly expireAfterMs?: number;
}

/** One policy in one account × region. */
export interface PolicyCoverage {
  readonly policy: string;
  /** Volumes it selects. */
  readonly volumes: number;
  readonly ok: number;
  readonly overdue: number;
  /** Every snapshot of the policy here: selected series, orphans, copies from other regions. */
  readonly sizes: SizeTotals;
  /** Upper bound (see `upperBoundBytes`), each tier at its price; undefined when a size is unknown. */
  readonly monthlyCost: number | undefined;
  readonly orphanSeries: number;
}

/** The coverage report of one account × region. */
export interface CoverageReport {
  readonly account: string;
  readonly region: string;
  /** Epoch ms the report is made for. */
  readonly now: number;
  readonly prices: Prices;
  /** OVERDUE first, then by policy, volume id. */
  readonly series: readonly SeriesCoverage[];
  /** By volume id. */
  readonly unprotected: readonly UnprotectedVolume[];
  /** By policy id. */
  readonly policies: readonly PolicyCoverage[];
  readonly orphans: readonly OrphanSeries[];
  /** Snapshots of the account without a configured policy's tag (never counted, never deleted). */
  readonly unmanaged: SizeTotals;
  readonly warnings: readonly Warning[];
  readonly gaps?: readonly InventoryGap[];
  /** The Recycle Bin (SPEC §14): its rules, and what it stores now and costs. */
  readonly recycleBin?: BinStorage;
}

/**
 * An account × region (or a whole account, when its role was refused) whose inventory could not
 * be read: its volumes cannot be listed, so their coverage is UNKNOWN. A report shows each one and
 * never reads as all OK while any is left.
 */
export interface UnreadTarget {
  readonly account?: string;
  /** Absent when the account failed before any region was reached (a refused role, say). */
  readonly region?: string;
  readonly error: { readonly code: string; readonly message: string };
}

/** `account/region`, `account/*` when no region was reached. */
export const unreadLabel = (t: UnreadTarget): string =>
  `${t.account ?? '(unknown account)'}/${t.region ?? '*'}`;

/** A warning found in one account × region: a reader must know where. */
export interface TargetWarning extends Warning {
  readonly account: string;
  readonly region: string;
}
