/**
 * Logs and metrics of the handlers with Powertools: JSON log lines on stdout with the run id,
 * account and region on every line of a work item, and CloudWatch metrics in Embedded Metric
 * Format (namespace `ebs-snapper`, dimensions `Account`, `Region`, and `Policy` where it applies).
 * In the `deployment` mode the same names go out without dimensions: one series each for the
 * whole deployment, a fixed bill however many targets publish (the `target done` line keeps the
 * per-target counts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { TargetOutcome } from '../app/kit/notifications.js';
import { countDrills } from '../app/run/drills/outcomes.js';
import {
  ALARMED_METRICS,
  DEFAULT_METRICS_MODE,
  METRIC,
  METRICS_NAMESPACE,
  type MetricsMode,
} from '../app/serverless/metrics.js';
import type { WorkItem } from '../app/serverless/ports.js';
import type { WorkTelemetry } from '../app/serverless/work-telemetry.js';

/** A fresh logger and metrics pair for one handler invocation. */
export function createTelemetry(): { logger: Logger; metrics: Metrics } {
  const logger = new Logger({ serviceName: METRICS_NAMESPACE });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_NAMESPACE });
  // SPEC §10's dimensions only: Powertools would add `service` to every metric.
  metrics.clearDefaultDimensions();
  return { logger, metrics };
}

/** The keys every log line of a work item carries. */
export const itemKeys = (item: WorkItem) => ({
  run_id: item.run_id,
  account: item.account,
  region: item.region,
  continuation: item.continuation,
});

/** The worker's telemetry for one work item; `mode` is how its metrics are published. */
export function workTelemetry(
  logger: Logger,
  metrics: Metrics,
  mode: MetricsMode = DEFAULT_METRICS_MODE,
): WorkTelemetry {
  return {
    skipped(item, why) {
      logger.info('skipped: the lease is held elsewhere', { ...itemKeys(item), why });
    },
    refused(item, why) {
      logger.error('work item refused', { ...itemKeys(item), code: why.code, why: why.message });
    },
    duplicate(item, what) {
      logger.info('delivered again: left alone', { ...itemKeys(item), what });
    },
    warn(message, error) {
      logger.warn(message, { error: error instanceof Error ? error.message : String(error) });
    },
    empty(item) {
      logger.info('target empty', itemKeys(item));
    },
    finished(item, outcome, record) {
      logger.info('target done', {
        ...itemKeys(item),
        outcome: record.outcome,
        counts: countsOf(record),
        failures: record.failures,
      });
      emitMetrics(metrics, item, outcome, record, mode);
    },
  };
}

function countsOf(record: { created: number; deleted: number; failed: number; deferred: number }) {
  return {
    created: record.created,
    deleted: record.deleted,
    failed: record.failed,
    deferred: record.deferred,
  };
}

type Counts = { created: number; deleted: number; failed: number; deferred: number };

function emitMetrics(
  metrics: Metrics,
  item: WorkItem,
  outcome: TargetOutcome,
  record: Counts,
  mode: MetricsMode,
): void {
  // An empty dimension set: the metric goes out without dimensions (`Dimensions: [[]]`).
  metrics.addDimensions(mode === 'deployment' ? {} : { Account: item.account, Region: item.region });
  addTargetMetrics(metrics, outcome, record);
  metrics.publishStoredMetrics();
  if (mode === 'deployment') return;
  publishPerPolicy(metrics, item, outcome);
  publishAlarmed(metrics, outcome, record);
}

function addTargetMetrics(metrics: Metrics, outcome: TargetOutcome, record: Counts): void {
  metrics.addMetric(METRIC.snapshotsCreated, MetricUnit.Count, record.created);
  metrics.addMetric(METRIC.snapshotsDeleted, MetricUnit.Count, record.deleted);
  metrics.addMetric(METRIC.actionsFailed, MetricUnit.Count, record.failed);
  metrics.addMetric(METRIC.actionsDeferred, MetricUnit.Count, record.deferred);
  metrics.addMetric(METRIC.volumesOverdue, MetricUnit.Count, outcome.overdue?.length ?? 0);
  const timings = outcome.report?.timings;
  if (timings !== undefined) {
    metrics.addMetric(METRIC.collectMs, MetricUnit.Milliseconds, Math.round(timings.collectMs));
    metrics.addMetric(METRIC.planMs, MetricUnit.Milliseconds, Math.round(timings.planMs));
    metrics.addMetric(METRIC.applyMs, MetricUnit.Milliseconds, Math.round(timings.applyMs));
  }
  // One value per instance frozen (EMF keeps them all: CloudWatch gets their statistics).
  for (const freeze of outcome.report?.freezes ?? []) {
    if (freeze.frozenMs !== undefined)
      metrics.addMetric(METRIC.frozenMs, MetricUnit.Milliseconds, Math.round(freeze.frozenMs));
  }
  const drills = outcome.report?.drills;
  if (drills !== undefined) {
    const counts = countDrills(drills);
    metrics.addMetric(METRIC.drillsPassed, MetricUnit.Count, counts.passed);
    metrics.addMetric(METRIC.drillsFailed, MetricUnit.Count, counts.failed);
    for (const d of drills)
      if (d.restoreSeconds !== undefined)
        metrics.addMetric(METRIC.restoreSeconds, MetricUnit.Seconds, d.restoreSeconds);
  }
}

/**
 * One line per policy that acted, its four counts under `Account`, `Region` and `Policy`. Through
 * the invocation's own `Metrics`: a `singleMetric()` publishes at its first `addMetric` and drops
 * its dimensions, which sent every count but the first out without any.
 */
function publishPerPolicy(metrics: Metrics, item: WorkItem, outcome: TargetOutcome): void {
  for (const [policy, counts] of perPolicy(outcome)) {
    metrics.addDimensions({ Account: item.account, Region: item.region, Policy: policy });
    metrics.addMetric(METRIC.snapshotsCreated, MetricUnit.Count, counts.created);
    metrics.addMetric(METRIC.snapshotsDeleted, MetricUnit.Count, counts.deleted);
    metrics.addMetric(METRIC.actionsFailed, MetricUnit.Count, counts.failed);
    metrics.addMetric(METRIC.volumesOverdue, MetricUnit.Count, counts.overdue);
    metrics.publishStoredMetrics();
  }
}

/**
 * The target mode's `ActionsFailed` and `VolumesOverdue` once more without dimensions, for the
 * alarms (two series in all, not per target), and only when not zero: an alarm on `> 0` reads no
 * data as nothing wrong, and a run where all went well publishes exactly the per-target lines.
 */
function publishAlarmed(metrics: Metrics, outcome: TargetOutcome, record: Counts): void {
  const values: Record<(typeof ALARMED_METRICS)[number], number> = {
    [METRIC.actionsFailed]: record.failed,
    [METRIC.volumesOverdue]: outcome.overdue?.length ?? 0,
  };
  const nonZero = ALARMED_METRICS.filter((name) => values[name] > 0);
  if (nonZero.length === 0) return;
  metrics.addDimensions({});
  for (const name of nonZero) metrics.addMetric(name, MetricUnit.Count, values[name]);
  metrics.publishStoredMetrics();
}

/** Counts per policy of a target's results and overdue volumes, for the `Policy` series (copies count in none). */
export function perPolicy(
  outcome: TargetOutcome,
): Map<string, { created: number; deleted: number; failed: number; overdue: number }> {
  const byPolicy = new Map<string, { created: number; deleted: number; failed: number; overdue: number }>();
  const of = (policy: string) => {
    const known = byPolicy.get(policy);
    if (known !== undefined) return known;
    const counts = { created: 0, deleted: 0, failed: 0, overdue: 0 };
    byPolicy.set(policy, counts);
    return counts;
  };
  for (const result of outcome.report?.results ?? []) {
    const counts = of(result.policy);
    if (result.status === 'failed') counts.failed += 1;
    else if (result.status === 'done' && result.action === 'create') counts.created += 1;
    else if (result.status === 'done' && result.action === 'delete') counts.deleted += 1;
  }
  for (const volume of outcome.overdue ?? []) of(volume.policy).overdue += 1;
  return byPolicy;
}
