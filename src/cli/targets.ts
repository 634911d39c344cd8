/**
 * Which account × region pairs a command works on, each with its EC2 port.
 * Accounts: the default credential chain (or `--profile`), or one per `--role-arn`.
 * Regions: `--region`, else `settings.regions` (plus, copies-only, the `copy_to` destinations
 * outside them), else every region the account has enabled.
 *
 * Each account is resolved on its own: a role that cannot be assumed, or an account whose
 * regions cannot be listed, is one failed target; the other accounts still run.
 */

import { coveredRegions, receivingAccountsOf } from '../app/kit/coverage.js';
import type { Ec2Port } from '../app/kit/ports.js';
import { assumeRoleCredentials, createAwsClients, whoAmI } from '../aws/clients.js';
import { createEc2Port } from '../aws/ec2-port.js';
import type { CallDeadline, HttpTimeouts } from '../aws/http.js';
import { listEnabledRegions } from '../aws/regions.js';
import { ThrottleRegistry } from '../aws/throttle.js';
import type { Config } from '../core/policy/types.js';
import type { TargetOptions } from './options.js';
import { type VaultClients, vaultClientsFor, vaultTargets } from './vault-targets.js';

/** One account × region to work on. */
export interface Target {
  readonly account: string;
  readonly region: string;
  readonly ec2: Ec2Port;
  /** `account/region`, for messages and progress. */
  readonly label: string;
  /** A `copy_to` destination outside `settings.regions`: only its copies' retention is planned. */
  readonly copiesOnly?: boolean;
}

/** An account (or account × region) that could not be worked on at all, and why. */
export interface TargetFailure {
  /** `account/region`, `account/*` when no region was reached, or the role ARN's account. */
  readonly label: string;
  readonly account?: string;
  readonly region?: string;
  readonly error: unknown;
}

export interface ResolvedTargets {
  readonly targets: readonly Target[];
  readonly failures: readonly TargetFailure[];
}

type Credentials = ReturnType<typeof assumeRoleCredentials>;

/** The region used for account-level calls (STS, DescribeRegions) before regions are known. */
export function homeRegion(options: TargetOptions, env: NodeJS.ProcessEnv): string {
  return options.region?.[0] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

/** The account id in a role ARN (`arn:aws:iam::111111111111:role/x`), if it has one. */
function accountOfRoleArn(roleArn: string): string | undefined {
  return /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(roleArn)?.[1];
}

/** How every call of a command is bounded. */
export interface CallLimits {
  readonly deadline?: CallDeadline;
  readonly timeouts?: HttpTimeouts;
}

export async function resolveTargets(
  options: TargetOptions,
  config: Config,
  env: NodeJS.ProcessEnv,
  limits: CallLimits = {},
): Promise<ResolvedTargets> {
  const home = homeRegion(options, env);
  const throttle = new ThrottleRegistry();
  const roles = options.roleArn ?? [];
  const sources: { roleArn?: string; credentials?: Credentials }[] =
    roles.length === 0
      ? [{}]
      : roles.map((roleArn) => ({
          roleArn,
          credentials: assumeRoleCredentials(roleArn, {
            region: home,
            ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
            ...(options.profile === undefined ? {} : { profile: options.profile }),
            ...limits,
          }),
        }));
  // Vault accounts (SPEC §14) are reached through their role, assumed with the command's own credentials.
  const identity = { partition: 'aws' };
  const asVault = vaultClientsFor(options, home, limits, () => identity.partition);
  const settled = await Promise.allSettled(
    sources.map(({ credentials }) =>
      targetsForAccount(options, config, home, credentials, { throttle, limits, asVault, identity }),
    ),
  );
  const targets: Target[] = [];
  const failures: TargetFailure[] = [];
  settled.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') {
      targets.push(...outcome.value);
      return;
    }
    const roleArn = sources[index]?.roleArn;
    const account = roleArn === undefined ? undefined : accountOfRoleArn(roleArn);
    failures.push({
      label: account === undefined ? (roleArn ?? 'default credentials') : `${account}/*`,
      ...(account === undefined ? {} : { account }),
      error: outcome.reason,
    });
  });
  // A vault only receives copies: it is worked on as the vault, never as a source.
  const vaults = new Set(receivingAccountsOf(config));
  const sourceTargets = targets.filter((t) => !vaults.has(t.account));
  return {
    targets: [...sourceTargets, ...vaultTargets(config, sourceTargets, options, asVault, throttle, limits)],
    failures,
  };
}

async function targetsForAccount(
  options: TargetOptions,
  config: Config,
  home: string,
  credentials: Credentials | undefined,
  shared: {
    readonly throttle: ThrottleRegistry;
    readonly limits: CallLimits;
    readonly asVault: VaultClients;
    readonly identity: { partition: string };
  },
): Promise<Target[]> {
  const { throttle, limits } = shared;
  const clientsFor = (region: string) =>
    createAwsClients({
      region,
      ...(limits.deadline === undefined ? {} : { deadline: limits.deadline }),
      ...(limits.timeouts === undefined ? {} : { timeouts: limits.timeouts }),
      ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
      ...(options.profile === undefined || credentials !== undefined ? {} : { profile: options.profile }),
      ...(credentials === undefined ? {} : { credentials }),
    });
  const homeClients = clientsFor(home);
  const { account, partition } = await whoAmI(homeClients.sts);
  shared.identity.partition = partition;
  // An explicit --region means only that region; settings.regions still has its copies kept.
  const { regions, copiesOnly } = await coveredRegions(
    config,
    () => listEnabledRegions(homeClients.ec2),
    options.region,
  );
  const target = (region: string, onlyCopies: boolean): Target => ({
    account,
    region,
    label: `${account}/${region}`,
    ...(onlyCopies ? { copiesOnly: true } : {}),
    ec2: createEc2Port(region === home ? homeClients : clientsFor(region), {
      account,
      region,
      throttle,
      clientsIn: clientsFor,
      vaultClientsIn: shared.asVault,
      ...(limits.deadline === undefined ? {} : { signal: limits.deadline.signal }),
    }),
  });
  return [...regions.map((r) => target(r, false)), ...copiesOnly.map((r) => target(r, true))];
}
