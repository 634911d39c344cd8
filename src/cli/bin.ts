/** The executable: run `main` with the process's arguments and set the exit code. */
import { allowManyListeners } from '../aws/http.js';
import { EXIT, formatErrorForCli } from './exit.js';
import { INTERRUPT_EXIT, INTERRUPT_SIGNALS, Interrupt } from './interrupt.js';
import { processIo } from './io.js';
import { main } from './main.js';

const NODE_FLOOR = 22;
if (Number(process.versions.node.split('.')[0]) < NODE_FLOOR) {
  process.stderr.write(
    `ebs-snapper needs Node.js ${NODE_FLOOR} or later; this is ${process.versions.node} (https://nodejs.org)\n`,
  );
  process.exit(1);
}

// The first SIGINT/SIGTERM ends the run cleanly: nothing new starts, calls in flight are
// cancelled, locks are released, and the output says it was interrupted. A second one stops at once.
const interrupt = new AbortController();
allowManyListeners(interrupt.signal);
for (const signal of INTERRUPT_SIGNALS) {
  process.once(signal, () => {
    process.stderr.write(
      `\n${signal}: stopping; calls in flight are cancelled and locks released (again to quit now)\n`,
    );
    interrupt.abort(new Interrupt(signal));
    process.once(signal, () => process.exit(INTERRUPT_EXIT[signal]));
  });
}

main(process.argv.slice(2), { ...processIo(), signal: interrupt.signal }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${formatErrorForCli(error, true)}\n`);
    process.exitCode = EXIT.failed;
  },
);
