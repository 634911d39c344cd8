/** Run `main` with the process's arguments and set the exit code (`bin.ts` loads this). */
import { setMaxListeners } from 'node:events';
import { EXIT, formatErrorForCli } from './exit.js';
import { INTERRUPT_EXIT, INTERRUPT_SIGNALS, Interrupt } from './interrupt.js';
import { processIo } from './io.js';
import { main } from './main.js';

/** Run the command `argv` names, with SIGINT/SIGTERM handled as below. */
export function start(argv: readonly string[]): void {
  // The first SIGINT/SIGTERM ends the run cleanly: nothing new starts, calls in flight are
  // cancelled, locks are released, and the output says it was interrupted. A second one stops at once.
  const interrupt = new AbortController();
  // Every call of a run listens to this signal.
  setMaxListeners(0, interrupt.signal);
  for (const signal of INTERRUPT_SIGNALS) {
    process.once(signal, () => {
      process.stderr.write(
        `\n${signal}: stopping; calls in flight are cancelled and locks released (again to quit now)\n`,
      );
      interrupt.abort(new Interrupt(signal));
      process.once(signal, () => process.exit(INTERRUPT_EXIT[signal]));
    });
  }

  main(argv, { ...processIo(), signal: interrupt.signal }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${formatErrorForCli(error, true)}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}
