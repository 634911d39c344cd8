/**
 * What `run` says without a terminal (a cron log, a pipe), and after an interrupt: the plan of each
 * account × region as soon as it is made, each result as it lands, the summary at the end; an
 * interrupt named as one, with its own exit code. `npm run build` first when running it alone.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliResult, startCli, writePolicy } from './cli.js';
import { useDemoFleetBehindProxy } from './harness.js';

const POLICY = `version: 1
settings: {regions: [us-east-1]}
policies:
  - id: web
    select: {instance_names: ["web-*"]}
    schedule: {every: 1 day}
    retention: {minimum: 2}
`;
const WHERE = '123456789012/us-east-1';

/** A started CLI whose stdout is read as it comes, line by line. */
function watch(child: ChildProcess) {
  const seen = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => {
    seen.stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    seen.stderr += chunk.toString();
  });
  const exited = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout: seen.stdout, stderr: seen.stderr })),
  );
  return { seen, exited };
}

/**
 * Wait until `condition` holds; a CLI that never gets there is killed (and the test fails) rather
 * than left hanging on the held proxy.
 */
async function waitFor(condition: () => boolean, child: ChildProcess): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 30_000) {
      child.kill('SIGKILL');
      throw new Error('the CLI never printed what was waited for');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

describe('run without a terminal', () => {
  const t = useDemoFleetBehindProxy();

  /**
   * One create at a time, and every call after the first CreateSnapshot is answered never: the run
   * is held right after its first result, so what it printed by then is what it prints as it goes.
   */
  function startHeldRun() {
    t.proxy.configure({ hangAfter: 'CreateSnapshot' });
    const config = writePolicy(t.env.workDir, POLICY);
    const out = join(t.env.workDir, 'run.json');
    const child = startCli(['run', '-c', config, '--concurrency', '1', '--out', out], t.env);
    return { child, out, ...watch(child) };
  }

  it('prints the plan before applying it, then each result as it lands', async () => {
    // Prepare
    const { child, seen, exited } = startHeldRun();

    // Act: the first result is printed while the run still waits on the second create
    await waitFor(() => /^\s*done\b/m.test(seen.stdout), child);
    const printed = lines(seen.stdout);
    const running = child.exitCode === null;
    child.kill('SIGINT');
    await exited;

    // Assess
    expect(running).toBe(true);
    const creates = printed.filter((line) => /\+ create\s+web\s+vol-/.test(line));
    const firstResult = printed.findIndex((line) => /^\s*done\b/.test(line));
    expect(creates).toHaveLength(3);
    expect(printed[0]).toMatch(/^123456789012 us-east-1/);
    expect(printed.indexOf(creates.at(-1)!)).toBeLessThan(firstResult);
    expect(printed[firstResult]).toMatch(new RegExp(`done\\s+${WHERE}\\s+create web snap-\\w+ vol-\\w+`));
    expect(printed.some((line) => line.startsWith('Run:'))).toBe(false);
  });

  it('after SIGINT says the run was interrupted, names what it left, and exits 1', async () => {
    // Prepare
    const { child, seen, exited, out } = startHeldRun();
    await waitFor(() => /^\s*done\b/m.test(seen.stdout), child);

    // Act
    child.kill('SIGINT');
    const result = await exited;

    // Assess
    expect(result.code).toBe(1);
    const deferred = lines(result.stdout).filter((line) => /^\s*deferred\b/.test(line));
    expect(deferred).toHaveLength(2);
    for (const line of deferred) expect(line).toMatch(/Interrupted: stopped by SIGINT/);
    expect(result.stdout).not.toMatch(/deadline/i);
    expect(lines(result.stdout).at(-1)).toMatch(
      /^Run: 1 created, 0 deleted, 0 failed, 2 deferred, 0 skipped\. Interrupted \(SIGINT\): /,
    );
    expect(result.stderr).toContain('SIGINT: stopping');
    const written = JSON.parse(readFileSync(out, 'utf8')) as { summary: Record<string, unknown> };
    expect(written.summary).toMatchObject({ created: 1, deferred: 2, interrupted: 'SIGINT' });
  });

  it('with --output json still prints one document at the end, which names the interrupt', async () => {
    // Prepare
    t.proxy.configure({ hangAfter: 'CreateSnapshot' });
    const config = writePolicy(t.env.workDir, POLICY);
    const child = startCli(['run', '-c', config, '--concurrency', '1', '--output', 'json'], t.env);
    const { exited } = watch(child);
    await waitFor(() => (t.proxy.counts().CreateSnapshot ?? 0) >= 2, child);

    // Act
    child.kill('SIGTERM');
    const result = await exited;

    // Assess
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as {
      summary: Record<string, unknown>;
      results: { status: string; error?: { code: string; message: string } }[];
    };
    expect(json.summary).toMatchObject({
      created: 1,
      deferred: 2,
      deadline_reached: false,
      interrupted: 'SIGTERM',
    });
    expect(json.results.filter((r) => r.status === 'deferred').map((r) => r.error?.code)).toEqual([
      'Interrupted',
      'Interrupted',
    ]);
  });
});

describe('a summary that says what could not be planned', () => {
  const t = useDemoFleetBehindProxy();

  it.each([['plan'], ['run']])(
    '%s: the account × region whose volumes could not be listed is named, not counted as 0',
    async (command) => {
      // Prepare
      t.proxy.configure({ errorsFor: { DescribeVolumes: { code: 'UnauthorizedOperation', status: 403 } } });
      const config = writePolicy(t.env.workDir, POLICY);
      const child = startCli([command, '-c', config], t.env);

      // Act
      const result = await watch(child).exited;

      // Assess
      expect(result.code).toBe(1);
      expect(result.stdout).not.toMatch(/Plan: 0 to create/);
      expect(result.stdout).toMatch(
        new RegExp(
          `^Plan: nothing planned; 1 account × region could not be planned: ${WHERE} \\(UnauthorizedOperation\\)\\.$`,
          'm',
        ),
      );
      if (command === 'run')
        expect(result.stdout).toMatch(/^Run: nothing done; 1 account × region could not be planned\.$/m);
    },
  );

  it('the JSON summary says it is not complete, and the failure is listed', async () => {
    // Prepare
    t.proxy.configure({ errorsFor: { DescribeVolumes: { code: 'UnauthorizedOperation', status: 403 } } });
    const config = writePolicy(t.env.workDir, POLICY);
    const child = startCli(['run', '-c', config, '--output', 'json'], t.env);

    // Act
    const result = await watch(child).exited;

    // Assess
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { summary: Record<string, unknown>; failures: unknown[] };
    expect(json.summary).toMatchObject({ complete: false, targets_planned: 0, targets_not_planned: 1 });
    expect(json.failures).toEqual([
      {
        account: '123456789012',
        region: 'us-east-1',
        error: expect.objectContaining({ code: 'UnauthorizedOperation' }),
      },
    ]);
  });
});
