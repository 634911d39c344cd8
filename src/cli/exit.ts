/**
 * The one place that maps outcomes and errors to exit codes and messages (SPEC §5):
 * 0 all done; 1 anything failed (bad config, an action failed, guard tripped);
 * 2 with `--detailed-exitcode` when the plan has changes. A command SIGINT or SIGTERM stopped before
 * its end exits 1 too: its work is not all done (SPEC §5 has no other code for that), and it says
 * `interrupted (SIGINT)` — never "reached its deadline" — so a reader tells the two apart.
 */

import { CommanderError } from 'commander';
import { ConfigError, EbsSnapperError } from '../core/errors.js';
import type { InterruptSignal } from './interrupt.js';
import { safeText } from './render/safe-text.js';

export const EXIT = { ok: 0, failed: 1, changes: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The outcome of a command that ran to its end. */
export interface CommandOutcome {
  /** Something failed; never set for work an interrupt stopped (that is `interrupted`). */
  readonly failed: boolean;
  readonly changes: boolean;
  /** The signal that stopped the command before its end, when one did. */
  readonly interrupted?: InterruptSignal;
}

/** An interrupt is not "all done": 1, like a failure; it wins over "changes" (the work was cut short). */
export function exitCodeFor(outcome: CommandOutcome, detailedExitcode: boolean): ExitCode {
  if (outcome.failed) return EXIT.failed;
  if (outcome.interrupted !== undefined) return EXIT.failed;
  if (detailedExitcode && outcome.changes) return EXIT.changes;
  return EXIT.ok;
}

/** Render an error for stderr: the message, the problems of a config error, and the cause chain with `-v`. */
export function formatErrorForCli(error: unknown, verbose: boolean): string {
  // An AWS message can quote a tag or a name anyone may set: each line is made safe to show.
  return describeError(error, verbose)
    .split('\n')
    .map((line) => safeText(line))
    .join('\n');
}

function describeError(error: unknown, verbose: boolean): string {
  if (error instanceof ConfigError) {
    const lines = [`Error: ${error.message}`, ...error.problems.map((p) => `  ${p}`)];
    return lines.join('\n');
  }
  if (error instanceof EbsSnapperError) {
    const lines = [`Error: ${error.message}`];
    let cause = error.cause;
    while (cause instanceof Error) {
      // An adapter's message usually repeats its cause's: say each thing once.
      if (!lines.some((line) => line.includes(cause instanceof Error ? cause.message : ''))) {
        lines.push(`  caused by: ${cause.name}: ${cause.message}`);
      }
      cause = cause.cause;
    }
    if (verbose && error.stack) lines.push(error.stack);
    return lines.join('\n');
  }
  if (error instanceof Error) {
    return verbose && error.stack ? `Error: ${error.stack}` : `Error: ${error.name}: ${error.message}`;
  }
  return `Error: ${String(error)}`;
}

/** Exit code for an error thrown out of a command: every error (an interrupt's too) is 1; help/version are not. */
export function exitCodeForError(error: unknown): ExitCode {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT.ok : EXIT.failed;
  }
  return EXIT.failed;
}
