import { describe, expect, it } from 'vitest';
import { AWS_OPERATIONS } from '../aws/iam.js';
import { memberTemplate } from './member-template.js';

interface RoleProperties {
  AssumeRolePolicyDocument: { Statement: { Principal: unknown; Condition: unknown }[] };
  Policies: { PolicyDocument: { Statement: { Action: string[]; Condition?: unknown }[] } }[];
}

const role = (template = memberTemplate()) =>
  template.Resources.MemberRole?.Properties as unknown as RoleProperties;

describe('memberTemplate', () => {
  it('is trusted by the hub account, and within it by its worker and fan-out roles only', () => {
    // Prepare / Act
    const [trust, ...others] = role().AssumeRolePolicyDocument.Statement;

    // Assess
    expect(others).toEqual([]);
    expect(trust?.Principal).toEqual({
      AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${HubAccountId}:root' },
    });
    expect(trust?.Condition).toEqual({
      ArnEquals: {
        'aws:PrincipalArn': [
          { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${HubAccountId}:role/${HubStackName}-worker' },
          { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${HubAccountId}:role/${HubStackName}-fanout' },
        ],
      },
    });
  });

  it("grants exactly a run's actions, AssumeRole excepted, and deletes only tagged snapshots", () => {
    // Prepare
    const run = AWS_OPERATIONS.flatMap((op) => op.actions).filter(
      // undo's restore is an operator's act from the CLI, never a deployed role's
      (action) => action !== 'sts:AssumeRole' && action !== 'ec2:RestoreSnapshotFromRecycleBin',
    );

    // Act
    const statements = role().Policies.flatMap((p) => p.PolicyDocument.Statement);

    // Assess
    expect([...new Set(statements.flatMap((s) => s.Action))].sort()).toEqual([...new Set(run)].sort());
    const deletes = statements.filter((s) => s.Action.includes('ec2:DeleteSnapshot'));
    expect(deletes.map((s) => s.Condition)).toEqual([
      { StringLike: { 'aws:ResourceTag/ebs-snapper:policy': '*' } },
    ]);
  });

  it('writes the given hub, hub stack and role name as defaults, for a StackSet without parameters', () => {
    // Prepare / Act
    const { Parameters } = memberTemplate({
      hubAccount: '111111111111',
      hubStackName: 'snap',
      roleName: 'r',
    });

    // Assess
    expect(Parameters.HubAccountId?.Default).toBe('111111111111');
    expect(Parameters.HubStackName?.Default).toBe('snap');
    expect(Parameters.RoleName?.Default).toBe('r');
    expect(memberTemplate().Parameters.HubAccountId?.Default).toBeUndefined();
  });

  it('--vault: the vault role copies in, lists, locks and deletes tagged copies, and snapshots or stops nothing', () => {
    // Prepare / Act
    const statements = role(memberTemplate({ vault: true })).Policies.flatMap(
      (p) => p.PolicyDocument.Statement,
    );
    const actions = new Set(statements.flatMap((s) => s.Action));

    // Assess
    for (const action of [
      'ec2:CopySnapshot',
      'ec2:LockSnapshot',
      'ec2:DeleteSnapshot',
      'ec2:DescribeSnapshots',
    ])
      expect(actions.has(action)).toBe(true);
    for (const action of [
      'ec2:CreateSnapshot',
      'ec2:StopInstances',
      'ec2:ModifySnapshotAttribute',
      'ec2:UnlockSnapshot',
    ])
      expect(actions.has(action)).toBe(false);
    const deletes = statements.filter((s) => s.Action.includes('ec2:DeleteSnapshot'));
    expect(deletes.every((s) => s.Condition !== undefined)).toBe(true);
    const tagging = statements.filter((s) => s.Action.includes('ec2:CreateTags'));
    expect(tagging.map((s) => s.Condition)).toEqual([
      { StringEquals: { 'ec2:CreateAction': ['CopySnapshot'] } },
    ]);
  });
});
