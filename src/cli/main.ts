/**
 * The `ebs-snapper` entry point: the one try/catch that maps outcomes and typed errors to
 * exit codes (0 done, 1 failed or interrupted, 2 changes with --detailed-exitcode) and messages.
 */
import { CommanderError } from 'commander';
import { type CommandOutcome, EXIT, exitCodeFor, exitCodeForError, formatErrorForCli } from './exit.js';
import { type CliIo, processIo } from './io.js';
import { buildProgram } from './program.js';

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let result: { outcome: CommandOutcome; detailed: boolean } | undefined;
  const program = buildProgram(io, (outcome, detailed) => {
    result = { outcome, detailed };
  });
  const verbose = argv.includes('-v') || argv.includes('--verbose');
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // Commander has already printed its own usage errors and help.
    if (!(error instanceof CommanderError)) io.stderr.write(`${formatErrorForCli(error, verbose)}\n`);
    return exitCodeForError(error);
  }
  if (result === undefined) return EXIT.ok;
  return exitCodeFor(result.outcome, result.detailed);
}
