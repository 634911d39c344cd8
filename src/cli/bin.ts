/** The executable: run `main` with the process's arguments and set the exit code. */
import { EXIT, formatErrorForCli } from './exit.js';
import { main } from './main.js';

// The lockfile pins SDK versions that support Node 20; its "upgrade to Node 22" notice is noise on stderr here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${formatErrorForCli(error, true)}\n`);
    process.exitCode = EXIT.failed;
  },
);
