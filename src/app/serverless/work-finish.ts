/**
 * How a work item ends (SPEC §10): what is left handed on, the run record written (never over one
 * of another delivery that tells more), the notifications sent, the telemetry emitted. An empty
 * target (SPEC §16) ends the same way with less: a record and what `notify` asks for, no metrics.
 */
import { findOverdue } from '../../core/overdue.js';
import type { Config } from '../../core/policy/types.js';
import type { errorInfoOf } from '../kit/classify-error.js';
import { notificationsFor, sendAll, type TargetOutcome } from '../kit/notifications.js';
import type { RunReport } from '../run/results.js';
import { emptyReportOf } from './empty-target.js';
import { handOn } from './handoff.js';
import type { WorkItem } from './ports.js';
import type { WorkerDeps, WorkOutcome } from './work-target.js';
import { precedenceOf, RECORD_PRECEDENCE, recordOf } from './work-telemetry.js';

/**
 * Hand on what is left, record, notify, measure. Notifying and measuring never fail the item; a
 * record is not written over one of another delivery that tells more (the history is idempotent).
 */
export async function finish(
  item: WorkItem,
  startedAt: number,
  deps: WorkerDeps,
  config: Config | undefined,
  done: { readonly report?: RunReport; readonly error?: ReturnType<typeof errorInfoOf> },
  retry: boolean,
): Promise<WorkOutcome> {
  const { report } = done;
  const handoff =
    report === undefined
      ? { continued: false }
      : await handOn(item, report, {
          ...deps,
          duplicate: (what) => deps.telemetry.duplicate(item, what),
        });
  const result = { ...done, ...(handoff.error === undefined ? {} : { error: handoff.error }) };
  const record = recordOf(item, startedAt, deps.clock(), result, handoff.continued);
  if (!(await deps.records.put(record, precedenceOf(report))))
    deps.telemetry.duplicate(item, `its record (${record.outcome}): an earlier delivery's tells more`);
  const outcome: TargetOutcome = {
    runId: item.run_id,
    account: item.account,
    region: item.region,
    ...result,
    ...(report && config ? { overdue: findOverdue(report.plan, config.policies) } : {}),
  };
  // A message that will be delivered again notifies when it gives up, not on every try.
  if (!retry) {
    const notifiers = deps.notifiersFor(config);
    const on = config?.settings.notify?.on ?? ['failure'];
    await sendAll(notificationsFor(on, outcome), notifiers, (notifier, notification, error) =>
      deps.telemetry.warn(`notification "${notification.subject}" to ${notifier.target} failed`, error),
    );
  }
  deps.telemetry.finished(item, outcome, record);
  return { retry, record };
}

/**
 * Finish a target found empty: a compact record (`ok`, no counts, `empty`), the notifications
 * `notify` asks for (a `summary` on every run), a log line and no metrics — 17,000 empty targets
 * an hour would otherwise make as many metric series. A record that cannot be written throws (the
 * caller has the message delivered again: the check is cheap).
 */
export async function finishEmpty(
  item: WorkItem,
  startedAt: number,
  deps: WorkerDeps,
  config: Config,
): Promise<WorkOutcome> {
  const report = emptyReportOf(item, startedAt);
  const record = { ...recordOf(item, startedAt, deps.clock(), { report }, false), empty: true as const };
  if (!(await deps.records.put(record, RECORD_PRECEDENCE.planned)))
    deps.telemetry.duplicate(item, `its record (${record.outcome}): an earlier delivery's tells as much`);
  const outcome: TargetOutcome = { runId: item.run_id, account: item.account, region: item.region, report };
  const notifiers = deps.notifiersFor(config);
  await sendAll(
    notificationsFor(config.settings.notify?.on ?? ['failure'], outcome),
    notifiers,
    (n, note, e) => deps.telemetry.warn(`notification "${note.subject}" to ${n.target} failed`, e),
  );
  deps.telemetry.empty(item);
  return { retry: false, record };
}
