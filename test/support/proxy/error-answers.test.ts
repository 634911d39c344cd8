/**
 * Faults reach the SDK as the error codes they play, whatever the service's protocol: the real
 * deserializers of a JSON service (DynamoDB, SQS), a REST-JSON one (Lambda), S3 and a Query one.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, motoClientConfig, startMoto } from '../moto/moto.js';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';

const REGION = 'eu-west-1';

describe('faults in each protocol’s own error shape', () => {
  let moto: MotoServer;
  let proxy: FaultProxy;

  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startFaultProxy({ target: moto.endpoint });
  });
  afterAll(async () => {
    await proxy.stop();
    await moto.stop();
  });

  const config = () => ({ ...motoClientConfig(proxy.endpoint, REGION), maxAttempts: 1 });
  const failureOf = (call: Promise<unknown>) =>
    call.then(
      () => undefined,
      (error: unknown) => error,
    );

  it.each([
    [
      'DynamoDB (JSON)',
      'GetItem',
      () => new DynamoDBClient(config()).send(new GetItemCommand({ TableName: 't', Key: {} })),
    ],
    ['SQS (JSON)', 'ListQueues', () => new SQSClient(config()).send(new ListQueuesCommand({}))],
    [
      'Lambda (REST-JSON)',
      'GetFunction',
      () => new LambdaClient(config()).send(new GetFunctionCommand({ FunctionName: 'f' })),
    ],
    [
      'S3 (REST-XML)',
      'ListObjectsV2',
      () =>
        new S3Client({ ...config(), forcePathStyle: true }).send(new ListObjectsV2Command({ Bucket: 'b' })),
    ],
    [
      'STS (Query)',
      'GetCallerIdentity',
      () => new STSClient(config()).send(new GetCallerIdentityCommand({})),
    ],
  ])(
    '%s: a forced AccessDeniedException on %s reaches the SDK by its name',
    async (_service, action, call) => {
      // Prepare
      proxy.configure({ errorsFor: { [action]: { code: 'AccessDeniedException', status: 400, times: 1 } } });

      // Act
      const failure = (await failureOf(call())) as { name?: string; $metadata?: { httpStatusCode?: number } };

      // Assess
      expect(failure?.name).toBe('AccessDeniedException');
      expect(failure?.$metadata?.httpStatusCode).toBe(400);
    },
  );
});
