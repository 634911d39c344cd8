/**
 * What the per-handler Lambda bundles hold, read from the build's metafile (`dist/.lambda-meta.json`:
 * which source files went into each bundle, and how many bytes of each) and from the bundles
 * themselves. Every byte in a bundle is parsed at each cold start, so code a handler never runs
 * must not be there. No timing is involved. `npm test` builds first; run `npm run build` before
 * running this file alone.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BUNDLES = ['dist/lambda/fanout.mjs', 'dist/lambda/worker.mjs'] as const;

interface Output {
  readonly inputs: Record<string, { readonly bytesInOutput: number }>;
}
interface Metafile {
  readonly inputs: Record<string, { readonly imports: readonly { path: string; kind: string }[] }>;
  readonly outputs: Record<string, Output>;
}

let meta: Metafile;

beforeAll(() => {
  meta = JSON.parse(readFileSync(join(ROOT, 'dist', '.lambda-meta.json'), 'utf8'));
});

/** The bundled sources of `bundle` whose path matches `pattern`, with their bytes in it. */
function sourcesIn(bundle: string, pattern: RegExp): Record<string, number> {
  const output = meta.outputs[bundle];
  if (output === undefined) throw new Error(`${bundle} is not in dist/.lambda-meta.json`);
  return Object.fromEntries(
    Object.entries(output.inputs)
      .filter(([path, { bytesInOutput }]) => pattern.test(path) && bytesInOutput > 0)
      .map(([path, { bytesInOutput }]) => [path, bytesInOutput]),
  );
}

describe('the per-handler Lambda bundles hold only what their handler runs', () => {
  it("the fan-out's bundle holds none of the worker's collect, plan and apply code", () => {
    // Prepare: the worker's own modules (a few constants shared with the fan-out may come along: tag names, delays).
    const workersOwn =
      /^src\/(app\/run\/(apply|collect|plan|workflows\/stop-start|drills\/(look|plan))|core\/plan\.ts$|core\/drills\/|lambda\/worker)/;

    // Act
    const inFanOut = Object.values(sourcesIn('dist/lambda/fanout.mjs', workersOwn)).reduce(
      (a, b) => a + b,
      0,
    );
    const inWorker = Object.values(sourcesIn('dist/lambda/worker.mjs', workersOwn)).reduce(
      (a, b) => a + b,
      0,
    );

    // Assess
    expect(inWorker).toBeGreaterThan(20_000);
    expect(inFanOut).toBeLessThan(1_000);
  });

  it.each(BUNDLES)("%s holds zod's English messages only, not its other locales", (bundle) => {
    // Act
    const locales = Object.keys(sourcesIn(bundle, /node_modules\/zod\/.*\/locales\/(?!en\.js$|index\.js$)/));

    // Assess
    expect(locales).toEqual([]);
  });

  it.each(BUNDLES)("%s holds EC2's schemas of the operations the tool calls, not all of EC2's", (bundle) => {
    // Act: all of EC2's schemas are about 550 KB minified; the tool's operations need a tenth.
    const bytes = Object.values(sourcesIn(bundle, /@aws-sdk\/client-ec2\/dist-es\/schemas\//)).reduce(
      (sum, n) => sum + n,
      0,
    );

    // Assess
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(150_000);
  });

  it.each(BUNDLES)(
    '%s takes Node built-ins through require, never as ES modules (which would load undici with node:http)',
    (bundle) => {
      // Prepare
      const code = readFileSync(join(ROOT, bundle), 'utf8');

      // Act
      const imported = [...code.matchAll(/(?:from|import)\s*"((?:node:)?[a-z_/0-9]+)"/g)].map((m) => m[1]);

      // Assess
      expect(imported).toEqual([]);
    },
  );

  it("the Recycle Bin's SDK is reached only through a dynamic import (run on first use)", () => {
    // Act
    const importers = Object.entries(meta.inputs).flatMap(([from, { imports }]) =>
      imports
        .filter(({ path }) => path.startsWith('src/aws/rbin-sdk.ts') || /@aws-sdk\/client-rbin\//.test(path))
        .filter(() => !from.includes('@aws-sdk/client-rbin/'))
        .map(({ path, kind }) => `${from} -> ${path.replace(/^node_modules\//, '')} (${kind})`),
    );

    // Assess
    expect(importers.sort()).toEqual([
      'src/aws/clients.ts -> src/aws/rbin-sdk.ts (dynamic-import)',
      'src/aws/rbin-sdk.ts -> @aws-sdk/client-rbin/dist-es/index.js (import-statement)',
      'src/aws/recycle-bin.ts -> src/aws/rbin-sdk.ts (dynamic-import)',
      'src/aws/recycle-bin.ts -> src/aws/rbin-sdk.ts (dynamic-import)',
    ]);
  });
});
