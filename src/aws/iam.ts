/**
 * The IAM actions of every AWS adapter operation, declared next to the code that needs them, and
 * the least-privilege policy document derived from them (`ebs-snapper iam-policy`).
 */
import type { IamDeclaration } from '../app/kit/ports.js';
import { TAG } from '../core/model.js';
import type { Config } from '../core/policy/types.js';

/** An {@link IamDeclaration} that may narrow its resources (ARN patterns; `{partition}` is filled in). */
export interface AwsOperation extends IamDeclaration {
  /** Default `["*"]` (Describe*, STS and Auto Scaling reads support no resource-level permissions). */
  readonly resources?: readonly string[];
}

const SNAPSHOT_ARN = 'arn:{partition}:ec2:*::snapshot/*';
const VOLUME_ARN = 'arn:{partition}:ec2:*:*:volume/*';
const INSTANCE_ARN = 'arn:{partition}:ec2:*:*:instance/*';
const ASG_ARN = 'arn:{partition}:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*';

/** KMS through EC2: needed only by `copy_to` targets with `kms_key_id` (SPEC §6a). */
export const KMS_OPERATION = 'copy-encrypted';

/** Every call the AWS adapters make, by operation. */
export const AWS_OPERATIONS = [
  {
    operation: 'collect',
    actions: [
      'ec2:DescribeInstances',
      'ec2:DescribeVolumes',
      'ec2:DescribeSnapshots',
      'ec2:DescribeImages',
      // Delete safety: locked snapshots are kept, archived ones until their 90 days have passed.
      'ec2:DescribeLockedSnapshots',
      'ec2:DescribeSnapshotTierStatus',
      'autoscaling:DescribeAutoScalingGroups',
    ],
  },
  { operation: 'regions', actions: ['ec2:DescribeRegions'] },
  { operation: 'account', actions: ['sts:GetCallerIdentity'] },
  { operation: 'find-run-snapshots', actions: ['ec2:DescribeSnapshots'] },
  { operation: 'create-snapshot', actions: ['ec2:CreateSnapshot'], resources: [VOLUME_ARN, SNAPSHOT_ARN] },
  {
    operation: 'create-snapshots',
    actions: ['ec2:CreateSnapshots'],
    resources: [INSTANCE_ARN, VOLUME_ARN, SNAPSHOT_ARN],
  },
  {
    // TagSpecifications need ec2:CreateTags, allowed here only as part of the create itself.
    operation: 'tag-on-create',
    actions: ['ec2:CreateTags'],
    resources: [SNAPSHOT_ARN],
    condition: {
      StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CreateSnapshots', 'CopySnapshot'] },
    },
  },
  // copy_to (SPEC §6a): CopySnapshot is called in the destination; the copy is tagged as it is made.
  { operation: 'copy-snapshot', actions: ['ec2:CopySnapshot'], resources: [SNAPSHOT_ARN] },
  {
    // An encrypted source, or kms_key_id: EC2 uses the keys on the tool's behalf, and only EC2 may.
    operation: KMS_OPERATION,
    actions: [
      'kms:CreateGrant',
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKeyWithoutPlaintext',
      'kms:ReEncryptFrom',
      'kms:ReEncryptTo',
    ],
    condition: { StringLike: { 'kms:ViaService': 'ec2.*.amazonaws.com' } },
  },
  {
    // Only snapshots carrying the ownership tag (SPEC §3, §7).
    operation: 'delete-snapshot',
    actions: ['ec2:DeleteSnapshot'],
    resources: [SNAPSHOT_ARN],
    condition: { StringLike: { [`aws:ResourceTag/${TAG.policy}`]: '*' } },
  },
  { operation: 'assume-role', actions: ['sts:AssumeRole'] },
  // stop_instance (SPEC §6): the tool tags an instance before it stops it, and can stop or start
  // only instances that carry that tag; it can set and remove no other tag on an instance.
  {
    operation: 'mark-instance',
    actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
    resources: [INSTANCE_ARN],
    condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [TAG.stoppedBy, TAG.standbyBy] } },
  },
  {
    operation: 'stop-start-instance',
    actions: ['ec2:StopInstances', 'ec2:StartInstances'],
    resources: [INSTANCE_ARN],
    condition: { StringLike: { [`ec2:ResourceTag/${TAG.stoppedBy}`]: '*' } },
  },
  {
    operation: 'standby',
    actions: ['autoscaling:EnterStandby', 'autoscaling:ExitStandby'],
    resources: [ASG_ARN],
  },
  { operation: 'instance-lifecycle', actions: ['autoscaling:DescribeAutoScalingInstances'] },
] as const satisfies readonly AwsOperation[];

/**
 * What a run needs for `config`: every operation, less KMS when no `copy_to` target names a key.
 * Without a config, the policy for any config (KMS included).
 *
 * @example buildIamPolicy(runOperations(config))
 */
export function runOperations(config?: Config): readonly AwsOperation[] {
  const usesKms = config?.policies.some((p) => p.copyTo.some((t) => t.kmsKeyId !== undefined)) ?? true;
  return usesKms ? AWS_OPERATIONS : AWS_OPERATIONS.filter((op) => op.operation !== KMS_OPERATION);
}

export interface IamStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: string[];
  readonly Resource: string[] | '*';
  readonly Condition?: IamDeclaration['condition'];
}

export interface IamPolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: IamStatement[];
}

/**
 * One statement per distinct (resources, condition), actions deduplicated and sorted; statements in
 * the order their first operation appears, so the document is deterministic.
 *
 * @example
 * JSON.stringify(buildIamPolicy(AWS_OPERATIONS), null, 2);
 */
export function buildIamPolicy(
  operations: readonly AwsOperation[],
  options: { readonly partition?: string } = {},
): IamPolicyDocument {
  const partition = options.partition ?? 'aws';
  const groups = new Map<string, { operations: string[]; actions: Set<string>; op: AwsOperation }>();
  for (const op of operations) {
    const key = JSON.stringify([sortedResources(op), canonical(op.condition)]);
    const group = groups.get(key) ?? { operations: [], actions: new Set<string>(), op };
    group.operations.push(op.operation);
    for (const action of op.actions) group.actions.add(action);
    groups.set(key, group);
  }
  const sids = new Set<string>();
  const statements = [...groups.values()].map(({ operations: names, actions, op }) => {
    const resources = sortedResources(op).map((r) => r.replace('{partition}', partition));
    return {
      Sid: uniqueSid(sidOf(names), sids),
      Effect: 'Allow' as const,
      Action: [...actions].sort(),
      Resource: resources.length === 1 && resources[0] === '*' ? ('*' as const) : resources,
      ...(op.condition !== undefined && { Condition: op.condition }),
    };
  });
  return { Version: '2012-10-17', Statement: statements };
}

function sortedResources(op: AwsOperation): string[] {
  return [...new Set(op.resources ?? ['*'])].sort();
}

/** JSON with sorted keys, so equal conditions written in another order group together. */
function canonical(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function uniqueSid(sid: string, used: Set<string>): string {
  let candidate = sid;
  for (let n = 2; used.has(candidate); n += 1) candidate = `${sid}${n}`;
  used.add(candidate);
  return candidate;
}

/** `['create-snapshot', 'tag-on-create']` → `CreateSnapshotTagOnCreate` (Sids are alphanumeric). */
function sidOf(operationNames: readonly string[]): string {
  return operationNames
    .flatMap((name) => name.split(/[^A-Za-z0-9]+/))
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
