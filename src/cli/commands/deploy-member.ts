/**
 * `ebs-snapper deploy member` (SPEC §11): the role the hub's workers assume, in each account
 * given by `--role-arn` (or the current credentials' account), and/or its template written for
 * CloudFormation StackSets with `--template-out`.
 */
import { writeFile } from 'node:fs/promises';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { deployMembers, type MemberTarget } from '../../app/deploy/deploy-member.js';
import { assumeRoleCredentials, whoAmI } from '../../aws/clients.js';
import { createStackPort } from '../../aws/cloudformation-stacks.js';
import { createDeployClients } from '../../aws/deploy-clients.js';
import { count } from '../../core/plural.js';
import { templateBody } from '../../templates/cfn.js';
import { memberTemplate } from '../../templates/member-template.js';
import { memberStackName } from '../../templates/names.js';
import { checkDeployMemberOptions, type DeployMemberOptions, deployTarget } from '../deploy-options.js';
import type { CommandOutcome } from '../exit.js';
import type { CliIo } from '../io.js';
import { checkWritable } from '../options.js';
import { deployProgress, memberDeployDocument, renderMemberDeploy } from '../render/deploy.js';
import { homeRegion } from '../targets.js';

export async function deployMemberCommand(options: DeployMemberOptions, io: CliIo): Promise<CommandOutcome> {
  checkDeployMemberOptions(options);
  if (options.templateOut !== undefined) await checkWritable(options.templateOut, '--template-out');
  const template = memberTemplate({
    hubAccount: options.hubAccount,
    hubStackName: options.hubStackName,
    roleName: options.roleName,
    ...(options.vault === true ? { vault: true } : {}),
  });
  if (options.templateOut !== undefined) {
    await writeFile(options.templateOut, `${JSON.stringify(template, null, 2)}\n`);
    io.stderr.write(`wrote the member template to ${options.templateOut} (for CloudFormation StackSets)\n`);
    // Only the file was asked for: nothing to deploy.
    if (options.roleArn === undefined) {
      if (options.output === 'json')
        io.stdout.write(`${JSON.stringify(memberDeployDocument([], options.templateOut), null, 2)}\n`);
      return { failed: false, changes: true };
    }
  }
  const reports = await deployMembers(
    memberTargets(options, io),
    {
      name: memberStackName(options.roleName),
      templateBody: templateBody(template),
      // The defaults are written into the template; the values are given anyway, so a stack made
      // from another template (StackSets) is compared on its values.
      parameters: {
        HubAccountId: options.hubAccount,
        HubStackName: options.hubStackName,
        RoleName: options.roleName,
      },
    },
    options.dryRun === true,
    deployProgress(io),
  );
  io.stdout.write(
    options.output === 'json'
      ? `${JSON.stringify(memberDeployDocument(reports, options.templateOut), null, 2)}\n`
      : renderMemberDeploy(reports),
  );
  const failed = reports.filter((r) => r.outcome === 'failed');
  if (failed.length > 0)
    io.stderr.write(`Error: ${failed.length} of ${count(reports.length, 'member stack')} failed\n`);
  return { failed: failed.length > 0, changes: reports.some((r) => r.outcome !== 'unchanged') };
}

function memberTargets(options: DeployMemberOptions, io: CliIo): MemberTarget[] {
  const base = deployTarget(options, io);
  const roles = options.roleArn ?? [];
  if (roles.length === 0) return [targetFor('default credentials', createDeployClients(base, io.env))];
  // STS in the stack's region: what `--region` says, or the chain's.
  const region = homeRegion(options.region === undefined ? {} : { region: [options.region] }, io.env);
  return roles.map((roleArn) => {
    const credentials = sharedCredentials(
      assumeRoleCredentials(roleArn, {
        region,
        sessionName: 'ebs-snapper-deploy',
        ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
        ...(options.profile === undefined ? {} : { profile: options.profile }),
        ...(base.timeouts === undefined ? {} : { timeouts: base.timeouts }),
      }),
    );
    return targetFor(roleArn, createDeployClients({ ...base, region, credentials }, io.env));
  });
}

function targetFor(label: string, clients: ReturnType<typeof createDeployClients>): MemberTarget {
  return {
    label,
    stacks: createStackPort(clients.cloudformation),
    account: async () => (await whoAmI(clients.sts)).account,
  };
}

/**
 * One AssumeRole for all of a target's clients (each SDK client would otherwise ask for its own),
 * asked again when the credentials are about to expire or the last attempt failed.
 */
function sharedCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (c: AwsCredentialIdentity) =>
    c.expiration === undefined || c.expiration.getTime() - Date.now() > 5 * 60_000;
  return async () => {
    const known = await current?.catch(() => undefined);
    if (known !== undefined && fresh(known)) return known;
    current = provider();
    return current;
  };
}
