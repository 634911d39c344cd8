import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { installedLambdaBundle, readLambdaArtifact, ZIP_ENTRY, zipLambdaBundle } from './lambda-zip.js';

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

  it('holds one world-readable index.mjs with the bundle in it', () => {
    // Prepare / Act
    const zip = zipLambdaBundle(BUNDLE);

    // Assess
    const entries = unzipSync(zip);
    expect(Object.keys(entries)).toEqual([ZIP_ENTRY]);
    expect(Buffer.from(entries[ZIP_ENTRY]!).equals(Buffer.from(BUNDLE))).toBe(true);
    expect((externalAttributes(zip) >>> 16) & 0o777).toBe(0o644);
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
    if (withBundle) writeFileSync(join(root, 'dist', 'lambda', 'index.js'), BUNDLE);
    return root;
  }

  it("finds dist/lambda/index.js of the package the code runs from (here: the CLI's dist/cli.js)", () => {
    // Prepare
    const root = fakePackage(true);

    // Act
    const found = installedLambdaBundle(pathToFileURL(join(root, 'dist', 'cli.js')).href);

    // Assess
    expect(found).toBe(join(root, 'dist', 'lambda', 'index.js'));
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
