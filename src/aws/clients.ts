/**
 * SDK clients for one account × region, all with the tool's retry strategy.
 *
 * Credentials and region come from the SDK's standard chain (`AWS_PROFILE`, `AWS_REGION`,
 * `AWS_ENDPOINT_URL`, instance roles, ...) unless the target names them.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { RbinClient } from '@aws-sdk/client-rbin';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { AwsCallError, callAws, toAwsCallError } from './errors.js';
import {
  type CallDeadline,
  callBudgetMs,
  createRequestHandler,
  type HttpTimeouts,
  type RequestHandlerLike,
} from './http.js';
import { type RetryOptions, type RetryScope, SnapperRetryStrategy } from './retry.js';

/** Where and as whom to call AWS. Everything is optional except where a field says otherwise. */
export interface AwsTarget {
  /** Default: the SDK's region chain (`AWS_REGION`, profile). */
  readonly region?: string;
  /** e.g. a moto server; default: the SDK's (`AWS_ENDPOINT_URL` is honoured by the SDK itself). */
  readonly endpoint?: string;
  readonly credentials?: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  /** Shared config/credentials profile; ignored when `credentials` is given. */
  readonly profile?: string;
  /** An in-process fake for tests and benchmarks; default Node's, with `timeouts`. */
  readonly requestHandler?: RequestHandlerLike;
  /** Connect and request timeouts of every call (defaults 5 s and 60 s). */
  readonly timeouts?: HttpTimeouts;
  /** Cancels calls in flight and stops retries when the run must end. */
  readonly deadline?: CallDeadline;
  /** Attempts per call, first included. Default 10. */
  readonly maxAttempts?: number;
  /** Backoff tuning (tests shorten the delays); the call budget defaults to that of `timeouts`. */
  readonly retry?: Omit<RetryOptions, 'maxAttempts' | 'scope'>;
}

/**
 * The clients of one target. `ec2Create` is an EC2 client for the non-idempotent creates only:
 * it retries throttling and nothing else (see `createEc2Port`).
 */
export interface AwsClients {
  readonly ec2: EC2Client;
  readonly ec2Create: EC2Client;
  readonly autoScaling: AutoScalingClient;
  readonly sts: STSClient;
  /**
   * Clients the deadline never cancels (timeouts still apply), for the calls that give an
   * instance back after a stop: start it, return it to its group, untag it.
   */
  readonly finish: {
    readonly ec2: EC2Client;
    readonly autoScaling: AutoScalingClient;
    readonly ssm: SSMClient;
  };
  /** SSM Run Command (restore drills' `ssm` check, application-consistent snapshots' scripts). */
  readonly ssm: SSMClient;
  /**
   * The Recycle Bin's retention rules (SPEC §14), made on first use: its SDK client is loaded only
   * then, so a handler that never reads the bin does not pay for loading it.
   */
  readonly rbin: () => Promise<RbinClient>;
}

/**
 * Builds the clients of one target.
 *
 * @example
 * const clients = createAwsClients({ region: 'eu-west-1', profile: 'backup' });
 * const account = await getAccountId(clients.sts);
 */
export function createAwsClients(target: AwsTarget): AwsClients {
  const config = sdkClientConfig(target);
  return {
    ec2: new EC2Client(config),
    ec2Create: new EC2Client(sdkClientConfig(target, 'throttling-only')),
    autoScaling: new AutoScalingClient(config),
    sts: new STSClient(config),
    ssm: new SSMClient(config),
    rbin: lazyRbin(config),
    finish: finishClients(target),
  };
}

function lazyRbin(config: ReturnType<typeof sdkClientConfig>): () => Promise<RbinClient> {
  let client: Promise<RbinClient> | undefined;
  return () => {
    client ??= import('./rbin-sdk.js').then(
      ({ RbinClient }) => new RbinClient(config as NonNullable<ConstructorParameters<typeof RbinClient>[0]>),
    );
    return client;
  };
}

/**
 * The settings of any SDK client for `target`: region, endpoint, credentials or profile, the
 * request handler with the tool's timeouts, and the tool's retry strategy.
 *
 * @example new CloudFormationClient(sdkClientConfig({ region: 'eu-west-1' }))
 */
export function sdkClientConfig(target: AwsTarget, scope: RetryScope = 'all') {
  return {
    ...baseConfig(target),
    maxAttempts: target.maxAttempts ?? 10,
    retryStrategy: retryStrategyFor(target, scope),
  };
}

/** Clients without the run's deadline: giving an instance back must outlive the run (SPEC §6). */
function finishClients(target: AwsTarget): AwsClients['finish'] {
  const { deadline: _deadline, ...unbounded } = target;
  const config = sdkClientConfig(unbounded);
  return {
    ec2: new EC2Client(config),
    autoScaling: new AutoScalingClient(config),
    ssm: new SSMClient(config),
  };
}

function retryStrategyFor(target: AwsTarget, scope: RetryScope): SnapperRetryStrategy {
  return new SnapperRetryStrategy({
    callBudgetMs: callBudgetMs(target.timeouts),
    ...target.retry,
    maxAttempts: target.maxAttempts ?? 10,
    scope,
    ...(target.deadline === undefined ? {} : { deadline: target.deadline }),
  });
}

function baseConfig(target: AwsTarget) {
  const credentials =
    target.credentials ?? (target.profile ? fromIni({ profile: target.profile }) : undefined);
  return {
    ...(target.region !== undefined && { region: target.region }),
    ...(target.endpoint !== undefined && { endpoint: target.endpoint }),
    ...(credentials !== undefined && { credentials }),
    ...(target.profile !== undefined && { profile: target.profile }),
    requestHandler: createRequestHandler(target.timeouts, target.deadline, target.requestHandler),
  };
}

export interface AssumeRoleOptions {
  /** Region of the STS endpoint. Default: the chain's, then us-east-1. */
  readonly region?: string;
  readonly endpoint?: string;
  /** Default `ebs-snapper`. */
  readonly sessionName?: string;
  /** Who assumes the role; default the standard chain. */
  readonly masterCredentials?: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  readonly profile?: string;
  readonly timeouts?: HttpTimeouts;
  readonly deadline?: CallDeadline;
}

/**
 * Credentials of `roleArn` (STS AssumeRole), refreshed by the SDK when they expire.
 *
 * @example
 * const credentials = assumeRoleCredentials('arn:aws:iam::111111111111:role/ebs-snapper', { region: 'us-east-1' });
 * const clients = createAwsClients({ region: 'eu-west-1', credentials });
 */
export function assumeRoleCredentials(
  roleArn: string,
  options: AssumeRoleOptions = {},
): AwsCredentialIdentityProvider {
  const master =
    options.masterCredentials ?? (options.profile ? fromIni({ profile: options.profile }) : undefined);
  const provider = fromTemporaryCredentials({
    params: { RoleArn: roleArn, RoleSessionName: options.sessionName ?? 'ebs-snapper' },
    ...(master !== undefined && { masterCredentials: master }),
    // The same settings as every client (timeouts, deadline, retries), with fewer attempts: a
    // refused role is not worth ten.
    clientConfig: sdkClientConfig({
      ...(options.region !== undefined && { region: options.region }),
      ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
      ...(options.timeouts !== undefined && { timeouts: options.timeouts }),
      ...(options.deadline !== undefined && { deadline: options.deadline }),
      maxAttempts: 5,
    }),
  });
  // The SDK asks for credentials inside whatever call comes first; a refusal must blame the
  // AssumeRole (and its role), not that call.
  return async (identityProperties) => {
    try {
      return await provider(identityProperties);
    } catch (error) {
      const failure = toAwsCallError('AssumeRole', error);
      throw failure.operation === 'AssumeRole'
        ? new AwsCallError(
            'AssumeRole',
            {
              code: failure.code,
              message: `${roleArn}: ${causeMessage(error)}`,
              transient: failure.transient,
            },
            { cause: error },
          )
        : failure;
    }
  };
}

function causeMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Who the credentials are: their account and partition (`aws`, `aws-cn`, `aws-us-gov`, ...). */
export interface Identity {
  readonly account: string;
  readonly partition: string;
}

/**
 * Who the credentials belong to, from one STS GetCallerIdentity. Failures come back as an
 * `AwsCallError` of operation `GetCallerIdentity`, or `AssumeRole` when the role was refused.
 *
 * @example const { account, partition } = await whoAmI(clients.sts);
 */
export async function whoAmI(sts: STSClient): Promise<Identity> {
  const { Account, Arn } = await callAws('GetCallerIdentity', () =>
    sts.send(new GetCallerIdentityCommand({})),
  );
  if (!Account) {
    throw new AwsCallError('GetCallerIdentity', {
      code: 'InvalidResponse',
      message: 'the response has no Account',
      transient: false,
    });
  }
  return { account: Account, partition: Arn?.split(':')[1] ?? 'aws' };
}
