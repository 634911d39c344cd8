/**
 * Vault accounts from the CLI (SPEC §14): the clients that act as a vault (its role assumed from
 * the command's own credentials, once per vault), and the vault account × region pairs a run works
 * on — copies-only, through that role: the vault copies there are planned by their target's
 * retention and deleted only as the vault.
 */
import { receivingAccountsOf, vaultRegionsOf, vaultRoleOf } from '../app/kit/coverage.js';
import { type AwsClients, assumeRoleCredentials, createAwsClients } from '../aws/clients.js';
import { createEc2Port } from '../aws/ec2-port.js';
import type { ThrottleRegistry } from '../aws/throttle.js';
import type { VaultRef } from '../core/actions.js';
import type { Config } from '../core/policy/types.js';
import type { TargetOptions } from './options.js';
import type { CallLimits, Target } from './targets.js';

/** Builds clients acting as a vault account, one role session per vault and role. */
export type VaultClients = (vault: VaultRef, region: string) => AwsClients;

/**
 * @param home the region of the STS endpoint
 * @example const asVault = vaultClientsFor(options, home, limits, 'aws'); asVault({ account, roleName }, 'eu-west-1').ec2
 */
export function vaultClientsFor(
  options: TargetOptions,
  home: string,
  limits: CallLimits,
  partition: () => string,
): VaultClients {
  const credentials = new Map<string, ReturnType<typeof assumeRoleCredentials>>();
  return (vault, region) => {
    const key = `${vault.account}/${vault.roleName}`;
    let found = credentials.get(key);
    if (found === undefined) {
      found = assumeRoleCredentials(`arn:${partition()}:iam::${vault.account}:role/${vault.roleName}`, {
        region: home,
        sessionName: 'ebs-snapper-vault',
        ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
        ...(options.profile === undefined ? {} : { profile: options.profile }),
        ...limits,
      });
      credentials.set(key, found);
    }
    return createAwsClients({
      region,
      credentials: found,
      ...(limits.deadline === undefined ? {} : { deadline: limits.deadline }),
      ...(limits.timeouts === undefined ? {} : { timeouts: limits.timeouts }),
      ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
    });
  };
}

/**
 * The vault account × region pairs of a run whose source targets are `sources`: the regions its
 * vault targets name, and the sources' regions for targets that name none (`--region` limits
 * both). Each is copies-only, planned as the vault.
 */
export function vaultTargets(
  config: Config,
  sources: readonly Target[],
  options: TargetOptions,
  asVault: VaultClients,
  throttle: ThrottleRegistry,
  limits: CallLimits,
): Target[] {
  const sourceRegions = [...new Set(sources.map((t) => t.region))];
  const targets: Target[] = [];
  for (const account of receivingAccountsOf(config)) {
    const vault: VaultRef = { account, roleName: vaultRoleOf(config, account) };
    const regions = vaultRegionsOf(config, account, sourceRegions).filter(
      (r) => options.region === undefined || options.region.includes(r),
    );
    for (const region of regions) {
      targets.push({
        account,
        region,
        label: `${account}/${region} (vault)`,
        copiesOnly: true,
        ec2: createEc2Port(asVault(vault, region), {
          account,
          region,
          throttle,
          ...(limits.deadline === undefined ? {} : { signal: limits.deadline.signal }),
        }),
      });
    }
  }
  return targets;
}
