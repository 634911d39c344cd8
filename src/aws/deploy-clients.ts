/**
 * The SDK clients of `deploy` for one account and region, each with the tool's timeouts and
 * retry strategy (`sdkClientConfig`).
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AwsTarget, sdkClientConfig } from './clients.js';

export interface DeployClients {
  readonly cloudformation: CloudFormationClient;
  readonly s3: S3Client;
  readonly lambda: LambdaClient;
  readonly sts: STSClient;
  /** The stack's topic (`--notify-email`). */
  readonly sns: SNSClient;
  /** Tables themselves (the kept table's lookup). */
  readonly tables: DynamoDBClient;
  /** Items (the config push). */
  readonly dynamo: DynamoDBDocumentClient;
}

/**
 * @param env where `AWS_ENDPOINT_URL` may point S3 at an emulator, which wants path-style URLs
 *   (`http://host/bucket/key`, not `http://bucket.host/key`).
 * @example const clients = createDeployClients({ region: 'eu-west-1' }, process.env);
 */
export function createDeployClients(target: AwsTarget, env: NodeJS.ProcessEnv = {}): DeployClients {
  const config = sdkClientConfig(target);
  const s3Endpoint = target.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const tables = new DynamoDBClient(config);
  return {
    cloudformation: new CloudFormationClient(config),
    s3: new S3Client({ ...config, forcePathStyle: s3Endpoint !== undefined && s3Endpoint !== '' }),
    lambda: new LambdaClient(config),
    sts: new STSClient(config),
    sns: new SNSClient(config),
    tables,
    dynamo: DynamoDBDocumentClient.from(tables, {
      marshallOptions: { removeUndefinedValues: true },
    }),
  };
}

/** The region the clients call: the target's, else the SDK's chain (`AWS_REGION`, the profile). */
export async function resolvedRegion(clients: DeployClients): Promise<string> {
  return clients.sts.config.region();
}
