/**
 * The IAM declarations of restore drills (docs/drills.md), with their features: `drills` for every
 * config with a `drill` key, `drills-ssm` for the `ssm` check. Least privilege by condition:
 *
 * - a volume can be made only carrying `ebs-snapper:drill-of`, from a snapshot carrying the
 *   ownership tag, with no tag but the drill's at creation;
 * - a volume can be re-tagged (its step), detached and deleted only when it carries `drill-of`;
 * - a snapshot can get only the `drill-*` keys, and only when it carries the ownership tag.
 *
 * Attach and detach also name the instance (EC2 authorizes both resources); the volume's
 * condition is what keeps them to drill volumes.
 */
import { DRILL_TAG, SNAPSHOT_DRILL_KEYS, VOLUME_STEP_KEYS } from '../core/drills/tags.js';
import { TAG } from '../core/model.js';
import type { AwsOperation } from './iam.js';

const SNAPSHOT_ARN = 'arn:{partition}:ec2:*::snapshot/*';
const VOLUME_ARN = 'arn:{partition}:ec2:*:*:volume/*';
const INSTANCE_ARN = 'arn:{partition}:ec2:*:*:instance/*';
const RUN_SHELL_SCRIPT = 'arn:{partition}:ssm:*::document/AWS-RunShellScript';

/** The tags a drill volume is made with (start.ts). */
const CREATE_KEYS = [DRILL_TAG.of, TAG.policy, TAG.runId, DRILL_TAG.started, DRILL_TAG.step, 'Name'];

const DRILL_VOLUME = { StringLike: { [`ec2:ResourceTag/${DRILL_TAG.of}`]: 'snap-*' } } as const;

export const DRILL_OPERATIONS = [
  {
    operation: 'drill-create-volume',
    actions: ['ec2:CreateVolume'],
    resources: [VOLUME_ARN],
    condition: { StringLike: { [`aws:RequestTag/${DRILL_TAG.of}`]: 'snap-*' } },
    feature: 'drills',
  },
  {
    operation: 'drill-restore-snapshot',
    actions: ['ec2:CreateVolume'],
    resources: [SNAPSHOT_ARN],
    condition: { StringLike: { [`ec2:ResourceTag/${TAG.policy}`]: '*' } },
    feature: 'drills',
  },
  {
    operation: 'drill-tag-on-create',
    actions: ['ec2:CreateTags'],
    resources: [VOLUME_ARN],
    condition: {
      StringEquals: { 'ec2:CreateAction': 'CreateVolume' },
      'ForAllValues:StringEquals': { 'aws:TagKeys': CREATE_KEYS },
    },
    feature: 'drills',
  },
  {
    operation: 'drill-step',
    actions: ['ec2:CreateTags'],
    resources: [VOLUME_ARN],
    condition: { ...DRILL_VOLUME, 'ForAllValues:StringEquals': { 'aws:TagKeys': [...VOLUME_STEP_KEYS] } },
    feature: 'drills',
  },
  {
    operation: 'drill-result',
    actions: ['ec2:CreateTags'],
    resources: [SNAPSHOT_ARN],
    condition: {
      StringLike: { [`ec2:ResourceTag/${TAG.policy}`]: '*' },
      'ForAllValues:StringEquals': { 'aws:TagKeys': [...SNAPSHOT_DRILL_KEYS] },
    },
    feature: 'drills',
  },
  {
    operation: 'drill-clean-up',
    actions: ['ec2:DeleteVolume', 'ec2:DetachVolume'],
    resources: [VOLUME_ARN],
    condition: DRILL_VOLUME,
    feature: 'drills',
  },
  {
    operation: 'drill-detach-from',
    actions: ['ec2:DetachVolume'],
    resources: [INSTANCE_ARN],
    feature: 'drills',
  },
  { operation: 'drill-status', actions: ['ec2:DescribeVolumeStatus'], feature: 'drills' },
  {
    // Volumes of snapshots encrypted under a customer managed key: EC2 uses the key, and only EC2.
    operation: 'drill-encrypted',
    actions: [
      'kms:CreateGrant',
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:GenerateDataKeyWithoutPlaintext',
      'kms:ReEncryptFrom',
      'kms:ReEncryptTo',
    ],
    condition: { StringLike: { 'kms:ViaService': 'ec2.*.amazonaws.com' } },
    feature: 'drills',
  },
  {
    operation: 'drill-attach',
    actions: ['ec2:AttachVolume'],
    resources: [VOLUME_ARN],
    condition: DRILL_VOLUME,
    feature: 'drills-ssm',
  },
  {
    operation: 'drill-attach-to',
    actions: ['ec2:AttachVolume'],
    resources: [INSTANCE_ARN],
    feature: 'drills-ssm',
  },
  {
    operation: 'drill-check-command',
    actions: ['ssm:SendCommand'],
    resources: [RUN_SHELL_SCRIPT, INSTANCE_ARN],
    feature: 'drills-ssm',
  },
  {
    operation: 'drill-check-read',
    actions: ['ssm:GetCommandInvocation', 'ssm:DescribeInstanceInformation'],
    feature: 'drills-ssm',
  },
] as const satisfies readonly AwsOperation[];
