/**
 * The failures of a run that are not one action's: deletes held by the guard or by a listing delete
 * safety needs, copies held, an instance a crashed run left that could not be given back or thawed.
 * `hasFailures` counts them; a run record and a notification must say them, or a target shows as
 * failed with nothing to say why.
 */
import { stoppedDeletes } from '../../core/guard.js';
import type { RunReport } from './results.js';

export interface HeldFailure {
  readonly code: string;
  readonly message: string;
  readonly subject?: string;
}

/** @example heldFailures(report) // [{ code: 'deletes.held', message: 'could not read DescribeLockedSnapshots (…)' }] */
export function heldFailures(report: RunReport): HeldFailure[] {
  const failures: HeldFailure[] = [];
  const { guard, deletesHeld, copiesHeld } = report.plan;
  if (report.only !== 'snapshot' && stoppedDeletes(report.plan)) {
    if (guard?.tripped)
      failures.push({
        code: 'guard.tripped',
        message: `${guard.wanted} deletes wanted, limit ${guard.limit}; nothing deleted`,
      });
    if (deletesHeld !== undefined && deletesHeld.length > 0)
      failures.push({ code: 'deletes.held', message: `could not read ${deletesHeld.join(', ')}` });
  }
  if (report.only !== 'clean' && copiesHeld !== undefined)
    failures.push({ code: 'copies.held', message: `could not list ${copiesHeld.join(', ')}` });
  for (const given of report.givenBack ?? [])
    if (given.error !== undefined)
      failures.push({
        code: given.error.code,
        message: given.error.message,
        subject: `give back ${given.instanceId}`,
      });
  for (const thawed of report.thawed ?? [])
    if (thawed.error !== undefined)
      failures.push({
        code: thawed.error.code,
        message: thawed.error.message,
        subject: `thaw ${thawed.instanceId}`,
      });
  return failures;
}
