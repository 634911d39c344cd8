/** `ebs-snapper iam-policy`: the least-privilege IAM policy, derived from each operation's declared actions. */
import { AWS_OPERATIONS, buildIamPolicy } from '../../aws/iam.js';
import type { CommandOutcome } from '../exit.js';
import type { CliIo } from '../io.js';

export function iamPolicyCommand(io: CliIo): CommandOutcome {
  io.stdout.write(`${JSON.stringify(buildIamPolicy(AWS_OPERATIONS), null, 2)}\n`);
  return { failed: false, changes: false };
}
