/**
 * `iam-policy --for deploy` is derived from declarations; this checks it against what `deploy`
 * and `deploy member` really call (seen at the proxy, as IAM names them): a first deploy with a
 * config, a new build, a dry run, the stack deleted and made again on its kept table, and the
 * member stack through a role. What CloudFormation calls
 * on the identity's behalf moto does inside itself; the template tests check those declarations.
 */
import { DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { notAllowed, type PrintedStatement } from '../support/iam-match.js';
import { runCli, writePolicy } from './cli.js';
import { changedBundle, STACK, useDeployBehindProxy } from './deploy-harness.js';

const POLICY = `version: 1
policies:
  - id: daily
    select: {volumes: {"tag:Backup": "true"}}
    schedule: {every: 1 day}
    retention: {max_age: 7 days}
`;

describe('iam-policy --for deploy covers what deploy does', () => {
  const t = useDeployBehindProxy();

  it('allows every action deploy and deploy member were seen calling', async () => {
    // Prepare
    const config = writePolicy(t.env.workDir, POLICY);
    const bundle = changedBundle(t.env.workDir);

    // Act
    for (const args of [
      ['deploy', '--config', config, '--notify-email', 'ops@example.com'],
      ['deploy', '--bundle', bundle, '--dry-run'],
      ['deploy', '--bundle', bundle],
      'delete the stack',
      ['deploy', '--bundle', bundle],
      [
        'deploy',
        'member',
        '--hub-account',
        '123456789012',
        '--role-arn',
        'arn:aws:iam::111111111111:role/deployer',
      ],
    ]) {
      // A stack made anew looks for the table the deleted one kept.
      if (typeof args === 'string') {
        await t.cloudformation.send(new DeleteStackCommand({ StackName: STACK }));
        continue;
      }
      const result = await runCli(args, t.env);
      expect(result.code, result.stderr).toBe(0);
    }
    const seen = t.proxy.iamActions();
    const printed = await runCli(['iam-policy', '--for', 'deploy'], t.env);
    const statements = (JSON.parse(printed.stdout) as { Statement: PrintedStatement[] }).Statement;

    // Assess
    expect(seen).toEqual(
      expect.arrayContaining([
        'cloudformation:CreateStack',
        'cloudformation:CreateChangeSet',
        'cloudformation:ExecuteChangeSet',
        's3:PutObject',
        's3:GetObject',
        'lambda:GetFunction',
        'dynamodb:PutItem',
        'dynamodb:GetItem',
        'dynamodb:ListTables',
        'dynamodb:DescribeTable',
        'dynamodb:ListTagsOfResource',
        'sns:ListSubscriptionsByTopic',
        'sns:Subscribe',
        'sts:AssumeRole',
      ]),
    );
    expect(notAllowed(seen, statements)).toEqual([]);
  });
});
