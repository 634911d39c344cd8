/**
 * Work left at the deadline is handed on as a work item with `continuation + 1` (SPEC §10), up to
 * {@link MAX_CONTINUATIONS}. Nothing left undone is silent: work left after the last continuation,
 * or a continuation that could not be queued, is a failure of the target (recorded, counted,
 * notified) — the next scheduled run plans it again from live state. A continuation is claimed
 * before it is sent, so a message delivered again after it handed its work on sends no second one.
 */

import { count } from '../../core/plural.js';
import { type ErrorInfo, errorInfoOf } from '../kit/classify-error.js';
import type { RunReport } from '../run/results.js';
import type { HandoffStore, WorkItem, WorkQueue } from './ports.js';
import { MAX_CONTINUATIONS } from './work-item.js';

/** A continuation waits this long, so EC2's listings show what the last invocation made. */
const CONTINUATION_DELAY_SECONDS = 60;

/** Work left after the last continuation. */
const CONTINUATION_LIMIT_CODE = 'continuation.limit';
/** Work left whose continuation could not be queued. */
const CONTINUATION_NOT_SENT_CODE = 'continuation.not-sent';

export interface HandoffDeps {
  readonly handoffs: HandoffStore;
  readonly queue: WorkQueue;
  readonly clock: () => number;
  readonly continuationDelaySeconds?: number;
  /** A delivery that finds its continuation already sent by an earlier one. */
  readonly duplicate: (what: string) => void;
}

export interface Handoff {
  /** A continuation carries the work on (sent now, or by an earlier delivery of this message). */
  readonly continued: boolean;
  /** Work is left that nothing will carry on in this run. */
  readonly error?: ErrorInfo;
}

/** Hand on what the deadline left of `report`, if anything. Never throws. */
export async function handOn(item: WorkItem, report: RunReport, deps: HandoffDeps): Promise<Handoff> {
  if (!report.deadlineReached) return { continued: false };
  const left = `${count(report.summary.deferred, 'action')} left`;
  if (item.continuation >= MAX_CONTINUATIONS) {
    return {
      continued: false,
      error: {
        code: CONTINUATION_LIMIT_CODE,
        message: `${left} after the last of ${MAX_CONTINUATIONS} continuations; the next scheduled run plans them again`,
      },
    };
  }
  const next: WorkItem = { ...item, continuation: item.continuation + 1 };
  const notSent = (why: string): Handoff => ({
    continued: false,
    error: {
      code: CONTINUATION_NOT_SENT_CODE,
      message: `${left}, and continuation ${next.continuation} could not be queued (${why}); the next scheduled run plans them again`,
    },
  });
  try {
    if (!(await deps.handoffs.claim(next, deps.clock()))) {
      deps.duplicate(`continuation ${next.continuation} was sent by an earlier delivery`);
      return { continued: true };
    }
  } catch (error) {
    const { code, message } = errorInfoOf(error);
    return notSent(`${code}: ${message}`);
  }
  let unqueued: ErrorInfo | undefined;
  try {
    [unqueued] = await deps.queue.send([next], deps.continuationDelaySeconds ?? CONTINUATION_DELAY_SECONDS);
  } catch (error) {
    unqueued = errorInfoOf(error);
  }
  if (unqueued === undefined) return { continued: true };
  // Not sent: a later delivery of this message may still send it.
  await deps.handoffs.release(next).catch(() => undefined);
  return notSent(`${unqueued.code}: ${unqueued.message}`);
}
