/**
 * The last lines of `plan` and `run`: the totals, and — so that a summary never reads as complete
 * when it is not — the accounts and account × region pairs that could not be planned, and what
 * stopped a run early (its deadline, or an interrupt).
 */
import { errorInfoOf } from '../../app/kit/classify-error.js';
import type { RunReport } from '../../app/run/results.js';
import type { Plan } from '../../core/actions.js';
import { count, pairs } from '../../core/plural.js';
import type { InterruptSignal } from '../interrupt.js';
import type { TargetFailure } from '../targets.js';
import { drillSummaryText } from './drills.js';
import { sumPlans, sumRunSummaries } from './json.js';
import { safeText } from './safe-text.js';

/** How a run ended besides its results. */
export interface RunEnd {
  /** Accounts and account × region pairs that could not be planned (a refused role, a listing). */
  readonly failures?: readonly TargetFailure[];
  /** The interrupt that stopped the run, when one did (before its deadline). */
  readonly interrupted?: InterruptSignal;
}

/** At most this many places are named on the summary line; stderr has every one, with its message. */
const NAMED = 3;

/** "1 account × region could not be planned", "2 accounts and 1 account × region could not be planned". */
function notPlannedCount(failures: readonly TargetFailure[]): string {
  const accounts = failures.filter((f) => f.region === undefined).length;
  const places = [
    ...(accounts > 0 ? [count(accounts, 'account')] : []),
    ...(failures.length > accounts ? [pairs(failures.length - accounts)] : []),
  ];
  return `${places.join(' and ')} could not be planned`;
}

/** `…could not be planned: 111111111111/* (AccessDenied), 222222222222/us-east-1 (UnauthorizedOperation)` */
function notPlanned(failures: readonly TargetFailure[]): string {
  const named = failures.slice(0, NAMED).map((f) => `${f.label} (${errorInfoOf(f.error).code})`);
  const more = failures.length > NAMED ? `, and ${failures.length - NAMED} more` : '';
  return safeText(`${notPlannedCount(failures)}: ${named.join(', ')}${more}`);
}

/**
 * `Plan: 3 to create, 1 to delete, 12 kept, 2 not due (1 account × region).`, and what could not be
 * planned; `Plan: nothing planned; …` when nothing could be.
 */
export function planSummaryLine(plans: readonly Plan[], failures: readonly TargetFailure[] = []): string {
  if (plans.length === 0 && failures.length > 0) return `Plan: nothing planned; ${notPlanned(failures)}.`;
  const total = sumPlans(plans);
  const copy = total.copy > 0 ? `${total.copy} to copy, ` : '';
  const drill = total.drill === undefined ? '' : `, ${total.drill} to drill`;
  const lock = total.lock ? `${total.lock} to lock, ` : '';
  const unshare = total.unshare ? `${total.unshare} to unshare, ` : '';
  const totals =
    `Plan: ${total.create} to create, ${copy}${total.delete} to delete, ${lock}${unshare}${total.keep} kept, ` +
    `${total.skip} not due${drill} (${pairs(plans.length)})`;
  return failures.length === 0 ? `${totals}.` : `${totals}; ${notPlanned(failures)}.`;
}

/** `Run: 3 created, 0 deleted, 0 failed, 0 deferred, 0 skipped.`, then why it stopped early, if it did. */
export function runSummaryLine(reports: readonly RunReport[], end: RunEnd = {}): string {
  const failures = end.failures ?? [];
  const stop =
    end.interrupted !== undefined
      ? ` Interrupted (${end.interrupted}): the run stopped early; the next run picks up the rest.`
      : reports.some((r) => r.deadlineReached)
        ? ' Deadline reached: the next run picks up the rest.'
        : '';
  if (reports.length === 0 && failures.length > 0)
    return `Run: nothing done; ${notPlannedCount(failures)}.${stop}`;
  const total = sumRunSummaries(reports);
  const dry = reports.some((r) => r.dryRun) ? ' (dry run: nothing was changed)' : '';
  const copied = total.copied > 0 ? `${total.copied} copied, ` : '';
  const totals =
    `Run: ${total.created} created, ${copied}${total.deleted} deleted, ${total.failed} failed, ` +
    `${total.deferred} deferred, ${total.skipped} skipped${dry}`;
  const incomplete = failures.length === 0 ? '' : `; ${notPlannedCount(failures)}`;
  return `${totals}${incomplete}.${stop}${drillSummaryText(reports)}`;
}
