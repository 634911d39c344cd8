/**
 * The Lambda code as `deploy` ships it: the installed package's `dist/lambda/index.js` in a zip
 * that is the same bytes for the same bundle — fixed times, fixed attributes, entries in order —
 * so the zip's SHA-256 is a name for the code. Lambda reports the same digest as `CodeSha256`
 * (base64), which is how an unchanged deploy is recognised without uploading anything.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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
 * The zip's one entry. `.mjs` makes Lambda's Node runtime load it as ESM without a package.json
 * beside it; the handlers are `index.fanOut` and `index.worker`.
 */
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
 * Zip the bundle reproducibly.
 *
 * @example sha256Base64(zipLambdaBundle(readFileSync('dist/lambda/index.js')))
 */
export function zipLambdaBundle(bundle: Uint8Array): Uint8Array {
  const mtime = fixedMtime();
  const entries: Zippable = { [ZIP_ENTRY]: [bundle, { level: 9, mtime, os: UNIX, attrs: UNIX_FILE_ATTRS }] };
  return zipSync(entries, { level: 9, mtime });
}

/** Read a bundle and make its artifact. */
export function readLambdaArtifact(bundlePath: string): LambdaArtifact {
  let bundle: Uint8Array;
  try {
    bundle = readFileSync(bundlePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`cannot read the Lambda bundle ${bundlePath}: ${code}`, { cause: error });
  }
  const zip = zipLambdaBundle(bundle);
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

/**
 * `dist/lambda/index.js` of the package this code belongs to: found from this file up to the
 * package's root, so it works from the repository and from an installed CLI alike.
 */
export function installedLambdaBundle(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readPackageName(manifest) === 'ebs-snapper') {
      const bundle = join(dir, 'dist', 'lambda', 'index.js');
      if (!existsSync(bundle)) {
        throw new UsageError(`${bundle} is missing: run \`npm run build\` (or reinstall ebs-snapper)`);
      }
      return bundle;
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
