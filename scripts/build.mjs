// Bundle the CLI (dist/cli.js, the `ebs-snapper` bin, split into chunks that each command loads when
// it runs), the pure core library (dist/core/index.js), the Lambda handlers one bundle each
// (dist/lambda/fanout.mjs, dist/lambda/worker.mjs: what the deployed zip holds) and both together
// (dist/lambda/index.js, package export `ebs-snapper/lambda`) with esbuild, and emit the type
// declarations of both exports (dist/types/) with tsc. Node 22 (the floor, `engines`) and the Lambda
// runtime (nodejs22.x) run the output.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

// A build whose inputs have not changed since the last one is skipped: `npm run demo` and `npm test`
// build first, and a second run should not pay for it again. `--force` builds anyway.
const STAMP = join('dist', '.inputs-sha256');
/** Which source files each CLI chunk holds (esbuild's metafile): the lazy-loading test reads it. */
const CLI_META = join('dist', '.cli-meta.json');
/** Which source files each per-handler Lambda bundle holds: test/e2e/lambda-bundle-contents.test.ts reads it. */
const LAMBDA_META = join('dist', '.lambda-meta.json');
const OUTPUTS = [
  'dist/cli.js',
  CLI_META,
  LAMBDA_META,
  'dist/core/index.js',
  'dist/lambda/index.js',
  'dist/lambda/fanout.mjs',
  'dist/lambda/fanout.mjs.map',
  'dist/lambda/worker.mjs',
  'dist/lambda/worker.mjs.map',
  'dist/types/core/index.d.ts',
];

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

/**
 * The SDK's schema modules key some entries by a constant (`{ [_xN]: _TSa }`, `_xN = "xmlName"`);
 * esbuild cannot tell such a computed key is free of side effects, so it keeps every structure
 * that has one (the EC2 client: 550 KB of schemas for the few operations the tool calls). Writing
 * the constant's own string in its place (`{ "xmlName": _TSa }`, the same object) lets esbuild
 * drop the schemas nothing uses.
 */
const sdkSchemaKeys = {
  name: 'sdk-schema-keys',
  setup(builder) {
    builder.onLoad(
      { filter: /[\\/]@aws-sdk[\\/].+[\\/]dist-es[\\/].*schemas_\d+\.js$/ },
      async ({ path }) => {
        const text = await readFile(path, 'utf8');
        const strings = new Map();
        for (const [, name, value] of text.matchAll(/^const (_\w+) = ("[^"\\]*");$/gm))
          strings.set(name, value);
        const contents = text.replace(/\[(_\w+)\]:/g, (key, name) =>
          strings.has(name) ? `${strings.get(name)}:` : key,
        );
        return { contents, loader: 'js' };
      },
    );
  },
};

/**
 * Node's built-in modules through `require`, not `import`: importing one as an ES module builds its
 * ES facade, which reads every export, lazy ones included — `import … from 'node:http'` loads
 * Node's whole fetch implementation (undici, ~18 ms of a cold start) that the SDK, on `node:http`
 * itself, never uses. `require` reads an export only when the code uses it.
 */
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(builder) {
    const names = new Set(builtinModules);
    const filter = new RegExp(
      `^(node:)?(${builtinModules.map((name) => name.replace(/[/.]/g, '\\$&')).join('|')})$`,
    );
    builder.onResolve({ filter }, ({ path, kind }) => {
      const name = path.replace(/^node:/, '');
      if (!names.has(name)) return undefined;
      return kind === 'require-call'
        ? { path: `node:${name}`, external: true }
        : { path: name, namespace: 'builtin-by-require' };
    });
    builder.onLoad({ filter: /.*/, namespace: 'builtin-by-require' }, ({ path }) => ({
      contents: `module.exports = require(${JSON.stringify(`node:${path}`)});`,
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  // The SDK's ES modules: about half the size of its CommonJS, and a dynamic import() of one (the
  // Recycle Bin's client) gets its named exports from a split chunk, which CommonJS does not.
  mainFields: ['module', 'main'],
  sourcemap: true,
  logLevel: 'warning',
  plugins: [sdkSchemaKeys],
  // Some SDK dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
};

// The handlers as Lambda loads them: minified, names kept (errors are told apart by `name`), source
// maps beside them (the functions run with --enable-source-maps), each with only the code it uses.
const lambda = {
  ...common,
  target: 'node22',
  minify: true,
  keepNames: true,
  legalComments: 'none',
  plugins: [...common.plugins, builtinsByRequire],
  // Positions only: a stack trace needs no copy of the sources, and a smaller map is read faster
  // at every cold start with --enable-source-maps.
  sourcesContent: false,
};

const [cli, , handlers] = await Promise.all([
  // Split: `--version`, `--help` and `config validate` load no AWS SDK; each command's code is a
  // chunk imported when the command runs. Chunk names hold a hash of their content: the same
  // sources give the same names.
  build({
    ...common,
    entryPoints: { cli: 'src/cli/bin.ts' },
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
  }),
  build({ ...common, entryPoints: ['src/core/index.ts'], outfile: 'dist/core/index.js' }),
  // The Lambda handlers carry everything, the AWS SDK included: the runtime's copy is not pinned.
  build({
    ...lambda,
    entryPoints: { fanout: 'src/lambda/fanout-handler.ts', worker: 'src/lambda/worker-handler.ts' },
    outdir: 'dist/lambda',
    outExtension: { '.js': '.mjs' },
    metafile: true,
  }),
  build({ ...lambda, entryPoints: ['src/lambda/index.ts'], outfile: 'dist/lambda/index.js' }),
]);
writeFileSync(CLI_META, JSON.stringify(cli.metafile));
writeFileSync(LAMBDA_META, JSON.stringify(handlers.metafile));

const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
writeFileSync(STAMP, wanted);
