/**
 * What the deployed functions call besides a run's EC2 work (SPEC §10), declared like
 * `AWS_OPERATIONS` next to the adapters that need them. `deploy` builds the functions' roles
 * from these and `AWS_OPERATIONS` (one source of truth with `iam-policy`).
 *
 * Resources name the stack's own resources by placeholder — `{table}`, `{queue}` — and the member
 * role by `{member-role}` (its name in every account): the template fills them in.
 */
import { type AllowedFeatures, EVERY_FEATURE } from './deployed-features.js';
import {
  AWS_OPERATIONS,
  type AwsOperation,
  featureOperations,
  RUN_FEATURES,
  type RunFeature,
} from './iam.js';

const TABLE = '{table}';

/** `ebs-snapper undo`'s restore is an operator's act from the CLI: no deployed role needs it. */
export const isUndo = (op: AwsOperation): boolean => 'feature' in op && op.feature === 'undo';
const QUEUE = '{queue}';
/** The solo queue: targets with work a batch of the work queue found (SPEC §16). */
const SOLO_QUEUE = '{solo-queue}';
/**
 * Any topic: `settings.notify.sns_topic_arn` may name a topic in any region and account, and a
 * config can be pushed after the deploy that made the role, so no narrower list can be known here.
 * What it allows is bounded all the same: a topic of another account takes the message only if its
 * own access policy grants this role, and a message holds a run's counts and failures, no secret.
 * The deployment's own topic (`EBS_SNAPPER_TOPIC_ARN`) is one of these.
 */
const ANY_TOPIC = 'arn:{partition}:sns:*:*:*';
const MEMBER_ROLE = 'arn:{partition}:iam::*:role/{member-role}';

/** The table: configs read (and written by `config push`), leases, recent creates, run records, handoffs. */
const TABLE_OPERATIONS = [
  { operation: 'config-read', actions: ['dynamodb:GetItem'], resources: [TABLE] },
  { operation: 'lease', actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], resources: [TABLE] },
  {
    operation: 'recent-creates',
    actions: ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
    resources: [TABLE],
  },
  { operation: 'run-record', actions: ['dynamodb:PutItem', 'dynamodb:Query'], resources: [TABLE] },
  { operation: 'handoff', actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], resources: [TABLE] },
] as const satisfies readonly AwsOperation[];

const SEND_WORK = { operation: 'send-work', actions: ['sqs:SendMessage'], resources: [QUEUE] } as const;
const NOTIFY = { operation: 'notify', actions: ['sns:Publish'], resources: [ANY_TOPIC] } as const;
const ASSUME_MEMBER = {
  operation: 'assume-member-role',
  actions: ['sts:AssumeRole'],
  resources: [MEMBER_ROLE],
} as const;
const IDENTITY = { operation: 'account', actions: ['sts:GetCallerIdentity'] } as const;

/**
 * The worker: a run in its own account (the run operations, AssumeRole narrowed to the member
 * role), the table, continuations, notifications, and the SQS event source's own calls. A stack
 * deployed with a config (`deploy --config`) runs only what the config's features need.
 *
 * @example buildIamPolicy(workerOperations(new Set(['volume-snapshots'])))
 */
export function workerOperations(features: AllowedFeatures = EVERY_FEATURE): readonly AwsOperation[] {
  const run =
    features === EVERY_FEATURE
      ? AWS_OPERATIONS
      : featureOperations(new Set(RUN_FEATURES.filter((f: RunFeature) => features.has(f))));
  // `undo` is never a run's: a deployed role cannot restore from the Recycle Bin.
  return [...run.filter((op) => op.operation !== 'assume-role' && !isUndo(op)), ...WORKER_OWN_OPERATIONS];
}

/** What the worker calls besides a run's operations. */
const WORKER_OWN_OPERATIONS: readonly AwsOperation[] = [
  ...TABLE_OPERATIONS,
  SEND_WORK,
  { operation: 'forward-work', actions: ['sqs:SendMessage'], resources: [SOLO_QUEUE] },
  {
    operation: 'receive-work',
    actions: [
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:ChangeMessageVisibility',
    ],
    resources: [QUEUE, SOLO_QUEUE],
  },
  // The empty check of a target in a batch: one page of volumes, one of the policies' snapshots.
  { operation: 'glance-target', actions: ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots'] },
  NOTIFY,
  ASSUME_MEMBER,
  // settings.organization: true — is the work item's account one of the organization's?
  { operation: 'organization-member', actions: ['organizations:DescribeAccount'] },
];

/** The worker of a stack deployed without a config: every feature. */
export const WORKER_OPERATIONS: readonly AwsOperation[] = workerOperations();

/** The fan-out: the config, accounts (Organizations), regions (through the member role), messages. */
export const FANOUT_OPERATIONS: readonly AwsOperation[] = [
  { operation: 'config-read', actions: ['dynamodb:GetItem'], resources: [TABLE] },
  // Each run's targets and failures, for `status` (one item per run, more for the largest).
  { operation: 'run-index', actions: ['dynamodb:PutItem'], resources: [TABLE] },
  // Each chunk of a run's targets claimed, then marked queued: a retried fan-out sends only the rest;
  // the run marked queued whole, read first by a retried fan-out.
  { operation: 'fan-out-marks', actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [TABLE] },
  { operation: 'organization-accounts', actions: ['organizations:ListAccounts'] },
  { operation: 'regions', actions: ['ec2:DescribeRegions'] },
  IDENTITY,
  SEND_WORK,
  NOTIFY,
  ASSUME_MEMBER,
];
