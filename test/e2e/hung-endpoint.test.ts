/**
 * An endpoint that accepts a connection and never answers: every call has a timeout, --deadline
 * bounds the whole run (calls in flight included), and the lock is released on every way out.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliResult, runCli, startCli, writePolicy } from './cli.js';
import { useDemoFleetBehindProxy } from './harness.js';

const POLICY = `version: 1
settings: {regions: [us-east-1]}
policies:
  - id: web
    select: {instance_names: ["web-*"]}
    schedule: {every: 1 day}
    retention: {minimum: 2}
`;

const locksIn = (workDir: string): string[] => {
  const dir = join(workDir, 'locks');
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe('a hung endpoint', () => {
  const t = useDemoFleetBehindProxy();

  it('cannot hold a run past --deadline: collection is cancelled, exit 1, the lock released', async () => {
    // Prepare: STS answers, so the run takes its lock; then every DescribeVolumes hangs
    t.proxy.configure({ hangFor: ['DescribeVolumes'] });
    const config = writePolicy(t.env.workDir, POLICY);

    // Act
    const result = await runCli(['run', '-c', config, '--deadline', '3s'], t.env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DescribeVolumes failed: Deadline');
    expect(t.proxy.counts().DescribeVolumes).toBe(1);
    expect(locksIn(t.env.workDir)).toEqual([]);
  });

  it('times a silent call out and retries it only while the call is within its time budget, without a deadline', async () => {
    // Prepare
    t.proxy.configure({ hangFor: ['DescribeVolumes'] });
    const config = writePolicy(t.env.workDir, POLICY);
    const env = { ...t.env, extra: { EBS_SNAPPER_HTTP_TIMEOUT: '1s' } };

    // Act
    const result = await runCli(['run', '-c', config], env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DescribeVolumes failed: ETIMEDOUT');
    // A budget of three request timeouts: about three tries (ten for failures that come fast).
    expect(t.proxy.counts().DescribeVolumes).toBeGreaterThanOrEqual(2);
    expect(t.proxy.counts().DescribeVolumes).toBeLessThanOrEqual(4);
    expect(locksIn(t.env.workDir)).toEqual([]);
  });

  it('stops on SIGTERM, cancelling the hung call and releasing the lock, and says it was interrupted', async () => {
    // Prepare
    t.proxy.configure({ hangFor: ['DescribeVolumes'] });
    const config = writePolicy(t.env.workDir, POLICY);
    const child = startCli(['run', '-c', config], t.env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<CliResult>((resolve) =>
      child.on('close', (code) => resolve({ code, stdout, stderr })),
    );
    await waitFor(() => locksIn(t.env.workDir).length === 1 && (t.proxy.counts().DescribeVolumes ?? 0) === 1);

    // Act
    child.kill('SIGTERM');
    const result = await exited;

    // Assess: 128 + 15, as a shell reports SIGTERM; the pair is interrupted, not failed
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SIGTERM: stopping');
    expect(result.stderr).toContain('123456789012/us-east-1: Error: interrupted (SIGTERM)');
    expect(result.stderr).not.toMatch(/deadline/i);
    expect(result.stdout).toMatch(
      /^Plan: nothing planned; 1 account × region could not be planned: 123456789012\/us-east-1 \(Interrupted\)\.$/m,
    );
    expect(result.stdout).toMatch(/^Run: nothing done; .*\. Interrupted \(SIGTERM\): /m);
    expect(locksIn(t.env.workDir)).toEqual([]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
}
