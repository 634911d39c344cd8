/**
 * SIGINT and SIGTERM: the process is told to stop. `bin.ts` aborts the signal every command shares
 * with an {@link Interrupt} as its reason, so a command can tell an interrupt from a deadline and
 * say which it was (it exits 1: the work is not all done). A second signal quits at once, as shells
 * report a killed process (128 + the signal's number).
 */
import { EbsSnapperError } from '../core/errors.js';

export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type InterruptSignal = (typeof INTERRUPT_SIGNALS)[number];

/** The exit code of a process a second signal quits at once: 128 + the signal's number, as shells report it. */
export const INTERRUPT_EXIT: Readonly<Record<InterruptSignal, 130 | 143>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * The abort reason of an interrupt. Named `AbortError`, like any abort, for code that only asks
 * whether a call was cancelled.
 */
export class Interrupt extends Error {
  constructor(readonly signal: InterruptSignal) {
    super(`interrupted (${signal})`);
    this.name = 'AbortError';
  }
}

/** The signal that interrupted the process, when `signal` was aborted by one. */
export function interruptOf(signal: AbortSignal | undefined): InterruptSignal | undefined {
  return signal?.aborted === true && signal.reason instanceof Interrupt ? signal.reason.signal : undefined;
}

/**
 * Work that an interrupt stopped before it was done (an account × region whose collection was
 * cancelled): not a failure of its own, the next run picks it up.
 */
export class InterruptedError extends EbsSnapperError {
  constructor(signal: InterruptSignal) {
    super(`interrupted (${signal}): stopped before its work was done; the next run picks it up`);
    this.name = 'Interrupted';
  }
}
