/** The commands that need no AWS: help, config validate / schema / import-legacy, iam-policy. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliEnv, runCli, workDir, writePolicy } from './cli.js';

describe('commands without AWS', () => {
  let env: CliEnv;

  beforeAll(() => {
    env = { endpoint: 'http://127.0.0.1:9', workDir: workDir() };
  });

  it.each([
    ['plan'],
    ['run'],
    ['snapshot'],
    ['clean'],
    ['report'],
    ['forecast'],
    ['config'],
    ['config', 'validate'],
    ['config', 'schema'],
    ['config', 'import-legacy'],
    ['iam-policy'],
  ])('%s --help explains the command with examples', async (...command) => {
    // Act
    const result = await runCli([...command, '--help'], env);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: ebs-snapper/);
    expect(result.stdout).toMatch(/Examples:/);
  });

  it('config validate accepts a good file and names every problem of a bad one (exit 1)', async () => {
    // Prepare
    const good = writePolicy(
      env.workDir,
      'version: 1\npolicies:\n  - id: a\n    select: {instance_names: [web-*]}\n    schedule: {every: 12 hours}\n    retention: {max_age: 14 days}\n',
      'good.yaml',
    );
    const bad = writePolicy(
      env.workDir,
      'version: 1\npolicies:\n  - id: a\n    select: {instance_names: [web-*]}\n    schedule: {every: 12 hours}\n    retension: {max_age: 14 days}\n',
      'bad.yaml',
    );

    // Act
    const ok = await runCli(['config', 'validate', good], env);
    const failed = await runCli(['config', 'validate', bad], env);

    // Assess
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/valid, 1 policy/);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/policies\[0\]\.retension/);
  });

  it.each([['plan'], ['run'], ['report'], ['forecast']])(
    '%s refuses a --region AWS does not have before any AWS call, naming the closest',
    async (command) => {
      // Prepare
      const good = writePolicy(
        env.workDir,
        'version: 1\npolicies:\n  - id: a\n    select: {instance_names: [web-*]}\n    schedule: {every: 12 hours}\n    retention: {max_age: 14 days}\n',
        'regions.yaml',
      );

      // Act
      const result = await runCli(
        [command, '-c', good, '--region', 'eu-west-1', '--region', 'us-est-1'],
        env,
      );

      // Assess: the endpoint (nothing listens there) was never asked
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/--region: "us-est-1" is not an AWS region; did you mean "us-east-1"\?/);
      expect(result.stderr).not.toMatch(/ECONNREFUSED|connect/);
    },
  );

  it('config schema prints the checked-in JSON Schema', async () => {
    // Act
    const result = await runCli(['config', 'schema'], env);

    // Assess
    expect(result.code).toBe(0);
    const checkedIn = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../schema/ebs-snapper.schema.json'), 'utf8'),
    );
    expect(JSON.parse(result.stdout)).toEqual(checkedIn);
  });

  it('config import-legacy turns an ebs_snapper config into a valid version 1 file', async () => {
    // Prepare
    const legacy = writePolicy(
      env.workDir,
      JSON.stringify({
        match: { 'tag:backup': 'yes' },
        snapshot: { retention: '4 days', minimum: 5, frequency: '12 hours' },
        ignore: ['i-0123456789abcdef0'],
      }),
      'legacy.json',
    );

    // Act
    const converted = await runCli(['config', 'import-legacy', legacy], env);
    const path = writePolicy(env.workDir, converted.stdout, 'converted.yaml');
    const validated = await runCli(['config', 'validate', path], env);

    // Assess
    expect(converted.code).toBe(0);
    expect(converted.stdout).toMatch(/version: 1/);
    expect(converted.stdout).toMatch(/tag:backup/);
    expect(validated.code).toBe(0);
  });

  it('iam-policy conditions DeleteSnapshot on the ebs-snapper:policy tag', async () => {
    // Act
    const result = await runCli(['iam-policy'], env);

    // Assess
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as {
      Statement: { Action: string | string[]; Condition?: unknown }[];
    };
    const deletes = document.Statement.filter((s) => [s.Action].flat().includes('ec2:DeleteSnapshot'));
    expect(deletes).toHaveLength(1);
    expect(JSON.stringify(deletes[0]!.Condition)).toContain('aws:ResourceTag/ebs-snapper:policy');
  });

  it('iam-policy -c grants KMS only when a copy_to target names kms_key_id', async () => {
    // Prepare
    const policy = (kms: string) =>
      `version: 1\npolicies:\n  - id: web\n    select: {instance_names: [web-*]}\n    schedule: {every: 1 day}\n` +
      `    retention: {minimum: 2}\n    copy_to: [{region: us-west-2, retention: {minimum: 1}${kms}}]\n`;
    const plain = writePolicy(env.workDir, policy(''), 'plain.yaml');
    const keyed = writePolicy(env.workDir, policy(', kms_key_id: alias/dr'), 'keyed.yaml');
    const kmsActions = async (args: string[]) => {
      const result = await runCli(['iam-policy', ...args], env);
      const document = JSON.parse(result.stdout) as { Statement: { Action: string[] }[] };
      return document.Statement.flatMap((s) => s.Action).filter((a) => a.startsWith('kms:'));
    };

    // Act
    const withoutKey = await kmsActions(['-c', plain]);
    const withKey = await kmsActions(['-c', keyed]);
    const anyConfig = await kmsActions([]);

    // Assess
    expect(withoutKey).toEqual([]);
    expect(withKey).toContain('kms:CreateGrant');
    expect(anyConfig).toEqual(withKey);
  });

  it('unknown options and bad --now exit 1 with a message', async () => {
    // Act
    const unknown = await runCli(['plan', '--frobnicate'], env);
    const badNow = await runCli(['plan', '--now', 'yesterday'], env);

    // Assess
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown option/);
    expect(badNow.code).toBe(1);
    expect(badNow.stderr).toMatch(/--now: "yesterday" is not an ISO-8601 time/);
  });
});
