import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import {
  HANDLER_FILES,
  installedLambdaBundle,
  readLambdaArtifact,
  ZIP_ENTRY,
  zipLambdaBundle,
  zipLambdaFiles,
} from './lambda-zip.js';

const BUNDLE = new TextEncoder().encode(
  'export const fanOut = async () => ({});\nexport const worker = fanOut;\n',
);

/** The external attributes of the zip's first central-directory entry. */
function externalAttributes(zip: Uint8Array): number {
  const view = Buffer.from(zip);
  const central = view.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  return view.readUInt32LE(central + 38);
}

describe('zipLambdaBundle', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('makes the same bytes from the same bundle, in any time zone', () => {
    // Prepare
    process.env.TZ = 'Pacific/Kiritimati';
    const east = zipLambdaBundle(BUNDLE);

    // Act
    process.env.TZ = 'America/Los_Angeles';
    const west = zipLambdaBundle(BUNDLE);

    // Assess
    expect(Buffer.from(west).equals(Buffer.from(east))).toBe(true);
    expect(Buffer.from(zipLambdaBundle(BUNDLE)).equals(Buffer.from(east))).toBe(true);
  });

  it('holds a world-readable index.mjs with the bundle in it, and a file per handler that re-exports it', () => {
    // Prepare / Act
    const zip = zipLambdaBundle(BUNDLE);

    // Assess
    const entries = unzipSync(zip);
    expect(Object.keys(entries)).toEqual(['fanout.mjs', ZIP_ENTRY, 'worker.mjs']);
    expect(Buffer.from(entries[ZIP_ENTRY]!).equals(Buffer.from(BUNDLE))).toBe(true);
    expect(new TextDecoder().decode(entries['worker.mjs'])).toBe("export { worker } from './index.mjs';\n");
    expect((externalAttributes(zip) >>> 16) & 0o777).toBe(0o644);
  });
});

describe('zipLambdaFiles', () => {
  const files = (names: readonly string[]) =>
    Object.fromEntries(names.map((name) => [name, new TextEncoder().encode(`// ${name}\n`)]));

  it('makes the same bytes from the same files in whatever order they are given, entries in name order', () => {
    // Prepare
    const names = ['worker.mjs', 'fanout.mjs.map', 'fanout.mjs', 'worker.mjs.map'];

    // Act
    const one = zipLambdaFiles(files(names));
    const other = zipLambdaFiles(files([...names].reverse()));

    // Assess
    expect(Buffer.from(one).equals(Buffer.from(other))).toBe(true);
    expect(Object.keys(unzipSync(one))).toEqual([...names].sort());
  });
});

describe('readLambdaArtifact', () => {
  it("names the zip by its SHA-256: hex in the key, base64 as Lambda's CodeSha256", () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'ebs-snapper-zip-'));
    const path = join(dir, 'index.js');
    writeFileSync(path, BUNDLE);

    // Act
    const artifact = readLambdaArtifact(path);

    // Assess
    const digest = createHash('sha256').update(artifact.zip).digest();
    expect(artifact.sha256Base64).toBe(digest.toString('base64'));
    expect(artifact.key).toBe(`lambda/${digest.toString('hex')}.zip`);
  });

  it('zips a directory of per-handler bundles with their source maps, and nothing else there', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'ebs-snapper-zip-'));
    for (const file of Object.values(HANDLER_FILES)) {
      writeFileSync(join(dir, file), BUNDLE);
      writeFileSync(join(dir, `${file}.map`), '{}');
    }
    writeFileSync(join(dir, 'index.js'), BUNDLE);

    // Act
    const artifact = readLambdaArtifact(dir);

    // Assess
    expect(Object.keys(unzipSync(artifact.zip))).toEqual([
      'fanout.mjs',
      'fanout.mjs.map',
      'worker.mjs',
      'worker.mjs.map',
    ]);
  });

  it('refuses a bundle it cannot read, naming it', () => {
    // Prepare / Act / Assess
    expect(() => readLambdaArtifact('/nonexistent/index.js')).toThrow(/\/nonexistent\/index\.js: ENOENT/);
  });
});

describe('installedLambdaBundle', () => {
  function fakePackage(withBundle: boolean): string {
    const root = mkdtempSync(join(tmpdir(), 'ebs-snapper-pkg-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'ebs-snapper' }));
    mkdirSync(join(root, 'dist', 'lambda'), { recursive: true });
    if (withBundle) {
      for (const file of Object.values(HANDLER_FILES))
        writeFileSync(join(root, 'dist', 'lambda', file), BUNDLE);
    }
    return root;
  }

  it("finds dist/lambda/ of the package the code runs from (here: a chunk of the CLI's)", () => {
    // Prepare
    const root = fakePackage(true);

    // Act
    const found = installedLambdaBundle(pathToFileURL(join(root, 'dist', 'chunks', 'deploy-X.js')).href);

    // Assess
    expect(found).toBe(join(root, 'dist', 'lambda'));
  });

  it('says to build when the package has no bundle', () => {
    // Prepare
    const root = fakePackage(false);

    // Act / Assess
    expect(() => installedLambdaBundle(pathToFileURL(join(root, 'dist', 'cli.js')).href)).toThrow(UsageError);
    expect(() => installedLambdaBundle(pathToFileURL(join(root, 'dist', 'cli.js')).href)).toThrow(
      /npm run build/,
    );
  });
});
