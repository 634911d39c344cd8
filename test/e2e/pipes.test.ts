/**
 * The CLI in pipes: a reader that goes away after the first line (`ebs-snapper … | head -1`) ends
 * the command quietly — no EPIPE stack trace, exit 0 when the work itself went well (a run still
 * does all its work: nobody reading the rest is no reason to leave it half done).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_POLICY } from '../../scripts/demo-fleet.js';
import { CLI, type CliEnv, writePolicy } from './cli.js';
import { policySnapshots } from './fleet.js';
import { useDemoFleetBehindProxy } from './harness.js';

/**
 * `ebs-snapper ARGS | head -1` in a real shell pipeline: head prints the first line and exits, and
 * whatever the CLI writes after that (output larger than the pipe's buffer, or written later)
 * meets a closed pipe. The CLI's own exit code and stderr are what is checked.
 */
function runIntoHead(args: readonly string[], env: CliEnv) {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash script; bash expands ${PIPESTATUS[0]}
  const script = 'node "$0" "$@" 2>"$ERR" | head -1; exit "${PIPESTATUS[0]}"';
  const errFile = `${env.workDir}/head-stderr.txt`;
  const child = spawn('bash', ['-c', script, CLI, ...args], {
    cwd: env.workDir,
    env: {
      PATH: process.env.PATH,
      HOME: env.workDir,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: env.endpoint,
      EBS_SNAPPER_LOCK_DIR: `${env.workDir}/locks`,
      NO_COLOR: '1',
      ERR: errFile,
    },
  });
  let first = '';
  child.stdout.on('data', (chunk: Buffer) => {
    first += chunk.toString();
  });
  return new Promise<{ code: number | null; first: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, first, stderr: readFileSync(errFile, 'utf8') }));
  });
}

describe('a reader that closes early (| head -1)', () => {
  const t = useDemoFleetBehindProxy();

  it.each([
    [['plan', '-v']],
    [['plan', '--output', 'json']],
    [['run', '--dry-run', '-v']],
    // A real run prints as it goes: every line after the first meets the closed pipe mid-run.
    [['run']],
    [['run', '--output', 'json']],
    [['report']],
    [['report', '--output', 'json']],
    [['report', '--output', 'html']],
    [['forecast', '--days', '30']],
    [['forecast', '--days', '30', '--output', 'html']],
    // Hundreds of kB: far more than the pipe holds, so the writes after head exits always meet EPIPE.
    [['forecast', '--output', 'html']],
    [['forecast', '--output', 'json']],
    [['config', 'schema']],
    [['iam-policy']],
    [['--help']],
  ])('ends %j quietly with exit 0', async (args) => {
    // Prepare
    const policy = writePolicy(t.env.workDir, DEMO_POLICY);
    const withConfig = args[0] === 'config' || args[0] === 'iam-policy' || args[0] === '--help';

    // Act
    const result = await runIntoHead(withConfig ? args : [...args, '-c', policy], t.env);

    // Assess
    expect(result.first.split('\n').filter((line) => line !== '')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/EPIPE|Error:|at .*\.js:\d+/);
    expect(result.code).toBe(0);
    if (args[0] === 'run' && !args.includes('--dry-run'))
      expect(await policySnapshots(t.ec2, 'web-daily')).toHaveLength(3);
  });
});
