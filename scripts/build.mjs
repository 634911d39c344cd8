// Bundle the CLI (dist/cli.js, the `ebs-snapper` bin), the pure core library (dist/core/index.js)
// and the Lambda handlers (dist/lambda/index.js, package export `ebs-snapper/lambda`) with esbuild,
// and emit the type declarations of both exports (dist/types/) with tsc. Node 22 (the floor,
// `engines`) and the Lambda runtime (nodejs22.x) run the output.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

// A build whose inputs have not changed since the last one is skipped: `npm run demo` and `npm test`
// build first, and a second run should not pay for it again. `--force` builds anyway.
const STAMP = join('dist', '.inputs-sha256');
const OUTPUTS = ['dist/cli.js', 'dist/core/index.js', 'dist/lambda/index.js', 'dist/types/core/index.d.ts'];

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** SHA-256 over every input's path and bytes, in a fixed order. */
function inputsHash() {
  const inputs = [
    ...filesUnder('src').filter((file) => !/\.test\.ts$/.test(file)),
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'scripts/build.mjs',
  ].sort();
  const hash = createHash('sha256');
  for (const file of inputs) hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

const wanted = inputsHash();
const upToDate =
  !process.argv.includes('--force') &&
  existsSync(STAMP) &&
  readFileSync(STAMP, 'utf8') === wanted &&
  OUTPUTS.every((file) => existsSync(file));
if (upToDate) {
  console.log('build: dist/ is up to date (inputs unchanged; --force to build anyway)');
  process.exit(0);
}

rmSync('dist', { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  // Some SDK dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['src/cli/bin.ts'],
    outfile: 'dist/cli.js',
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
  }),
  build({ ...common, entryPoints: ['src/core/index.ts'], outfile: 'dist/core/index.js' }),
  // The Lambda handlers carry everything, the AWS SDK included: the runtime's copy is not pinned.
  build({
    ...common,
    entryPoints: ['src/lambda/index.ts'],
    outfile: 'dist/lambda/index.js',
    target: 'node22',
  }),
]);

const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
writeFileSync(STAMP, wanted);
