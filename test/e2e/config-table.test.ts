/**
 * Configs in the deployment's table from the CLI (`config push/pull/list/delete`,
 * `--config-table`), and the notifications a `run` sends when `settings.notify` is set.
 */
import { describe, expect, it } from 'vitest';
import { createDeployment, readNotifications } from '../support/moto/deployment.js';
import { runCli, runCliJson, writePolicy } from './cli.js';
import { useDemoFleetBehindProxy } from './harness.js';

const POLICY = `version: 1
settings: {regions: [us-east-1]}
policies:
  - id: web
    select: {instance_names: ["web-*"]}
    schedule: {every: 1 day}
    retention: {minimum: 2}
`;

describe('configs in the table, from the CLI', () => {
  const t = useDemoFleetBehindProxy();

  it('pushes a valid file, pulls and lists it, plans from it, and deletes it', async () => {
    // Prepare
    const { table } = await createDeployment(t.moto.endpoint);
    const file = writePolicy(t.env.workDir, POLICY);
    const at = ['--table', table];

    // Act
    const pushed = await runCli(['config', 'push', file, ...at, '--name', 'prod'], t.env);
    const pulled = await runCli(['config', 'pull', ...at, '--name', 'prod'], t.env);
    const listed = await runCli(['config', 'list', ...at], t.env);
    const plan = await runCliJson(['plan', '--config-table', table, '--config-name', 'prod'], t.env);
    const deleted = await runCli(['config', 'delete', ...at, '--name', 'prod'], t.env);
    const gone = await runCli(['config', 'pull', ...at, '--name', 'prod'], t.env);

    // Assess
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toMatch(
      /config "prod": pushed .*ebs-snapper\.yaml \(1 policy, sha256 [0-9a-f]{12}\)/,
    );
    expect(pulled.stdout).toBe(POLICY);
    expect(listed.stdout).toMatch(/^prod\t\d{4}-\d\d-\d\dT.*\tsha256 [0-9a-f]{12}\n$/);
    expect(plan.code).toBe(0);
    expect(plan.json.summary.create).toBe(3);
    expect(deleted.code).toBe(0);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('no such config');
  });

  it('never stores a bad file, and says why, before writing anything', async () => {
    // Prepare
    const { table } = await createDeployment(t.moto.endpoint);
    const file = writePolicy(t.env.workDir, POLICY.replace('minimum: 2', 'minimum: two'));

    // Act
    const pushed = await runCli(['config', 'push', file, '--table', table], t.env);
    const listed = await runCli(['config', 'list', '--table', table], t.env);

    // Assess
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toContain('policies[0].retention.minimum: "two" is not a count');
    expect(t.proxy.counts().PutItem ?? 0).toBe(0);
    expect(listed.stdout).toBe('');
  });

  it('notifies a run to SNS when settings.notify is set, as the deployed worker does', async () => {
    // Prepare
    const deployment = await createDeployment(t.moto.endpoint);
    const notify = `settings:\n  regions: [us-east-1]\n  notify: {sns_topic_arn: "${deployment.topicArn}", on: [summary]}\n`;
    const file = writePolicy(t.env.workDir, POLICY.replace('settings: {regions: [us-east-1]}\n', notify));

    // Act
    const result = await runCli(['run', '-c', file], t.env);
    const notes = await readNotifications(deployment);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(notes.map((n) => n.subject)).toEqual(['ebs-snapper: summary in 123456789012 us-east-1']);
    expect(notes[0]!.message).toMatchObject({ counts: { created: 3, failed: 0 } });
  });
});
