#!/usr/bin/env node
/**
 * The executable. `--version` is answered here, before anything else is loaded; every other
 * command goes through `start.ts`, and the program loads each command's code only when it runs.
 */
import { VERSION } from './version.js';

const NODE_FLOOR = 22;
if (Number(process.versions.node.split('.')[0]) < NODE_FLOOR) {
  process.stderr.write(
    `ebs-snapper needs Node.js ${NODE_FLOOR} or later; this is ${process.versions.node} (https://nodejs.org)\n`,
  );
  process.exit(1);
}

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { start } = await import('./start.js');
  start(argv);
}
