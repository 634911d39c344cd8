/** The executable: run `main` with the process's arguments and set the exit code. */
import { allowManyListeners } from '../aws/http.js';
import { EXIT, formatErrorForCli } from './exit.js';
import { processIo } from './io.js';
import { main } from './main.js';

// The lockfile pins SDK versions that support Node 20; its "upgrade to Node 22" notice is noise on stderr here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// The first SIGINT/SIGTERM ends the run cleanly: nothing new starts, calls in flight are
// cancelled, locks are released. A second one stops at once.
const interrupt = new AbortController();
allowManyListeners(interrupt.signal);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(
      `\n${signal}: stopping; calls in flight are cancelled and locks released (again to quit now)\n`,
    );
    interrupt.abort();
    process.once(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)));
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
