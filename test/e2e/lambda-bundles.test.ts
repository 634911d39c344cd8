/**
 * The per-handler Lambda bundles as they are built and deployed: each loads alone in a fresh Node
 * process (the SDK and every dependency inside), the deployed zip holds the file each function's
 * handler names, and a stack trace read through the source map points at the sources.
 * `npm test` builds first; run `npm run build` before running this file alone.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { HANDLER_FILES, readLambdaArtifact } from '../../src/app/deploy/lambda-zip.js';
import { hubTemplate } from '../../src/templates/hub-template.js';

const LAMBDA = resolve(import.meta.dirname, '../../dist/lambda');

/** Run an ES module snippet with node in `dir`, with nothing of this process's environment. */
function nodeIn(dir: string, code: string, options: readonly string[] = []): string {
  return execFileSync(process.execPath, [...options, '--input-type=module', '-e', code], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
}

describe('the per-handler Lambda bundles', () => {
  it.each(Object.entries(HANDLER_FILES))(
    'load in a fresh process with nothing beside them: %s from %s, and only it',
    (handler, file) => {
      // Prepare
      const dir = mkdtempSync(join(tmpdir(), 'ebs-snapper-handler-'));
      copyFileSync(join(LAMBDA, file), join(dir, file));

      // Act
      const output = nodeIn(
        dir,
        `const m = await import('./${file}'); console.log(JSON.stringify(Object.keys(m)), typeof m.${handler});`,
      );

      // Assess
      expect(output.trim()).toBe(`${JSON.stringify([handler])} function`);
    },
  );

  it("the deployed zip holds the file and export each function's handler names, run as the template says", () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'ebs-snapper-zip-'));
    for (const [name, bytes] of Object.entries(unzipSync(readLambdaArtifact(LAMBDA).zip))) {
      writeFileSync(join(dir, name), bytes);
    }
    const functions = Object.values(hubTemplate().Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function',
    );

    // Act
    const found = functions.map((f) => {
      const properties = f.Properties as {
        Handler: string;
        Environment: { Variables: Record<string, unknown> };
      };
      const [file, name] = properties.Handler.split('.');
      const options = String(properties.Environment.Variables.NODE_OPTIONS ?? '').split(' ');
      return nodeIn(
        dir,
        `const m = await import('./${file}.mjs'); console.log(typeof m.${name});`,
        options,
      ).trim();
    });

    // Assess
    expect(functions).toHaveLength(2);
    expect(found).toEqual(['function', 'function']);
  });

  it('give stack traces that point at the sources, through the source map beside them', () => {
    // Prepare: the fan-out started without its environment throws from src/lambda/env.ts.
    const dir = mkdtempSync(join(tmpdir(), 'ebs-snapper-trace-'));
    for (const name of [HANDLER_FILES.fanOut, `${HANDLER_FILES.fanOut}.map`]) {
      copyFileSync(join(LAMBDA, name), join(dir, name));
    }

    // Act
    const stack = nodeIn(
      dir,
      `const { fanOut } = await import('./${HANDLER_FILES.fanOut}'); try { await fanOut({}); } catch (e) { console.log(e.stack); }`,
      ['--enable-source-maps'],
    );

    // Assess
    expect(stack).toContain('EBS_SNAPPER_TABLE is not set');
    expect(stack).toMatch(/src\/lambda\/env\.ts:\d+:\d+/);
  });
});
