/**
 * The Lambda code as `deploy` ships it: the installed package's per-handler bundles
 * (`dist/lambda/fanout.mjs`, `worker.mjs`, each with its source map) in a zip that is the same bytes
 * for the same build — fixed times, fixed attributes, entries in order — so the zip's SHA-256 is a
 * name for the code. Lambda reports the same digest as `CodeSha256` (base64), which is how an
 * unchanged deploy is recognised without uploading anything.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Zippable, zipSync } from 'fflate';
import { UsageError } from '../../core/errors.js';
import { codeKeyOf } from '../../templates/names.js';

/** The code, zipped, and the names it goes by. */
export interface LambdaArtifact {
  /** The bundle it was made from. */
  readonly source: string;
  readonly zip: Uint8Array;
  /** Hex SHA-256 of the zip: the object key holds it. */
  readonly sha256Hex: string;
  /** Base64 SHA-256 of the zip: Lambda's `CodeSha256` of a function running this code. */
  readonly sha256Base64: string;
  /** `lambda/<sha256Hex>.zip`. */
  readonly key: string;
}

/**
 * The handlers' files in the zip, one bundle each (`.mjs`: Lambda's Node runtime loads them as ESM
 * without a package.json beside them); the functions' handlers are `fanout.fanOut` and
 * `worker.worker`. Each bundle's source map (`<file>.map`) goes beside it.
 */
export const HANDLER_FILES = { fanOut: 'fanout.mjs', worker: 'worker.mjs' } as const;

/** The entry of a zip made from one bundle that exports both handlers (`deploy --bundle FILE`). */
export const ZIP_ENTRY = 'index.mjs';

/**
 * DOS time starts in 1980. fflate reads the date with local-time getters, so the date is made
 * from local fields, when zipping: the same bytes in every time zone.
 */
const fixedMtime = () => new Date(1980, 0, 1, 0, 0, 0);
/** A regular file, rw-r--r--: Lambda needs its files world-readable. */
const UNIX_FILE_ATTRS = (0o100644 << 16) >>> 0;
const UNIX = 3;

/**
 * Zip files reproducibly: entries in name order, whatever order they are given in.
 *
 * @example zipLambdaFiles({ 'worker.mjs': worker, 'fanout.mjs': fanout })
 */
export function zipLambdaFiles(files: Readonly<Record<string, Uint8Array>>): Uint8Array {
  const mtime = fixedMtime();
  const entries: Zippable = {};
  for (const name of Object.keys(files).sort()) {
    entries[name] = [files[name]!, { level: 9, mtime, os: UNIX, attrs: UNIX_FILE_ATTRS }];
  }
  return zipSync(entries, { level: 9, mtime });
}

/**
 * Zip one bundle that exports both handlers, reproducibly: it goes in as `index.mjs`, with a
 * one-line file per handler that re-exports it, so the functions' handlers are the same.
 *
 * @example sha256Base64(zipLambdaBundle(readFileSync('dist/lambda/index.js')))
 */
export function zipLambdaBundle(bundle: Uint8Array): Uint8Array {
  const files: Record<string, Uint8Array> = { [ZIP_ENTRY]: bundle };
  for (const [handler, file] of Object.entries(HANDLER_FILES)) {
    files[file] = new TextEncoder().encode(`export { ${handler} } from './${ZIP_ENTRY}';\n`);
  }
  return zipLambdaFiles(files);
}

/**
 * Read a build and make its artifact: a directory holding the per-handler bundles (and their
 * source maps), or one bundle file that exports both handlers.
 */
export function readLambdaArtifact(bundlePath: string): LambdaArtifact {
  const zip = isDirectory(bundlePath)
    ? zipLambdaFiles(readHandlerFiles(bundlePath))
    : zipLambdaBundle(readBundleFile(bundlePath));
  const digest = createHash('sha256').update(zip).digest();
  const sha256Hex = digest.toString('hex');
  return {
    source: bundlePath,
    zip,
    sha256Hex,
    sha256Base64: digest.toString('base64'),
    key: codeKeyOf(sha256Hex),
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readBundleFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`cannot read the Lambda bundle ${path}: ${code}`, { cause: error });
  }
}

/** Each handler's bundle and its source map, by their names in the zip. */
function readHandlerFiles(dir: string): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const file of Object.values(HANDLER_FILES)) {
    for (const name of [file, `${file}.map`]) files[name] = readBundleFile(join(dir, name));
  }
  return files;
}

/**
 * `dist/lambda/` of the package this code belongs to (the per-handler bundles): found from this
 * file up to the package's root, so it works from the repository and from an installed CLI alike.
 */
export function installedLambdaBundle(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readPackageName(manifest) === 'ebs-snapper') {
      const bundles = join(dir, 'dist', 'lambda');
      for (const file of Object.values(HANDLER_FILES)) {
        const bundle = join(bundles, file);
        if (!existsSync(bundle)) {
          throw new UsageError(`${bundle} is missing: run \`npm run build\` (or reinstall ebs-snapper)`);
        }
      }
      return bundles;
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new UsageError('cannot find the ebs-snapper package that holds the Lambda bundle');
    dir = parent;
  }
}

function readPackageName(manifest: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}
