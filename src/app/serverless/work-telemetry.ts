/**
 * What a worker reports about each work item: a run record for the table, and the telemetry
 * the Lambda adapter turns into JSON log lines and EMF metrics (SPEC §10).
 */
import type { ErrorInfo } from '../kit/classify-error.js';
import type { TargetOutcome } from '../kit/notifications.js';
import { countDrills } from '../run/drills/outcomes.js';
import { heldFailures } from '../run/held-failures.js';
import type { RunReport } from '../run/results.js';
import { hasFailures } from '../run/run.js';
import type { RunRecord, WorkItem } from './ports.js';

/** The worker's view of logs and metrics; the Lambda adapter implements it with Powertools. */
export interface WorkTelemetry {
  /** The lease was held elsewhere: nothing was done. */
  skipped(item: WorkItem, why: string): void;
  /** The config does not cover the item's account × region: nothing was done, nothing is retried. */
  refused(item: WorkItem, why: ErrorInfo): void;
  /** A delivery of a message that an earlier delivery already took care of (`what` it left alone). */
  duplicate(item: WorkItem, what: string): void;
  /** Something went wrong that does not fail the item (a notifier, a lease release). */
  warn(message: string, error: unknown): void;
  /** The item's target was found empty (SPEC §16): one log line, no metrics. */
  empty(item: WorkItem): void;
  /** The item is done: log it and emit its metrics. */
  finished(item: WorkItem, outcome: TargetOutcome, record: RunRecord): void;
}

/** At most this many failures go in a record (a DynamoDB item holds 400 KB). */
const MAX_RECORDED_FAILURES = 100;

/**
 * How much a record tells, so that another delivery of the same message replaces it only with one
 * that tells more: actions carried out (done or failed) > planned with nothing carried out > failed
 * before a plan (unreachable, throttled, refused) > found the lease held (`skipped`), which any
 * record of the same run, target and continuation replaces.
 */
export const RECORD_PRECEDENCE = { skipped: 0, notPlanned: 1, planned: 2, acted: 3 } as const;

/**
 * The record of a delivery that found the lease held (another run, or another delivery of this
 * message, at work on the target): nothing was done, and `status` looks to the run before it.
 */
export function skippedRecordOf(item: WorkItem, startedAt: number, endedAt: number, why: string): RunRecord {
  return {
    runId: item.run_id,
    account: item.account,
    region: item.region,
    continuation: item.continuation,
    startedAt: new Date(startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    created: 0,
    deleted: 0,
    failed: 0,
    deferred: 0,
    outcome: 'skipped',
    failures: [{ code: LEASE_HELD_CODE, message: why }],
  };
}

/** The failure code a skipped record carries (it is not a failure: `failed` is 0). */
const LEASE_HELD_CODE = 'lease.held';

/** @example precedenceOf(report) // RECORD_PRECEDENCE.acted when a create was done */
export function precedenceOf(report: RunReport | undefined): number {
  if (report === undefined) return RECORD_PRECEDENCE.notPlanned;
  const acted = report.results.some((r) => r.status === 'done' || r.status === 'failed');
  return acted ? RECORD_PRECEDENCE.acted : RECORD_PRECEDENCE.planned;
}

/**
 * The run record of one invocation on one target. `error` is a failure of the target as a whole:
 * it failed before a plan, or (with a report) its work left could not be handed on.
 */
export function recordOf(
  item: WorkItem,
  startedAt: number,
  endedAt: number,
  result: { readonly report?: RunReport; readonly error?: ErrorInfo },
  continued: boolean,
): RunRecord {
  const summary = result.report?.summary;
  const failures = [
    ...(result.error === undefined ? [] : [result.error]),
    ...(result.report?.results ?? [])
      .filter((r) => r.status === 'failed')
      .map((r) => ({
        code: r.error?.code ?? 'failed',
        message: r.error?.message ?? '',
        subject: `${r.action} ${r.snapshotId ?? r.volumeId ?? r.instanceId ?? ''}`.trim(),
      })),
    // What failed the run without being one action's: held deletes or copies, a give-back, a thaw.
    ...(result.report === undefined ? [] : heldFailures(result.report)),
  ];
  const failed = result.error !== undefined || (result.report !== undefined && hasFailures(result.report));
  return {
    runId: item.run_id,
    account: item.account,
    region: item.region,
    continuation: item.continuation,
    startedAt: new Date(startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    created: summary?.created ?? 0,
    deleted: summary?.deleted ?? 0,
    failed: (summary?.failed ?? 0) + (result.error === undefined ? 0 : 1),
    deferred: summary?.deferred ?? 0,
    outcome: failed ? 'failed' : continued ? 'continued' : 'ok',
    failures: failures.slice(0, MAX_RECORDED_FAILURES),
    ...(result.report?.drills === undefined ? {} : { drills: countDrills(result.report.drills) }),
    ...deletedOf(result.report),
  };
}

/** The snapshots a run deleted (what `undo` may bring back from the Recycle Bin, SPEC §14). */
function deletedOf(report: RunReport | undefined): Pick<RunRecord, 'deletedSnapshotIds'> {
  const ids = (report?.results ?? []).flatMap((r) =>
    r.action === 'delete' && r.status === 'done' && r.snapshotId !== undefined ? [r.snapshotId] : [],
  );
  return ids.length === 0 ? {} : { deletedSnapshotIds: ids };
}
