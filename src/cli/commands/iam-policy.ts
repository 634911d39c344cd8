/**
 * `ebs-snapper iam-policy`: the least-privilege IAM policy, derived from each operation's declared
 * actions — for a run (`--for run`) or for the identity that deploys (`--for deploy`).
 */
import { AWS_OPERATIONS, buildIamPolicy } from '../../aws/iam.js';
import { deployIamPolicy } from '../../deploy/deploy-policy.js';
import type { CommandOutcome } from '../exit.js';
import type { CliIo } from '../io.js';

export const IAM_POLICY_USES = ['run', 'deploy'] as const;
export type IamPolicyUse = (typeof IAM_POLICY_USES)[number];

export function iamPolicyCommand(io: CliIo, use: IamPolicyUse = 'run'): CommandOutcome {
  const policy = use === 'deploy' ? deployIamPolicy() : buildIamPolicy(AWS_OPERATIONS);
  io.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
  return { failed: false, changes: false };
}
