// Gets a fresh clone ready for `npm test`, `npm run demo` and `npm run bench`: brings Node 22 where the
// machine's is older (scripts/ensure-node.mjs), installs the npm dependencies when node_modules is
// missing or older than package-lock.json, then makes sure moto server (scripts/ensure-moto.sh) and
// cfn-lint (scripts/ensure-cfn-lint.sh) are available. Plain Node ESM without dependencies, since it
// runs before they exist; it costs a few stat calls when there is nothing to do.
//
//   node scripts/setup.mjs                     # get ready
//   node scripts/setup.mjs npm run test:all    # get ready, then run the command with Node 22 first on PATH
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNode } from './ensure-node.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Modification time in ms, or undefined when the file does not exist. */
function readMtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** npm writes node_modules/.package-lock.json on every install: its age tells whether one is due. */
function isInstallDue() {
  const installed = readMtime(join(root, 'node_modules', '.package-lock.json'));
  const wanted = readMtime(join(root, 'package-lock.json'));
  return installed === undefined || (wanted !== undefined && wanted > installed);
}

let nodeBin;
try {
  nodeBin = ensureNode(root);
} catch (error) {
  console.error(
    `setup: ${error.message}; install Node.js 22 or later (https://nodejs.org) and run this again`,
  );
  process.exit(1);
}
// Everything below (npm, the build, the tests, the demo) runs on that Node.
const env = { ...process.env, PATH: `${nodeBin}${delimiter}${process.env.PATH ?? ''}` };

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(
      `setup: \`${[command, ...args].join(' ')}\` failed (exit ${result.status ?? result.signal})`,
    );
    process.exit(1);
  }
}

function readMotoVersion() {
  try {
    return readFileSync(join(root, '.moto', 'version'), 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

if (isInstallDue()) {
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
run('bash', [join('scripts', 'ensure-moto.sh')]);
// The template test needs cfn-lint and says how to get it when it is missing: not a reason to stop here.
const cfnLint = spawnSync('bash', [join('scripts', 'ensure-cfn-lint.sh')], {
  cwd: root,
  stdio: 'inherit',
  env,
});
if (cfnLint.status !== 0)
  console.error('setup: cfn-lint is missing; the template test will fail until it is installed');
const nodeVersion = spawnSync(join(nodeBin, 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`setup: ready (node ${nodeVersion}, moto ${readMotoVersion()})`);

const [command, ...args] = process.argv.slice(2);
if (command !== undefined) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  process.exit(result.status ?? 1);
}
