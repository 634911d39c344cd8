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

/**
 * How the worker publishes its metrics (`EBS_SNAPPER_METRICS`, the stack's `MetricDimensions`):
 * `target`, one series per name per `Account` × `Region` (and `Policy`), plus `ActionsFailed` and
 * `VolumesOverdue` without dimensions when they are not zero; `deployment`, one series per name
 * without dimensions, the per-target detail left to the logs and the run records.
 */
export const METRICS_MODES = ['target', 'deployment'] as const;
export type MetricsMode = (typeof METRICS_MODES)[number];
export const DEFAULT_METRICS_MODE: MetricsMode = 'target';

/** The worker's environment variable that holds the mode; unset or empty = `target`. */
export const METRICS_ENV = 'EBS_SNAPPER_METRICS';

/**
 * The metrics the hub's alarms watch, published without dimensions in both modes: one series each
 * whatever the number of targets, so a plain metric alarm sums every target exactly (a Metrics
 * Insights query over the per-target series sees at most 10,000 of them).
 */
export const ALARMED_METRICS = [METRIC.actionsFailed, METRIC.volumesOverdue] as const;

/** The mode a value names, or undefined when it names none. */
export const metricsModeOf = (value: string): MetricsMode | undefined =>
  (METRICS_MODES as readonly string[]).includes(value) ? (value as MetricsMode) : undefined;
