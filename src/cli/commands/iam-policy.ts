/**
 * `ebs-snapper iam-policy`: the least-privilege IAM policy, derived from each operation's declared
 * actions — for a run (`--for run`) or for the identity that deploys (`--for deploy`).
 */
import { buildIamPolicy, runOperations } from '../../aws/iam.js';
import type { CommandOutcome } from '../exit.js';
import type { CliIo } from '../io.js';
import { loadConfigFile } from '../load-config.js';

export const IAM_POLICY_USES = ['run', 'deploy'] as const;
export type IamPolicyUse = (typeof IAM_POLICY_USES)[number];

/**
 * With `--config FILE` (run only), the policy for what that file uses (`runOperations`): instance
 * tagging, stop/start and Standby only with `stop_instance`, CopySnapshot only with `copy_to`, KMS only
 * with a `kms_key_id`, CreateSnapshots only with `consistency: instance`. The file is validated first.
 */
export async function iamPolicyCommand(
  io: CliIo,
  use: IamPolicyUse = 'run',
  configFile?: string,
): Promise<CommandOutcome> {
  const config = configFile === undefined ? undefined : (await loadConfigFile(configFile, io.clock())).config;
  // The deploy policy is built from the templates and the deploy adapters (SDK code): loaded for it only.
  const policy =
    use === 'deploy'
      ? (await import('../../templates/deploy-policy.js')).deployIamPolicy()
      : buildIamPolicy(runOperations(config));
  io.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
  return { failed: false, changes: false };
}
