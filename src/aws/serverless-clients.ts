/**
 * The SDK clients of the deployed path (table, queue, topic, STS, Organizations), each with the
 * tool's retry strategy and timeouts. Region and endpoint come from the SDK's chain
 * (`AWS_REGION`, `AWS_ENDPOINT_URL`) unless given.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { callAws } from './errors.js';
import { createRequestHandler } from './http.js';
import { SnapperRetryStrategy } from './retry.js';

export interface DeployedClients {
  readonly dynamo: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly sts: STSClient;
  readonly organizations: OrganizationsClient;
}

export interface DeployedClientOptions {
  readonly region?: string;
  readonly endpoint?: string;
  readonly credentials?: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  /** A shared-config profile; ignored when `credentials` is given. */
  readonly profile?: string;
}

/** @example const { dynamo, sqs } = createDeployedClients({ region: 'eu-west-1' }); */
export function createDeployedClients(options: DeployedClientOptions = {}): DeployedClients {
  const common = () => ({
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.credentials === undefined && options.profile !== undefined
      ? { credentials: fromIni({ profile: options.profile }) }
      : {}),
    maxAttempts: 5,
    retryStrategy: new SnapperRetryStrategy({ maxAttempts: 5 }),
    requestHandler: createRequestHandler(),
  });
  return {
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(common()), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    sqs: new SQSClient(common()),
    sns: new SNSClient(common()),
    sts: new STSClient(common()),
    // Organizations has one endpoint, in us-east-1 (aws partition).
    organizations: new OrganizationsClient({
      ...common(),
      region: options.region === undefined ? 'us-east-1' : options.region,
    }),
  };
}

/** The account and partition of the credentials, from one GetCallerIdentity. */
export async function whoAmI(sts: STSClient): Promise<{ account: string; partition: string }> {
  const { Account, Arn } = await callAws('GetCallerIdentity', () =>
    sts.send(new GetCallerIdentityCommand({})),
  );
  return { account: Account ?? '', partition: Arn?.split(':')[1] ?? 'aws' };
}
