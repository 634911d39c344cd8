/**
 * The IAM policy `iam-policy` prints is derived from declarations in the code; this checks the
 * derivation against reality: every AWS action the CLI called (seen at the proxy, on its main
 * paths) is allowed by the printed policy, and deletes stay conditioned on the ownership tag.
 */
import { describe, expect, it } from 'vitest';
import { allows, notAllowed, type PrintedStatement } from '../support/iam-match.js';
import { runCli, writePolicy } from './cli.js';
import { useDemoFleetBehindProxy } from './harness.js';

const POLICIES = `version: 1
policies:
  - id: web
    select: {instance_names: ["web-*"]}
    schedule: {every: 1 day}
    retention: {max_age: 1 day, minimum: 1}
    copy_to: [{region: us-west-2, retention: {minimum: 1}}]
  - id: db
    select: {instance_names: ["db-*"]}
    schedule: {every: 1 day}
    retention: {max_age: 1 day, minimum: 1}
    snapshot: {consistency: instance}
`;

describe('iam-policy covers what the CLI does', () => {
  const t = useDemoFleetBehindProxy();

  it('allows every action seen at the proxy across plan, run, a later clean-up and a role', async () => {
    // Prepare
    const config = writePolicy(t.env.workDir, POLICIES);
    const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

    // Act: all enabled regions (DescribeRegions), creates of both kinds, copies, deletes, then via a role
    for (const args of [
      ['plan', '-c', config],
      ['run', '-c', config],
      ['run', '-c', config, '--now', days(3)],
      ['run', '-c', config, '--now', days(6)],
      [
        'plan',
        '-c',
        config,
        '--region',
        'us-east-1',
        '--role-arn',
        'arn:aws:iam::123456789012:role/ebs-snapper',
      ],
    ]) {
      const result = await runCli(args, t.env);
      expect(result.code, result.stderr).toBe(0);
    }
    const seen = t.proxy.iamActions();
    const printed = await runCli(['iam-policy'], t.env);
    const statements = (JSON.parse(printed.stdout) as { Statement: PrintedStatement[] }).Statement;

    // Assess
    expect(seen).toEqual(
      expect.arrayContaining([
        'ec2:CreateSnapshot',
        'ec2:CreateSnapshots',
        'ec2:CopySnapshot',
        'ec2:DeleteSnapshot',
        'sts:AssumeRole',
      ]),
    );
    expect(notAllowed(seen, statements)).toEqual([]);
    const deletes = statements.filter((s) => allows(s, 'ec2:DeleteSnapshot'));
    expect(deletes).toHaveLength(1);
    expect(deletes[0]!.Condition).toEqual({ StringLike: { 'aws:ResourceTag/ebs-snapper:policy': '*' } });
  });
});
