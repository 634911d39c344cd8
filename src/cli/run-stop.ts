/**
 * What stopped a run early: its `--deadline`, or an interrupt (SIGINT, SIGTERM). The app defers
 * whatever either leaves with the code `Deadline`; the CLI knows which it was and says so, so an
 * interrupted run never reads as one that reached its deadline.
 */
import { errorInfoOf } from '../app/kit/classify-error.js';
import { DEADLINE_CODE } from '../app/kit/ports.js';
import type { ActionResult, RunReport } from '../app/run/results.js';
import { InterruptedError, type InterruptSignal, interruptOf } from './interrupt.js';
import type { CliIo } from './io.js';
import type { TargetFailure } from './targets.js';

export interface RunStop {
  /** The interrupt that stopped the run, when it came before the deadline (if any). */
  interrupted(): InterruptSignal | undefined;
  /** A result as the run's stop explains it: deferred by the interrupt, or as it was. */
  result(result: ActionResult): ActionResult;
  report(report: RunReport): RunReport;
  /** An account or pair whose calls the interrupt cancelled is interrupted, not failed. */
  failure(failure: TargetFailure): TargetFailure;
}

/** Watch the process's signal from now on; `deadline` is the run's, in epoch ms. */
export function watchStop(io: CliIo, deadline: number | undefined): RunStop {
  let at: number | undefined;
  const signal = io.signal;
  if (signal?.aborted === true) at = io.clock();
  else signal?.addEventListener('abort', () => (at = io.clock()), { once: true });

  const interrupted = (): InterruptSignal | undefined => {
    const by = interruptOf(signal);
    if (by === undefined || at === undefined) return undefined;
    // An interrupt after the deadline only hurried an end that had come already.
    return deadline !== undefined && at >= deadline ? undefined : by;
  };
  const result = (r: ActionResult): ActionResult => {
    const by = interrupted();
    if (by === undefined || r.status !== 'deferred' || r.error?.code !== DEADLINE_CODE) return r;
    return {
      ...r,
      error: {
        code: 'Interrupted',
        message: `stopped by ${by} before it was done; the next run picks it up`,
      },
    };
  };
  return {
    interrupted,
    result,
    report(report) {
      if (interrupted() === undefined) return report;
      return { ...report, results: report.results.map(result), deadlineReached: false };
    },
    failure(failure) {
      const by = interrupted();
      if (by === undefined || errorInfoOf(failure.error).code !== DEADLINE_CODE) return failure;
      return { ...failure, error: new InterruptedError(by) };
    },
  };
}
