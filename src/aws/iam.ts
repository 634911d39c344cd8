/**
 * The IAM actions of every AWS adapter operation, declared next to the code that needs them, and
 * the least-privilege policy document derived from them (`ebs-snapper iam-policy`).
 */
import type { IamDeclaration } from '../app/kit/ports.js';
import { TAG } from '../core/model.js';
import { BUILTIN_FSFREEZE, type Config } from '../core/policy/types.js';
import { DRILL_OPERATIONS } from './iam-drills.js';

/**
 * What of the policy language an operation serves: `iam-policy -c FILE` grants an operation only
 * when the file's policies use its feature (operations without one serve every run).
 */
export const RUN_FEATURES = [
  'volume-snapshots',
  'instance-sets',
  'copies',
  'encrypted-copies',
  'stop-instance',
  'application-consistent',
  'drills',
  'drills-ssm',
  // SPEC §14: LockSnapshot with `lock`; sharing with vault accounts with `copy_to` entries that name one.
  'locks',
  'vault-copies',
  // `ebs-snapper undo`: never a run's, so `iam-policy -c` and the deployed roles leave it out.
  'undo',
] as const;
export type RunFeature = (typeof RUN_FEATURES)[number];

/** An {@link IamDeclaration} that may narrow its resources (ARN patterns; `{partition}` is filled in). */
export interface AwsOperation extends IamDeclaration {
  /** Default `["*"]` (Describe*, STS and Auto Scaling reads support no resource-level permissions). */
  readonly resources?: readonly string[];
  /** Needed only by configs that use this feature. */
  readonly feature?: RunFeature;
}

const SNAPSHOT_ARN = 'arn:{partition}:ec2:*::snapshot/*';
const VOLUME_ARN = 'arn:{partition}:ec2:*:*:volume/*';
const INSTANCE_ARN = 'arn:{partition}:ec2:*:*:instance/*';
const ASG_ARN = 'arn:{partition}:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*';
/** The document the built-in fsfreeze scripts are sent through (AWS's own: no account in its ARN). */
const RUN_SHELL_SCRIPT_ARN = 'arn:{partition}:ssm:*::document/AWS-RunShellScript';
/** Any document of the account's (a config not known: the deployed roles, `iam-policy` without -c). */
const ANY_DOCUMENT_ARN = 'arn:{partition}:ssm:*:*:document/*';
const SEND_TO_DOCUMENTS = 'send-freeze-scripts';

const KMS_OPERATION = 'copy-encrypted';
const TAG_ON_CREATE = 'tag-on-create';
const SHARE = 'share-with-vault';
const OWNED = { [`aws:ResourceTag/${TAG.policy}`]: '*' } as const;

/** The create calls whose TagSpecifications `tag-on-create` allows, by the feature that makes them. */
const CREATE_ACTIONS: readonly { readonly action: string; readonly feature: RunFeature }[] = [
  { action: 'CreateSnapshot', feature: 'volume-snapshots' },
  { action: 'CreateSnapshots', feature: 'instance-sets' },
  { action: 'CopySnapshot', feature: 'copies' },
];

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
  {
    operation: 'create-snapshot',
    actions: ['ec2:CreateSnapshot'],
    resources: [VOLUME_ARN, SNAPSHOT_ARN],
    feature: 'volume-snapshots',
  },
  {
    operation: 'create-snapshots',
    actions: ['ec2:CreateSnapshots'],
    resources: [INSTANCE_ARN, VOLUME_ARN, SNAPSHOT_ARN],
    feature: 'instance-sets',
  },
  {
    // TagSpecifications need ec2:CreateTags, allowed here only as part of the create itself.
    operation: TAG_ON_CREATE,
    actions: ['ec2:CreateTags'],
    resources: [SNAPSHOT_ARN],
    condition: { StringEquals: { 'ec2:CreateAction': CREATE_ACTIONS.map((c) => c.action) } },
  },
  // copy_to (SPEC §6a): CopySnapshot is called in the destination; the copy is tagged as it is made.
  { operation: 'copy-snapshot', actions: ['ec2:CopySnapshot'], resources: [SNAPSHOT_ARN], feature: 'copies' },
  {
    // kms_key_id: EC2 uses the key on the tool's behalf, and only EC2 may.
    operation: KMS_OPERATION,
    feature: 'encrypted-copies',
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
    feature: 'stop-instance',
  },
  {
    operation: 'stop-start-instance',
    actions: ['ec2:StopInstances', 'ec2:StartInstances'],
    resources: [INSTANCE_ARN],
    condition: { StringLike: { [`ec2:ResourceTag/${TAG.stoppedBy}`]: '*' } },
    feature: 'stop-instance',
  },
  {
    operation: 'standby',
    actions: ['autoscaling:EnterStandby', 'autoscaling:ExitStandby'],
    resources: [ASG_ARN],
    feature: 'stop-instance',
  },
  {
    operation: 'instance-lifecycle',
    actions: ['autoscaling:DescribeAutoScalingInstances'],
    feature: 'stop-instance',
  },
  // consistency: application (SPEC §15): the tool tags an instance before its pre script and can
  // send scripts only to instances that carry that tag, and only the configured documents
  // (`runOperations` narrows them to a config's). SendCommand authorizes the instance and the
  // document apart, so they are two statements: a tag condition would fail on the document.
  {
    operation: 'mark-frozen',
    actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
    resources: [INSTANCE_ARN],
    condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [TAG.frozenBy, TAG.frozenPolicy] } },
    feature: 'application-consistent',
  },
  {
    operation: 'send-freeze-scripts-to-instances',
    actions: ['ssm:SendCommand'],
    resources: [INSTANCE_ARN],
    condition: { StringLike: { [`ssm:resourceTag/${TAG.frozenBy}`]: '*' } },
    feature: 'application-consistent',
  },
  {
    operation: SEND_TO_DOCUMENTS,
    actions: ['ssm:SendCommand'],
    resources: [RUN_SHELL_SCRIPT_ARN, ANY_DOCUMENT_ARN],
    feature: 'application-consistent',
  },
  {
    operation: 'freeze-script-state',
    actions: ['ssm:GetCommandInvocation', 'ssm:DescribeInstanceInformation'],
    feature: 'application-consistent',
  },
  // Restore drills (docs/drills.md): volumes made only with the drill's tags, changed and deleted
  // only when they carry ebs-snapper:drill-of, and results only on the tool's snapshots.
  ...DRILL_OPERATIONS,
  // SPEC §14. Locks only on the tool's snapshots (tagged at creation, so a new one qualifies at once).
  {
    operation: 'lock-snapshot',
    actions: ['ec2:LockSnapshot'],
    resources: [SNAPSHOT_ARN],
    condition: { StringLike: OWNED },
    feature: 'locks',
  },
  // What the Recycle Bin keeps of each delete: every run reads the rules (they cost nothing to read).
  { operation: 'recycle-bin-rules', actions: ['rbin:ListRules', 'rbin:GetRule'] },
  { operation: 'recycle-bin-contents', actions: ['ec2:ListSnapshotsInRecycleBin'] },
  {
    // Shares only the tool's snapshots, only with an account id (never public: no group); with
    // `-c FILE` only with that file's vault accounts.
    operation: SHARE,
    actions: ['ec2:ModifySnapshotAttribute'],
    resources: [SNAPSHOT_ARN],
    condition: { StringLike: { ...OWNED, 'ec2:Add/userId': '*' }, Null: { 'ec2:Add/group': 'true' } },
    feature: 'vault-copies',
  },
  {
    operation: 'unshare-from-vault',
    actions: ['ec2:ModifySnapshotAttribute'],
    resources: [SNAPSHOT_ARN],
    condition: { StringLike: { ...OWNED, 'ec2:Remove/userId': '*' } },
    feature: 'vault-copies',
  },
  {
    operation: 'restore-from-bin',
    actions: ['ec2:RestoreSnapshotFromRecycleBin'],
    resources: [SNAPSHOT_ARN],
    feature: 'undo',
  },
] as const satisfies readonly AwsOperation[];

/**
 * The vault role's own operations (SPEC §14, `deploy member --vault`): list (and see the bin),
 * copy in what a source shares (tagged as it is made, with the vault's KMS key), lock its copies,
 * delete its copies (the tool's tag only). Nothing else: it snapshots nothing and stops nothing.
 * Whoever can assume it could delete its copies; `lock` in compliance mode is what stops that.
 */
export const VAULT_OPERATIONS: readonly AwsOperation[] = AWS_OPERATIONS.filter((op) =>
  [
    'collect',
    'regions',
    'account',
    'copy-snapshot',
    KMS_OPERATION,
    'delete-snapshot',
    'lock-snapshot',
    'recycle-bin-rules',
    'recycle-bin-contents',
  ].includes(op.operation),
).concat([
  {
    operation: TAG_ON_CREATE,
    actions: ['ec2:CreateTags'],
    resources: [SNAPSHOT_ARN],
    condition: { StringEquals: { 'ec2:CreateAction': ['CopySnapshot'] } },
  },
]);

/**
 * The features `config`'s policies use: how they create (one snapshot per volume, or one set per
 * instance), whether they copy (with a key of their own), whether they stop instances.
 */
export function featuresOf(config: Config): ReadonlySet<RunFeature> {
  const features = new Set<RunFeature>();
  for (const policy of config.policies) {
    features.add(policy.snapshot.consistency === 'volume' ? 'volume-snapshots' : 'instance-sets');
    if (policy.snapshot.stopInstance) features.add('stop-instance');
    if (policy.copyTo.length > 0) features.add('copies');
    if (policy.copyTo.some((target) => target.kmsKeyId !== undefined)) features.add('encrypted-copies');
    if (policy.snapshot.scripts !== undefined) features.add('application-consistent');
    if (policy.drill !== undefined) features.add('drills');
    if (policy.drill?.check === 'ssm') features.add('drills-ssm');
    const locks = [policy.snapshot.lock, ...policy.copyTo.map((t) => t.lock)].some((l) => l !== undefined);
    if (locks) features.add('locks');
    if ((policy.vaultTo ?? []).length > 0) features.add('vault-copies');
  }
  return features;
}

/**
 * The documents `config`'s scripts are: `AWS-RunShellScript` for the built-in `fsfreeze`, a name
 * as a document of any region of the account, an ARN as it is.
 */
function documentArnsOf(config: Config): string[] {
  const arns = new Set<string>();
  for (const policy of config.policies) {
    const scripts = policy.snapshot.scripts;
    if (scripts === undefined) continue;
    for (const document of [scripts.pre, scripts.post]) {
      if (document === BUILTIN_FSFREEZE) arns.add(RUN_SHELL_SCRIPT_ARN);
      else if (document.startsWith('arn:')) arns.add(document);
      else arns.add(`arn:{partition}:ssm:*:*:document/${document}`);
    }
  }
  return [...arns].sort();
}

/**
 * What a run needs for `config`: the operations every run makes, and those of the features its
 * policies use — no instance tagging or stop/start without `stop_instance`, no CopySnapshot without
 * `copy_to`, no KMS without a `kms_key_id`; tags only on the creates it makes. Without a config,
 * the policy for any config.
 *
 * @example buildIamPolicy(runOperations(config))
 */
export function runOperations(config?: Config): readonly AwsOperation[] {
  if (config === undefined) return AWS_OPERATIONS;
  const vaults = [...new Set(config.policies.flatMap((p) => (p.vaultTo ?? []).map((t) => t.account)))].sort();
  return featureOperations(featuresOf(config), documentArnsOf(config), vaults);
}

/**
 * The operations of a run that uses `features` (and those every run makes): what a deployed
 * worker role holds when the stack was deployed with a config (`deploy --config`). `documents`
 * narrows the SSM documents freeze scripts may run; by default any of the account's (a config
 * pushed later may name another).
 *
 * @example buildIamPolicy(featureOperations(new Set(['volume-snapshots'])))
 */
export function featureOperations(
  features: ReadonlySet<RunFeature>,
  documents: readonly string[] = [RUN_SHELL_SCRIPT_ARN, ANY_DOCUMENT_ARN],
  vaults?: readonly string[],
): readonly AwsOperation[] {
  const creates = CREATE_ACTIONS.filter((c) => features.has(c.feature)).map((c) => c.action);
  const vaultAccounts = vaults ?? [];
  return AWS_OPERATIONS.filter((op) => !('feature' in op) || features.has(op.feature)).map((op) => {
    if (op.operation === TAG_ON_CREATE)
      return { ...op, condition: { StringEquals: { 'ec2:CreateAction': creates } } };
    if (op.operation === SEND_TO_DOCUMENTS) return { ...op, resources: documents };
    if (op.operation === SHARE && vaults !== undefined)
      return {
        ...op,
        condition: {
          StringLike: OWNED,
          StringEquals: { 'ec2:Add/userId': vaultAccounts },
          Null: { 'ec2:Add/group': 'true' },
        },
      };
    return op;
  });
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
