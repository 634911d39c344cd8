// Bundle the CLI (dist/cli.js, the `ebs-snapper` bin), the pure core library (dist/core/index.js)
// and the Lambda handlers (dist/lambda/index.js, package export `ebs-snapper/lambda`) with esbuild,
// and emit the type declarations of both exports (dist/types/) with tsc. Node 22 (the floor,
// `engines`) and the Lambda runtime (nodejs22.x) run the output.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

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
