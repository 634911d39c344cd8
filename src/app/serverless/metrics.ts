/**
 * The deployment's CloudWatch metrics (SPEC §10): one definition for what the worker emits and what
 * the hub's alarms watch, so the two cannot drift apart. No dependency: the templates (in the CLI's
 * bundle) read it without pulling in the Lambda's Powertools.
 */

/** The EMF namespace of every metric the handlers emit (and the Powertools service name). */
export const METRICS_NAMESPACE = 'ebs-snapper';

/** Metric names, as the worker emits them per `Account` × `Region` (and per `Policy` where it applies). */
export const METRIC = {
  snapshotsCreated: 'SnapshotsCreated',
  snapshotsDeleted: 'SnapshotsDeleted',
  actionsFailed: 'ActionsFailed',
  actionsDeferred: 'ActionsDeferred',
  volumesOverdue: 'VolumesOverdue',
  collectMs: 'CollectMs',
  planMs: 'PlanMs',
  applyMs: 'ApplyMs',
  /** Per instance of `consistency: application`: from the pre script's end to the post script's start. */
  frozenMs: 'FrozenMs',
  drillsPassed: 'DrillsPassed',
  drillsFailed: 'DrillsFailed',
  /** Seconds to the restore a passed drill proves (available, or fully initialized), one per drill. */
  restoreSeconds: 'RestoreSeconds',
} as const;

/** The dimensions of the per-target series; the alarms sum over exactly these. */
export const TARGET_DIMENSIONS = ['Account', 'Region'] as const;
