/**
 * The adapters a handler works with, built from the environment once per Lambda container (and
 * again when the environment changes, as in tests): the table's stores, the queue, notifiers,
 * and EC2 ports that assume the member role in other accounts.
 */

import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Deadline } from '../app/kit/deadline.js';
import type { Ec2Port } from '../app/kit/ports.js';
import type { TargetMemory } from '../app/run/run-memory.js';
import type { FanOutMarks } from '../app/serverless/fan-out-send.js';
import type {
  ConfigStore,
  HandoffStore,
  LeaseStore,
  Notifier,
  RunRecordStore,
  WorkQueue,
} from '../app/serverless/ports.js';
import type { RunIndexStore } from '../app/serverless/run-index.js';
import { assumeRoleCredentials, createAwsClients, type Identity, whoAmI } from '../aws/clients.js';
import { type CredentialCache, createCredentialCache } from '../aws/credential-cache.js';
import { createEc2Port } from '../aws/ec2-port.js';
import { isActiveAccount, listActiveAccounts } from '../aws/organizations.js';
import { listEnabledRegions } from '../aws/regions.js';
import { createDeployedClients, type DeployedClients } from '../aws/serverless-clients.js';
import { createConfigStore } from '../aws/table/config-store.js';
import { createFanOutMarks } from '../aws/table/fan-out-marks.js';
import { createHandoffStore } from '../aws/table/handoffs.js';
import { createLeaseStore } from '../aws/table/leases.js';
import { createTableMemory } from '../aws/table/recent-creates.js';
import { createRunIndexStore } from '../aws/table/run-index.js';
import { createRunRecordStore } from '../aws/table/run-records.js';
import { ThrottleRegistry } from '../aws/throttle.js';
import { createWorkQueue } from '../aws/work-queue.js';
import type { VaultRef } from '../core/actions.js';
import { ConfigError } from '../core/errors.js';
import type { Config } from '../core/policy/types.js';
import { notifiersOf, snsClientsByRegion } from '../notify/notifiers.js';
import { type LambdaEnv, readLambdaEnv } from './env.js';

export interface Runtime {
  readonly env: LambdaEnv;
  readonly configs: ConfigStore;
  readonly leases: LeaseStore;
  /** The recent creates of each account × region, beside its lease. */
  readonly memory: TargetMemory;
  readonly records: RunRecordStore;
  /** The run index: each run's targets, written by the fan-out. */
  readonly runs: RunIndexStore;
  /**
   * What each fan-out invocation of a run queued, so a second one queues only the rest (absent in
   * benches that build a runtime by hand: each invocation then stands alone).
   */
  readonly marks?: FanOutMarks;
  readonly handoffs: HandoffStore;
  readonly queue: WorkQueue;
  /** The solo queue (`EBS_SNAPPER_SOLO_QUEUE_URL`), when there is one. */
  readonly solo?: WorkQueue;
  /** Who the function runs as; asked once per container. */
  identity(): Promise<Identity>;
  organizationAccounts(): Promise<readonly string[]>;
  /** Whether an account is an ACTIVE account of the organization; asked at most every few minutes. */
  isOrganizationMember(account: string): Promise<boolean>;
  /**
   * The regions an account has enabled (DescribeRegions through its member role); with `sessions`
   * (one per invocation), each account's role is assumed once however often it is asked.
   */
  regionsOf(account: string, own: Identity, sessions?: CredentialCache): Promise<readonly string[]>;
  /**
   * `roleName`: a vault account's role instead of the member role (SPEC §14). With `sessions` (one
   * per invocation), each account's role (member or vault) is assumed once however many targets ask.
   */
  portFor(
    account: string,
    region: string,
    deadline: Deadline,
    own: Identity,
    roleName?: string,
    sessions?: CredentialCache,
  ): Ec2Port;
  notifiersFor(config: Config | undefined): readonly Notifier[];
}

let cached: { key: string; runtime: Runtime } | undefined;

/** The runtime of the current environment. */
export function currentRuntime(env: NodeJS.ProcessEnv = process.env): Runtime {
  const lambdaEnv = readLambdaEnv(env);
  const key = JSON.stringify([lambdaEnv, env.AWS_REGION, env.AWS_ENDPOINT_URL]);
  if (cached?.key !== key) cached = { key, runtime: createRuntime(lambdaEnv, createDeployedClients()) };
  return cached.runtime;
}

function createRuntime(env: LambdaEnv, clients: DeployedClients): Runtime {
  const throttle = new ThrottleRegistry();
  // A topic is published to in its own region: the config's may be in another than the deployment.
  const snsIn = snsClientsByRegion();
  let identity: Promise<Identity> | undefined;
  const roleCredentials = (
    account: string,
    roleName: string,
    region: string,
    own: Identity,
    deadline?: Deadline,
  ) =>
    assumeRoleCredentials(`arn:${own.partition}:iam::${account}:role/${roleName}`, {
      region,
      ...(deadline === undefined ? {} : { deadline }),
    });
  const credentialsFor = (account: string, region: string, own: Identity, deadline?: Deadline) => {
    if (account === own.account) return undefined;
    if (env.memberRoleName === undefined) {
      throw new ConfigError(
        `account ${account} is not the deployment's own (${own.account}) and EBS_SNAPPER_MEMBER_ROLE_NAME is not set`,
      );
    }
    const roleArn = `arn:${own.partition}:iam::${account}:role/${env.memberRoleName}`;
    return assumeRoleCredentials(roleArn, { region, ...(deadline === undefined ? {} : { deadline }) });
  };
  return {
    env,
    configs: createConfigStore(clients.dynamo, env.table),
    leases: createLeaseStore(clients.dynamo, env.table),
    memory: createTableMemory(clients.dynamo, env.table),
    records: createRunRecordStore(clients.dynamo, env.table),
    runs: createRunIndexStore(clients.dynamo, env.table),
    marks: createFanOutMarks(clients.dynamo, env.table),
    handoffs: createHandoffStore(clients.dynamo, env.table),
    queue: createWorkQueue(clients.sqs, env.queueUrl),
    ...(env.soloQueueUrl === undefined ? {} : { solo: createWorkQueue(clients.sqs, env.soloQueueUrl) }),
    identity() {
      identity ??= whoAmI(clients.sts);
      // A failed lookup is asked again next time.
      identity.catch(() => {
        identity = undefined;
      });
      return identity;
    },
    organizationAccounts: () => listActiveAccounts(clients.organizations),
    isOrganizationMember: memberCache((account) => isActiveAccount(clients.organizations, account)),
    async regionsOf(account, own, sessions = createCredentialCache()) {
      const region = await clients.sts.config.region();
      // credentialsFor is undefined only for the own account (asked as itself).
      const credentials =
        account === own.account
          ? undefined
          : sessions.forAccount(account, () => credentialsFor(account, region, own)!);
      return listEnabledRegions(createAwsClients({ region, ...(credentials ? { credentials } : {}) }).ec2);
    },
    portFor(account, region, deadline, own, roleName, sessions) {
      // A session shared by several targets is rebuilt after a failure (a deadline that passed)
      // with the asking target's deadline: one target's deadline never fails another's calls.
      const session = (key: string, assume: () => AwsCredentialIdentityProvider) =>
        sessions === undefined ? assume() : sessions.forAccount(key, assume);
      const credentials =
        account === own.account
          ? undefined
          : roleName === undefined
            ? session(
                `${account}/${env.memberRoleName}`,
                () => credentialsFor(account, region, own, deadline)!,
              )
            : session(`${account}/${roleName}`, () =>
                roleCredentials(account, roleName, region, own, deadline),
              );
      const clientsIn = (other: string) =>
        createAwsClients({ region: other, deadline, ...(credentials ? { credentials } : {}) });
      // Vault accounts (SPEC §14) are reached from the worker's own role, one session per vault.
      const vaults = new Map<string, AwsCredentialIdentityProvider>();
      const vaultClientsIn = (vault: VaultRef, other: string) => {
        const key = `${vault.account}/${vault.roleName}`;
        let found = vaults.get(key);
        if (found === undefined) {
          found = session(key, () => roleCredentials(vault.account, vault.roleName, region, own, deadline));
          vaults.set(key, found);
        }
        return createAwsClients({ region: other, deadline, credentials: found });
      };
      return createEc2Port(clientsIn(region), {
        account,
        region,
        throttle,
        signal: deadline.signal,
        clientsIn,
        vaultClientsIn,
      });
    },
    notifiersFor(config) {
      return notifiersOf(config?.settings.notify, {
        snsIn,
        ...(env.topicArn === undefined ? {} : { alwaysTopics: [env.topicArn] }),
      });
    },
  };
}

/** How long a container trusts an answer about an account's membership of the organization. */
const MEMBERSHIP_TTL_MS = 10 * 60_000;

/**
 * One DescribeAccount per account per container for a while, not one per work item; an account
 * removed from the organization is refused within {@link MEMBERSHIP_TTL_MS}. Failures are not kept.
 */
function memberCache(ask: (account: string) => Promise<boolean>): (account: string) => Promise<boolean> {
  const answers = new Map<string, { at: number; member: Promise<boolean> }>();
  return (account) => {
    const now = Date.now();
    const known = answers.get(account);
    if (known !== undefined && now - known.at < MEMBERSHIP_TTL_MS) return known.member;
    const member = ask(account);
    answers.set(account, { at: now, member });
    member.catch(() => {
      if (answers.get(account)?.member === member) answers.delete(account);
    });
    return member;
  };
}
