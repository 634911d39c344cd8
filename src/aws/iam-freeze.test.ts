/**
 * The IAM policy of `consistency: application`: SendCommand only to instances carrying the
 * `frozen-by` tag and only with the configured documents (AWS-RunShellScript for the built-in
 * fsfreeze), the instance tagging limited to the freeze's two keys — and none of it for a config
 * that does not use the feature.
 */
import { describe, expect, it } from 'vitest';
import { freezePolicy } from '../../test/support/builders/freeze-policy.js';
import { policy } from '../../test/support/builders/policy.js';
import type { Config, Policy } from '../core/policy/types.js';
import { buildIamPolicy, runOperations } from './iam.js';

const configOf = (...policies: Policy[]): Config => ({
  version: 1,
  settings: { guard: {}, organization: false },
  policies,
});
const statementsOf = (config: Config) => buildIamPolicy(runOperations(config)).Statement;

describe('runOperations with consistency: application', () => {
  it('sends commands only to instances tagged frozen-by, and only the configured documents', () => {
    // Prepare
    const config = configOf(
      freezePolicy('db', { instanceNames: ['db-*'] }),
      freezePolicy(
        'pg',
        { instanceNames: ['pg-*'] },
        {
          pre: 'Flush-Postgres',
          post: 'arn:aws:ssm:eu-west-1:123456789012:document/Resume-Postgres',
        },
      ),
    );

    // Act
    const sends = statementsOf(config).filter((s) => s.Action.includes('ssm:SendCommand'));

    // Assess
    expect(sends).toEqual([
      {
        Sid: 'SendFreezeScriptsToInstances',
        Effect: 'Allow',
        Action: ['ssm:SendCommand'],
        Resource: ['arn:aws:ec2:*:*:instance/*'],
        Condition: { StringLike: { 'ssm:resourceTag/ebs-snapper:frozen-by': '*' } },
      },
      {
        Sid: 'SendFreezeScripts',
        Effect: 'Allow',
        Action: ['ssm:SendCommand'],
        Resource: [
          'arn:aws:ssm:eu-west-1:123456789012:document/Resume-Postgres',
          'arn:aws:ssm:*:*:document/Flush-Postgres',
          'arn:aws:ssm:*::document/AWS-RunShellScript',
        ],
      },
    ]);
  });

  it('tags instances with the freeze’s keys only, and reads command states and agents', () => {
    // Prepare
    const config = configOf(freezePolicy('db', { instanceNames: ['db-*'] }));

    // Act
    const statements = statementsOf(config);

    // Assess
    const tagging = statements.filter((s) => s.Action.includes('ec2:DeleteTags'));
    expect(tagging).toEqual([
      expect.objectContaining({
        Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
        Condition: {
          'ForAllValues:StringEquals': {
            'aws:TagKeys': ['ebs-snapper:frozen-by', 'ebs-snapper:frozen-policy'],
          },
        },
      }),
    ]);
    const actions = statements.flatMap((s) => s.Action);
    expect(actions).toEqual(
      expect.arrayContaining(['ssm:GetCommandInvocation', 'ssm:DescribeInstanceInformation']),
    );
    expect(actions).toContain('ec2:CreateSnapshots');
    expect(actions).not.toContain('ec2:StopInstances');
  });

  it('grants nothing of SSM, and no instance tagging, to a config that does not freeze', () => {
    // Prepare
    const config = configOf(
      policy({
        id: 'web',
        select: { instanceNames: ['web-*'] },
        every: '1d',
        snapshot: { consistency: 'instance' },
      }),
    );

    // Act
    const actions = statementsOf(config).flatMap((s) => s.Action);

    // Assess
    expect(actions.filter((a) => a.startsWith('ssm:'))).toEqual([]);
    expect(actions).not.toContain('ec2:DeleteTags');
  });
});
