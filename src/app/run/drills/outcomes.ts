/**
 * What a run did about restore drills: one outcome per drill it looked at or started, for the run's
 * JSON (`drills`), its text, the run record, notifications and metrics. Failures become failed
 * results too, so exit codes, records and notifications treat them as every other failure.
 */
import type { SnapshotId, VolumeId } from '../../../core/model.js';
import type { DrillCheck } from '../../../core/policy/types.js';
import type { ErrorInfo } from '../../kit/classify-error.js';
import type { ActionResult } from '../results.js';

export const DRILL_STATUSES = [
  /** The drill volume was made; a later look (or run) goes on. */
  'started',
  /** Still going: waiting on a slow step (`step` says which). */
  'in-flight',
  /** Ended and passed: recorded on the snapshot, the volume deleted. */
  'passed',
  /** Ended and failed (timeout, error, a failing command): recorded, the volume deleted. */
  'failed',
  /** A volume whose result an earlier run recorded: only deleted now. */
  'cleaned',
  /** Not started: the run reached its deadline. */
  'deferred',
  /** Not started: no zone, no host, CreateVolume refused. */
  'not-started',
] as const;
export type DrillStatus = (typeof DRILL_STATUSES)[number];

export interface DrillOutcome {
  readonly policy: string;
  readonly account: string;
  readonly region: string;
  /** The snapshot restored. */
  readonly snapshotId: SnapshotId;
  /** The series' source volume, when known. */
  readonly sourceVolumeId?: VolumeId;
  /** The drill's own volume. */
  readonly drillVolumeId?: VolumeId;
  readonly check: DrillCheck;
  readonly status: DrillStatus;
  /** In flight: what it waits on (`creating`, `initializing`, `command`, `attaching`, `detaching`). */
  readonly step?: string;
  /** The step times so far, or the failure (what `drill-detail` says). */
  readonly detail?: string;
  /** ISO time of the drill's start (its volume's `drill-started`). */
  readonly startedAt?: string;
  /** Ended: ISO time of the result (`drill-at`). */
  readonly at?: string;
  /** Ended: the result is on the snapshot (false when the snapshot is gone). */
  readonly recorded?: boolean;
  /** Passed: seconds to the restore the check proves (available, or fully initialized). */
  readonly restoreSeconds?: number;
  /** Why it failed or did not start. */
  readonly error?: ErrorInfo;
  /** The look or the clean-up itself failed (the volume stays; the next run goes on with it). */
  readonly trouble?: ErrorInfo;
}

/** The drills that passed, failed, and everything about them that is a failure of the run. */
export function drillResults(outcomes: readonly DrillOutcome[]): ActionResult[] {
  return outcomes.flatMap((o) => {
    const base = {
      action: 'drill',
      policy: o.policy,
      account: o.account,
      region: o.region,
      ...(o.sourceVolumeId === undefined ? {} : { volumeId: o.sourceVolumeId }),
      snapshotId: o.snapshotId,
    } as const;
    const results: ActionResult[] = [];
    if (o.status === 'started' || o.status === 'passed') results.push({ ...base, status: 'done' });
    if (o.status === 'deferred') results.push({ ...base, status: 'deferred', ...errorOf(o.error) });
    if (o.status === 'failed' || o.status === 'not-started')
      results.push({ ...base, status: 'failed', ...errorOf(o.error) });
    if (o.trouble !== undefined) results.push({ ...base, status: 'failed', error: o.trouble });
    return results;
  });
}

const errorOf = (error: ErrorInfo | undefined) => (error === undefined ? {} : { error });

/** Counts of a run's drills, for records and metrics. */
export function countDrills(outcomes: readonly DrillOutcome[]): {
  started: number;
  passed: number;
  failed: number;
  inFlight: number;
} {
  const count = (status: DrillStatus) => outcomes.filter((o) => o.status === status).length;
  return {
    started: count('started'),
    passed: count('passed'),
    failed: count('failed') + count('not-started'),
    inFlight: count('in-flight') + count('started'),
  };
}
