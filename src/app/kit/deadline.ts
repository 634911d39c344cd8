/**
 * When a run must end. A deadline is a time and a signal that aborts at it (or sooner, when the
 * process is told to stop): AWS calls in flight listen to the signal, the apply step to both.
 */
import { setMaxListeners } from 'node:events';

export interface Deadline {
  readonly signal: AbortSignal;
  /** Epoch ms, when known. */
  readonly at?: number;
}

/**
 * A signal that aborts after `ms`, or when `also` aborts. (Not `AbortSignal.timeout`/`any`: Node
 * holds those weakly, and a timeout signal only a composite refers to can be collected unfired.)
 *
 * @example const signal = abortAt(10 * 60_000, processSignal);
 */
export function abortAt(ms: number, also?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  // Every call in flight listens (hundreds at once in a big run): not the leak Node warns about.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(() => controller.abort(), Math.max(0, ms));
  // The deadline alone must not keep a finished process alive.
  timer.unref();
  if (also !== undefined) {
    if (also.aborted) controller.abort();
    else also.addEventListener('abort', () => controller.abort(), { once: true });
  }
  controller.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  return controller.signal;
}
