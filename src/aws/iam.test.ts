import { describe, expect, it } from 'vitest';
import { policy } from '../../test/support/builders/policy.js';
import type { Config, Retention } from '../core/policy/types.js';
import { AWS_OPERATIONS, buildIamPolicy, runOperations } from './iam.js';

const DEFAULT_RETENTION: Retention = {
  minimum: 1,
  keepDaily: 0,
  keepWeekly: 0,
  keepMonthly: 0,
  keepYearly: 0,
  orphaned: { kind: 'keep' },
};

/** The restore drills' statements (iam-drills.ts), at the end of the whole policy. */
const DRILL_STATEMENTS = [
  {
    Sid: 'DrillCreateVolume',
    Effect: 'Allow',
    Action: ['ec2:CreateVolume'],
    Resource: ['arn:aws:ec2:*:*:volume/*'],
    Condition: { StringLike: { 'aws:RequestTag/ebs-snapper:drill-of': 'snap-*' } },
  },
  {
    Sid: 'DrillRestoreSnapshot',
    Effect: 'Allow',
    Action: ['ec2:CreateVolume'],
    Resource: ['arn:aws:ec2:*::snapshot/*'],
    Condition: { StringLike: { 'ec2:ResourceTag/ebs-snapper:policy': '*' } },
  },
  {
    Sid: 'DrillTagOnCreate',
    Effect: 'Allow',
    Action: ['ec2:CreateTags'],
    Resource: ['arn:aws:ec2:*:*:volume/*'],
    Condition: {
      StringEquals: { 'ec2:CreateAction': 'CreateVolume' },
      'ForAllValues:StringEquals': {
        'aws:TagKeys': [
          'ebs-snapper:drill-of',
          'ebs-snapper:policy',
          'ebs-snapper:run-id',
          'ebs-snapper:drill-started',
          'ebs-snapper:drill-step',
          'Name',
        ],
      },
    },
  },
  {
    Sid: 'DrillStep',
    Effect: 'Allow',
    Action: ['ec2:CreateTags'],
    Resource: ['arn:aws:ec2:*:*:volume/*'],
    Condition: {
      StringLike: { 'ec2:ResourceTag/ebs-snapper:drill-of': 'snap-*' },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['ebs-snapper:drill-step', 'ebs-snapper:drill-detail'] },
    },
  },
  {
    Sid: 'DrillResult',
    Effect: 'Allow',
    Action: ['ec2:CreateTags'],
    Resource: ['arn:aws:ec2:*::snapshot/*'],
    Condition: {
      StringLike: { 'ec2:ResourceTag/ebs-snapper:policy': '*' },
      'ForAllValues:StringEquals': {
        'aws:TagKeys': [
          'ebs-snapper:drill-result',
          'ebs-snapper:drill-at',
          'ebs-snapper:drill-detail',
          'ebs-snapper:drill-volume',
        ],
      },
    },
  },
  {
    Sid: 'DrillCleanUpDrillAttach',
    Effect: 'Allow',
    Action: ['ec2:AttachVolume', 'ec2:DeleteVolume', 'ec2:DetachVolume'],
    Resource: ['arn:aws:ec2:*:*:volume/*'],
    Condition: { StringLike: { 'ec2:ResourceTag/ebs-snapper:drill-of': 'snap-*' } },
  },
  {
    Sid: 'DrillDetachFromDrillAttachTo',
    Effect: 'Allow',
    Action: ['ec2:AttachVolume', 'ec2:DetachVolume'],
    Resource: ['arn:aws:ec2:*:*:instance/*'],
  },
  {
    Sid: 'DrillCheckCommand',
    Effect: 'Allow',
    Action: ['ssm:SendCommand'],
    Resource: ['arn:aws:ec2:*:*:instance/*', 'arn:aws:ssm:*::document/AWS-RunShellScript'],
  },
];

describe('buildIamPolicy', () => {
  it('grants exactly the declared actions, deletes only on tagged snapshots', () => {
    // Prepare / Act
    const policy = buildIamPolicy(AWS_OPERATIONS);

    // Assess
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CollectRegionsAccountFindRunSnapshotsAssumeRoleInstanceLifecycleFreezeScriptStateDrillStatusDrillCheckReadRecycleBinRulesRecycleBinContents',
          Effect: 'Allow',
          Action: [
            'autoscaling:DescribeAutoScalingGroups',
            'autoscaling:DescribeAutoScalingInstances',
            'ec2:DescribeImages',
            'ec2:DescribeInstances',
            'ec2:DescribeLockedSnapshots',
            'ec2:DescribeRegions',
            'ec2:DescribeSnapshotTierStatus',
            'ec2:DescribeSnapshots',
            'ec2:DescribeVolumeStatus',
            'ec2:DescribeVolumes',
            'ec2:ListSnapshotsInRecycleBin',
            'rbin:GetRule',
            'rbin:ListRules',
            'ssm:DescribeInstanceInformation',
            'ssm:GetCommandInvocation',
            'sts:AssumeRole',
            'sts:GetCallerIdentity',
          ],
          Resource: '*',
        },
        {
          Sid: 'CreateSnapshot',
          Effect: 'Allow',
          Action: ['ec2:CreateSnapshot'],
          Resource: ['arn:aws:ec2:*:*:volume/*', 'arn:aws:ec2:*::snapshot/*'],
        },
        {
          Sid: 'CreateSnapshots',
          Effect: 'Allow',
          Action: ['ec2:CreateSnapshots'],
          Resource: ['arn:aws:ec2:*:*:instance/*', 'arn:aws:ec2:*:*:volume/*', 'arn:aws:ec2:*::snapshot/*'],
        },
        {
          Sid: 'TagOnCreate',
          Effect: 'Allow',
          Action: ['ec2:CreateTags'],
          Resource: ['arn:aws:ec2:*::snapshot/*'],
          Condition: {
            StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CreateSnapshots', 'CopySnapshot'] },
          },
        },
        {
          Sid: 'CopySnapshotRestoreFromBin',
          Effect: 'Allow',
          Action: ['ec2:CopySnapshot', 'ec2:RestoreSnapshotFromRecycleBin'],
          Resource: ['arn:aws:ec2:*::snapshot/*'],
        },
        {
          Sid: 'CopyEncryptedDrillEncrypted',
          Effect: 'Allow',
          Action: [
            'kms:CreateGrant',
            'kms:Decrypt',
            'kms:DescribeKey',
            'kms:Encrypt',
            'kms:GenerateDataKeyWithoutPlaintext',
            'kms:ReEncryptFrom',
            'kms:ReEncryptTo',
          ],
          Resource: '*',
          Condition: { StringLike: { 'kms:ViaService': 'ec2.*.amazonaws.com' } },
        },
        {
          Sid: 'DeleteSnapshotLockSnapshot',
          Effect: 'Allow',
          Action: ['ec2:DeleteSnapshot', 'ec2:LockSnapshot'],
          Resource: ['arn:aws:ec2:*::snapshot/*'],
          Condition: { StringLike: { 'aws:ResourceTag/ebs-snapper:policy': '*' } },
        },
        {
          Sid: 'MarkInstance',
          Effect: 'Allow',
          Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
          Resource: ['arn:aws:ec2:*:*:instance/*'],
          Condition: {
            'ForAllValues:StringEquals': {
              'aws:TagKeys': ['ebs-snapper:stopped-by', 'ebs-snapper:standby-by'],
            },
          },
        },
        {
          Sid: 'StopStartInstance',
          Effect: 'Allow',
          Action: ['ec2:StartInstances', 'ec2:StopInstances'],
          Resource: ['arn:aws:ec2:*:*:instance/*'],
          Condition: { StringLike: { 'ec2:ResourceTag/ebs-snapper:stopped-by': '*' } },
        },
        {
          Sid: 'Standby',
          Effect: 'Allow',
          Action: ['autoscaling:EnterStandby', 'autoscaling:ExitStandby'],
          Resource: ['arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*'],
        },
        {
          Sid: 'MarkFrozen',
          Effect: 'Allow',
          Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
          Resource: ['arn:aws:ec2:*:*:instance/*'],
          Condition: {
            'ForAllValues:StringEquals': {
              'aws:TagKeys': ['ebs-snapper:frozen-by', 'ebs-snapper:frozen-policy'],
            },
          },
        },
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
          Resource: ['arn:aws:ssm:*:*:document/*', 'arn:aws:ssm:*::document/AWS-RunShellScript'],
        },
        ...DRILL_STATEMENTS,
        {
          Sid: 'ShareWithVault',
          Effect: 'Allow',
          Action: ['ec2:ModifySnapshotAttribute'],
          Resource: ['arn:aws:ec2:*::snapshot/*'],
          Condition: {
            StringLike: { 'aws:ResourceTag/ebs-snapper:policy': '*', 'ec2:Add/userId': '*' },
            Null: { 'ec2:Add/group': 'true' },
          },
        },
        {
          Sid: 'UnshareFromVault',
          Effect: 'Allow',
          Action: ['ec2:ModifySnapshotAttribute'],
          Resource: ['arn:aws:ec2:*::snapshot/*'],
          Condition: { StringLike: { 'aws:ResourceTag/ebs-snapper:policy': '*', 'ec2:Remove/userId': '*' } },
        },
      ],
    });
  });

  it('changes, detaches and deletes only volumes carrying drill-of, and tags snapshots only with drill keys', () => {
    // Prepare / Act
    const statements = buildIamPolicy(AWS_OPERATIONS).Statement;
    const on = (action: string, resource: string) =>
      statements.filter(
        (s) => s.Action.includes(action) && (s.Resource as string[]).some((r) => r.includes(resource)),
      );

    // Assess
    for (const action of ['ec2:DeleteVolume', 'ec2:DetachVolume', 'ec2:AttachVolume']) {
      expect(on(action, ':volume/').map((s) => s.Condition)).toEqual([
        { StringLike: { 'ec2:ResourceTag/ebs-snapper:drill-of': 'snap-*' } },
      ]);
    }
    expect(on('ec2:CreateVolume', ':volume/').map((s) => s.Condition)).toEqual([
      { StringLike: { 'aws:RequestTag/ebs-snapper:drill-of': 'snap-*' } },
    ]);
    const snapshotTags = on('ec2:CreateTags', ':snapshot/').map((s) => s.Condition);
    expect(snapshotTags).toContainEqual({
      StringLike: { 'ec2:ResourceTag/ebs-snapper:policy': '*' },
      'ForAllValues:StringEquals': {
        'aws:TagKeys': [
          'ebs-snapper:drill-result',
          'ebs-snapper:drill-at',
          'ebs-snapper:drill-detail',
          'ebs-snapper:drill-volume',
        ],
      },
    });
  });

  it('never grants deleting a snapshot, tagging, or stopping and starting without a condition', () => {
    // Prepare / Act
    const statements = buildIamPolicy(AWS_OPERATIONS).Statement;

    // Assess
    for (const action of [
      'ec2:DeleteSnapshot',
      'ec2:LockSnapshot',
      'ec2:ModifySnapshotAttribute',
      'ec2:CreateTags',
      'ec2:DeleteTags',
      'ec2:StopInstances',
      'ec2:StartInstances',
    ]) {
      const granting = statements.filter((s) => s.Action.includes(action));
      expect(granting.length).toBeGreaterThan(0);
      expect(granting.every((s) => s.Condition !== undefined)).toBe(true);
    }
  });

  it('groups operations with equal conditions written in another order, and fills in the partition', () => {
    // Prepare
    const operations = [
      { operation: 'a', actions: ['ec2:StopInstances'], condition: { StringLike: { x: '1', y: '2' } } },
      { operation: 'b', actions: ['ec2:StartInstances'], condition: { StringLike: { y: '2', x: '1' } } },
      { operation: 'c', actions: ['ec2:DeleteSnapshot'], resources: ['arn:{partition}:ec2:*::snapshot/*'] },
      { operation: 'c', actions: ['ec2:CopySnapshot'] },
    ];

    // Act
    const policy = buildIamPolicy(operations, { partition: 'aws-cn' });

    // Assess
    expect(policy.Statement.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
      ['AB', ['ec2:StartInstances', 'ec2:StopInstances'], '*'],
      ['C', ['ec2:DeleteSnapshot'], ['arn:aws-cn:ec2:*::snapshot/*']],
      ['C2', ['ec2:CopySnapshot'], '*'],
    ]);
  });

  it('is a valid JSON document', () => {
    // Prepare / Act
    const text = JSON.stringify(buildIamPolicy(AWS_OPERATIONS));

    // Assess
    expect(JSON.parse(text)).toEqual(buildIamPolicy(AWS_OPERATIONS));
  });
});

describe('runOperations: what a config uses, and nothing else', () => {
  const configOf = (...snapshots: NonNullable<Parameters<typeof policy>[0]['snapshot']>[]): Config => ({
    version: 1,
    settings: { guard: {}, organization: false },
    policies: snapshots.map((snapshot, index) =>
      policy({ id: `p${index}`, select: { instances: { 'tag:Role': 'web' } }, every: '1d', snapshot }),
    ),
  });
  const actionsOf = (config: Config) =>
    buildIamPolicy(runOperations(config)).Statement.flatMap((s) => s.Action);
  const createTagActions = (config: Config) =>
    buildIamPolicy(runOperations(config)).Statement.find((s) => s.Action.includes('ec2:CreateTags'))
      ?.Condition;

  it('grants a plain volume policy its creates, deletes and reads only', () => {
    // Prepare
    const config = configOf({});

    // Act
    const actions = actionsOf(config);

    // Assess
    expect(actions).toContain('ec2:CreateSnapshot');
    expect(actions).toContain('ec2:DeleteSnapshot');
    for (const absent of [
      'ec2:CreateSnapshots',
      'ec2:StopInstances',
      'ec2:StartInstances',
      'ec2:DeleteTags',
      'autoscaling:EnterStandby',
      'autoscaling:DescribeAutoScalingInstances',
      'ec2:CopySnapshot',
      'kms:CreateGrant',
    ])
      expect(actions).not.toContain(absent);
    expect(createTagActions(config)).toEqual({ StringEquals: { 'ec2:CreateAction': ['CreateSnapshot'] } });
  });

  it('adds instance tagging, stop/start and Standby only with stop_instance', () => {
    // Prepare
    const config = configOf({}, { stopInstance: true, consistency: 'instance' });

    // Act
    const actions = actionsOf(config);

    // Assess
    for (const present of [
      'ec2:CreateSnapshots',
      'ec2:StopInstances',
      'ec2:StartInstances',
      'ec2:DeleteTags',
      'autoscaling:EnterStandby',
      'autoscaling:ExitStandby',
      'autoscaling:DescribeAutoScalingInstances',
    ])
      expect(actions).toContain(present);
    expect(createTagActions(config)).toEqual({
      StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CreateSnapshots'] },
    });
  });

  it('adds CopySnapshot only with copy_to, and KMS only with a kms_key_id', () => {
    // Prepare
    const copies: Config = {
      ...configOf({}),
      policies: [
        { ...configOf({}).policies[0]!, copyTo: [{ region: 'us-west-2', retention: DEFAULT_RETENTION }] },
      ],
    };
    const encrypted: Config = {
      ...copies,
      policies: [
        {
          ...copies.policies[0]!,
          copyTo: [{ region: 'us-west-2', retention: DEFAULT_RETENTION, kmsKeyId: 'alias/b' }],
        },
      ],
    };

    // Act
    const [plain, copying, keyed] = [configOf({}), copies, encrypted].map(actionsOf);

    // Assess
    expect(plain).not.toContain('ec2:CopySnapshot');
    expect(copying).toContain('ec2:CopySnapshot');
    expect(copying).not.toContain('kms:CreateGrant');
    expect(keyed).toContain('kms:CreateGrant');
    expect(createTagActions(copies)).toEqual({
      StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CopySnapshot'] },
    });
  });

  it('adds the drills only with drill, and attach and SSM only with check: ssm', () => {
    // Prepare
    const plain = configOf({});
    const drill = (check: 'available' | 'ssm'): Config => ({
      ...plain,
      policies: [
        {
          ...plain.policies[0]!,
          drill: { everyMs: 1, everySource: '1d', sample: 1, check, timeoutMs: 7_200_000, commands: [] },
        },
      ],
    });

    // Act
    const none = actionsOf(plain);
    const available = actionsOf(drill('available'));
    const ssm = actionsOf(drill('ssm'));

    // Assess
    for (const action of ['ec2:CreateVolume', 'ec2:DeleteVolume', 'ec2:DescribeVolumeStatus'])
      expect([action, none.includes(action), available.includes(action)]).toEqual([action, false, true]);
    for (const action of ['ec2:AttachVolume', 'ssm:SendCommand', 'ssm:GetCommandInvocation'])
      expect([action, available.includes(action), ssm.includes(action)]).toEqual([action, false, true]);
  });

  it('grants everything without a config', () => {
    expect(runOperations()).toBe(AWS_OPERATIONS);
  });
});

describe('runOperations for locks, vault copies and the Recycle Bin (SPEC §14)', () => {
  const config = (policies: Config['policies']): Config => ({
    version: 1,
    settings: { organization: false, guard: {} },
    policies,
  });
  const actionsOf = (c?: Config) => buildIamPolicy(runOperations(c)).Statement.flatMap((s) => s.Action);

  it('adds LockSnapshot only with a lock, and sharing only with a vault target, for exactly its accounts', () => {
    // Prepare
    const plain = policy({ id: 'web', select: { volumes: { 'tag:B': 'x' } } });
    const locked = { ...plain, snapshot: { ...plain.snapshot, lock: { mode: 'compliance' as const } } };
    const vaulted = {
      ...plain,
      vaultTo: [{ account: '222222222222', roleName: 'ebs-snapper-member', retention: DEFAULT_RETENTION }],
    };

    // Act
    const none = actionsOf(config([plain]));
    const withLock = actionsOf(config([locked]));
    const share = buildIamPolicy(runOperations(config([vaulted]))).Statement.find(
      (s) => s.Sid === 'ShareWithVault',
    );

    // Assess
    expect(none).not.toContain('ec2:LockSnapshot');
    expect(none).not.toContain('ec2:ModifySnapshotAttribute');
    expect(none).toContain('rbin:ListRules');
    expect(none).not.toContain('ec2:RestoreSnapshotFromRecycleBin');
    expect(withLock).toContain('ec2:LockSnapshot');
    expect(share?.Condition).toEqual({
      StringLike: { 'aws:ResourceTag/ebs-snapper:policy': '*' },
      StringEquals: { 'ec2:Add/userId': ['222222222222'] },
      Null: { 'ec2:Add/group': 'true' },
    });
  });
});
