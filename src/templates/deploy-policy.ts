/**
 * `iam-policy --for deploy`: what the identity that runs `deploy` needs — the deploy adapters'
 * own calls (declared next to them) and what CloudFormation does with that identity's
 * credentials for each resource type of the hub and member templates (`PROVISIONING`).
 */
import { ARTIFACT_OPERATIONS } from '../aws/artifacts-bucket.js';
import { STACK_OPERATIONS } from '../aws/cloudformation-stacks.js';
import { FUNCTION_CODE_OPERATIONS } from '../aws/function-code.js';
import { type AwsOperation, buildIamPolicy, type IamPolicyDocument } from '../aws/iam.js';
import { KEPT_TABLE_OPERATIONS } from '../aws/kept-tables.js';
import { TOPIC_OPERATIONS } from '../aws/topic-subscriptions.js';
import type { CfnTemplate } from './cfn.js';
import { hubTemplate } from './hub-template.js';
import { memberTemplate } from './member-template.js';
import { DEFAULT_MEMBER_ROLE_NAME, DEFAULT_STACK_NAME } from './names.js';
import { PROVISIONING } from './provisioning.js';

/** The calls `deploy` and `deploy member` make themselves. */
const DEPLOY_CALL_OPERATIONS: readonly AwsOperation[] = [
  { operation: 'account', actions: ['sts:GetCallerIdentity'] },
  // deploy member --role-arn: a role in each member account that may deploy the member stack.
  {
    operation: 'assume-deploy-role',
    actions: ['sts:AssumeRole'],
    resources: ['arn:{partition}:iam::*:role/*'],
  },
  ...STACK_OPERATIONS,
  ...ARTIFACT_OPERATIONS,
  ...FUNCTION_CODE_OPERATIONS,
  // A stack made anew finds the table an earlier one of its name kept.
  ...KEPT_TABLE_OPERATIONS,
  // deploy --notify-email: the topic's subscriptions read, and each new address subscribed.
  ...TOPIC_OPERATIONS,
  // deploy --config: the stored config read, and the file pushed when it differs.
  {
    operation: 'config-push',
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    resources: ['arn:{partition}:dynamodb:*:*:table/{stack}-*'],
  },
];

/**
 * The provisioning operations of every resource type in `templates`; a type without a
 * declaration is a bug, caught here rather than as an AccessDenied halfway through a deploy.
 */
export function provisioningOf(templates: readonly CfnTemplate[]): AwsOperation[] {
  const types = new Set(templates.flatMap((t) => Object.values(t.Resources).map((r) => r.Type)));
  return [...types].sort().flatMap((type) => {
    const operations = PROVISIONING[type];
    if (operations === undefined) throw new Error(`no IAM provisioning declared for ${type}`);
    return operations;
  });
}

export interface DeployPolicyOptions {
  /** Default `ebs-snapper`. */
  readonly stackName?: string;
  /** Default `ebs-snapper-member`. */
  readonly memberRoleName?: string;
  readonly partition?: string;
}

/**
 * @example JSON.stringify(deployIamPolicy(), null, 2) // what `iam-policy --for deploy` prints
 */
export function deployIamPolicy(options: DeployPolicyOptions = {}): IamPolicyDocument {
  const names: Record<string, string> = {
    '{stack}': options.stackName ?? DEFAULT_STACK_NAME,
    '{member-role}': options.memberRoleName ?? DEFAULT_MEMBER_ROLE_NAME,
  };
  const operations = [...DEPLOY_CALL_OPERATIONS, ...provisioningOf([hubTemplate(), memberTemplate()])].map(
    (op) => ({
      ...op,
      ...(op.resources === undefined
        ? {}
        : { resources: op.resources.map((r) => r.replace(/\{stack\}|\{member-role\}/g, (p) => names[p]!)) }),
    }),
  );
  return buildIamPolicy(operations, options.partition === undefined ? {} : { partition: options.partition });
}
