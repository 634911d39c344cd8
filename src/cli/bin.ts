/** The executable: run `main` with the process's arguments and set the exit code. */
import { describeError, EXIT } from './exit.js';
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${describeError(error, true)}\n`);
    process.exitCode = EXIT.failed;
  },
);
