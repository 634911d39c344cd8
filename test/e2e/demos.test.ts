/**
 * The README's demo works: `npm run demo` runs these two scripts after setup and build. Each one
 * starts its own moto; they are run here as `npm run demo` runs them, and must end on their own.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');

function runScript(script: string): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(TSX, [script], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.resume();
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout }));
  });
}

describe('npm run demo', () => {
  it('shows the CLI planning, running and planning again against a local AWS', async () => {
    // Act
    const { code, stdout } = await runScript('scripts/demo.ts');

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Run: 7 created, 1 copied, 0 deleted, 0 failed/m);
    expect(stdout).toContain('moto stopped.');
  });

  it('shows the deployed path: config push, fanOut, the worker over the queue, records and a notification', async () => {
    // Act
    const { code, stdout } = await runScript('scripts/demo-serverless.ts');

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/config "default": pushed/);
    expect(stdout.match(/#0 {2}ok {8}created 2/g)).toHaveLength(4);
    expect(stdout).toContain('ebs-snapper: summary in');
    expect(stdout).toContain('moto stopped.');
  });
});
