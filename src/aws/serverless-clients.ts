/**
 * The SDK clients of the deployed path (table, queue, STS, Organizations; SNS in each topic's own
 * region), each with the tool's retry strategy and timeouts. Region and endpoint come from the
 * SDK's chain (`AWS_REGION`, `AWS_ENDPOINT_URL`) unless given.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { sdkClientConfig } from './clients.js';

export interface DeployedClients {
  readonly dynamo: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
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
  const common = () => clientSettings(options);
  return {
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(common()), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    sqs: new SQSClient(common()),
    sts: new STSClient(common()),
    // Organizations has one endpoint, in us-east-1 (aws partition).
    organizations: new OrganizationsClient({
      ...common(),
      region: options.region === undefined ? 'us-east-1' : options.region,
    }),
  };
}

/**
 * An SNS client alone, with the same settings: a topic is published to in its own region, which
 * may be another than the rest of the deployment's.
 *
 * @example createSnsClient({ region: topicRegion(topicArn) })
 */
export function createSnsClient(options: DeployedClientOptions = {}): SNSClient {
  return new SNSClient(clientSettings(options));
}

/** The settings of every client the tool builds (`sdkClientConfig`), with five attempts a call. */
function clientSettings(options: DeployedClientOptions) {
  return sdkClientConfig({
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    maxAttempts: 5,
  });
}
