/**
 * Logs and metrics of the handlers with Powertools: JSON log lines on stdout with the run id,
 * account and region on every line of a work item, and CloudWatch metrics in Embedded Metric
 * Format (namespace `ebs-snapper`, dimensions `Account`, `Region`, and `Policy` where it applies).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { TargetOutcome } from '../app/kit/notifications.js';
import type { WorkItem } from '../app/serverless/ports.js';
import type { WorkTelemetry } from '../app/serverless/work-telemetry.js';

export const NAMESPACE = 'ebs-snapper';

/** A fresh logger and metrics pair for one handler invocation. */
export function createTelemetry(): { logger: Logger; metrics: Metrics } {
  const logger = new Logger({ serviceName: NAMESPACE });
  const metrics = new Metrics({ namespace: NAMESPACE, serviceName: NAMESPACE });
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

/** The worker's telemetry for one work item. */
export function workTelemetry(logger: Logger, metrics: Metrics): WorkTelemetry {
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
    finished(item, outcome, record) {
      logger.info('target done', {
        ...itemKeys(item),
        outcome: record.outcome,
        counts: countsOf(record),
        failures: record.failures,
      });
      emitMetrics(metrics, item, outcome, record);
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

function emitMetrics(
  metrics: Metrics,
  item: WorkItem,
  outcome: TargetOutcome,
  record: { created: number; deleted: number; failed: number; deferred: number },
): void {
  metrics.addDimensions({ Account: item.account, Region: item.region });
  metrics.addMetric('SnapshotsCreated', MetricUnit.Count, record.created);
  metrics.addMetric('SnapshotsDeleted', MetricUnit.Count, record.deleted);
  metrics.addMetric('ActionsFailed', MetricUnit.Count, record.failed);
  metrics.addMetric('ActionsDeferred', MetricUnit.Count, record.deferred);
  metrics.addMetric('VolumesOverdue', MetricUnit.Count, outcome.overdue?.length ?? 0);
  const timings = outcome.report?.timings;
  if (timings !== undefined) {
    metrics.addMetric('CollectMs', MetricUnit.Milliseconds, Math.round(timings.collectMs));
    metrics.addMetric('PlanMs', MetricUnit.Milliseconds, Math.round(timings.planMs));
    metrics.addMetric('ApplyMs', MetricUnit.Milliseconds, Math.round(timings.applyMs));
  }
  metrics.publishStoredMetrics();
  for (const [policy, counts] of perPolicy(outcome)) {
    const single = metrics.singleMetric();
    single.clearDefaultDimensions();
    single.addDimensions({ Account: item.account, Region: item.region, Policy: policy });
    single.addMetric('SnapshotsCreated', MetricUnit.Count, counts.created);
    single.addMetric('SnapshotsDeleted', MetricUnit.Count, counts.deleted);
    single.addMetric('ActionsFailed', MetricUnit.Count, counts.failed);
    single.addMetric('VolumesOverdue', MetricUnit.Count, counts.overdue);
    single.publishStoredMetrics();
  }
}

function perPolicy(
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
    else if (result.status === 'done') counts[result.action === 'create' ? 'created' : 'deleted'] += 1;
  }
  for (const volume of outcome.overdue ?? []) of(volume.policy).overdue += 1;
  return byPolicy;
}
