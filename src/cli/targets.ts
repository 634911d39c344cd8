/**
 * Which account × region pairs a command works on, each with its EC2 port.
 * Accounts: the default credential chain (or `--profile`), or one per `--role-arn`.
 * Regions: `--region`, else `settings.regions`, else every region the account has enabled.
 */
import type { Ec2Port } from '../app/ports.js';
import { assumeRoleCredentials, createAwsClients, getAccountId } from '../aws/clients.js';
import { createEc2Port } from '../aws/ec2-port.js';
import { listEnabledRegions } from '../aws/regions.js';
import { ThrottleRegistry } from '../aws/throttle.js';
import type { Config } from '../core/policy/types.js';
import type { TargetOptions } from './options.js';

export interface Target {
  readonly account: string;
  readonly region: string;
  readonly ec2: Ec2Port;
  /** `account/region`, for messages and progress. */
  readonly label: string;
}

type Credentials = Awaited<ReturnType<typeof assumeRoleCredentials>>;

/** The region used for account-level calls (STS, DescribeRegions) before regions are known. */
export function homeRegion(options: TargetOptions, env: NodeJS.ProcessEnv): string {
  return options.region?.[0] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

export async function resolveTargets(
  options: TargetOptions,
  config: Config,
  env: NodeJS.ProcessEnv,
): Promise<Target[]> {
  const home = homeRegion(options, env);
  const throttle = new ThrottleRegistry();
  const roles = options.roleArn ?? [];
  const sources: (Credentials | undefined)[] =
    roles.length === 0
      ? [undefined]
      : roles.map((roleArn) =>
          assumeRoleCredentials(roleArn, {
            region: home,
            ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
            ...(options.profile === undefined ? {} : { profile: options.profile }),
          }),
        );
  const perAccount = await Promise.all(
    sources.map((credentials) => targetsForAccount(options, config, home, credentials, throttle)),
  );
  return perAccount.flat();
}

async function targetsForAccount(
  options: TargetOptions,
  config: Config,
  home: string,
  credentials: Credentials | undefined,
  throttle: ThrottleRegistry,
): Promise<Target[]> {
  const clientsFor = (region: string) =>
    createAwsClients({
      region,
      ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
      ...(options.profile === undefined || credentials !== undefined ? {} : { profile: options.profile }),
      ...(credentials === undefined ? {} : { credentials }),
    });
  const homeClients = clientsFor(home);
  const account = await getAccountId(homeClients.sts);
  const regions = options.region ?? config.settings.regions ?? (await listEnabledRegions(homeClients.ec2));
  return [...new Set(regions)].map((region) => ({
    account,
    region,
    label: `${account}/${region}`,
    ec2: createEc2Port(region === home ? homeClients : clientsFor(region), { account, region, throttle }),
  }));
}
