/**
 * `ebs-snapper deploy` end to end: the built CLI against moto behind the counting proxy. What moto
 * cannot produce (a rolled-back stack, a failed resource) the proxy plays by rewriting answers.
 * `npm test` builds first; run `npm run build` before running this file alone.
 */
import { readFileSync } from 'node:fs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetFunctionCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { zipLambdaBundle } from '../../src/app/deploy/lambda-zip.js';
import { motoClientConfig } from '../support/moto/moto.js';
import { runCli } from './cli.js';
import {
  changedBundle,
  deployJson,
  describeStack,
  failedResourceEvent,
  liveCodeSha256,
  REGION,
  shippedArtifact,
  stackStatusRewrite,
  useDeployBehindProxy,
} from './deploy-harness.js';

const WORKER = 'ebs-snapper-worker';
const FANOUT = 'ebs-snapper-fanout';

describe('deploy', () => {
  const t = useDeployBehindProxy();

  it('creates the stack: nodejs22.x functions with their handlers, environment and the local zip', async () => {
    // Prepare
    const artifact = shippedArtifact();

    // Act
    const { code, json, stderr } = await deployJson(['deploy'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.outcome).toBe('created');
    expect((await describeStack(t))?.StackStatus).toBe('CREATE_COMPLETE');
    const { Configuration: worker } = await t.lambda.send(new GetFunctionCommand({ FunctionName: WORKER }));
    expect(worker).toMatchObject({ Runtime: 'nodejs22.x', Handler: 'worker.worker', Timeout: 900 });
    expect(worker?.CodeSha256).toBe(artifact.sha256Base64);
    expect(worker?.Role).toBe('arn:aws:iam::123456789012:role/ebs-snapper-worker');
    expect(Object.keys(worker?.Environment?.Variables ?? {}).sort()).toEqual([
      'EBS_SNAPPER_CONFIG_NAME',
      'EBS_SNAPPER_FEATURES',
      'EBS_SNAPPER_MEMBER_ROLE_NAME',
      'EBS_SNAPPER_QUEUE_URL',
      'EBS_SNAPPER_SOLO_QUEUE_URL',
      'EBS_SNAPPER_TABLE',
      'EBS_SNAPPER_TOPIC_ARN',
      'NODE_OPTIONS',
    ]);
    expect(worker?.Environment?.Variables).toMatchObject({
      EBS_SNAPPER_TABLE: json.outputs.TableName,
      EBS_SNAPPER_QUEUE_URL: json.outputs.QueueUrl,
      EBS_SNAPPER_SOLO_QUEUE_URL: json.outputs.SoloQueueUrl,
      EBS_SNAPPER_TOPIC_ARN: json.outputs.TopicArn,
      EBS_SNAPPER_CONFIG_NAME: 'default',
      EBS_SNAPPER_MEMBER_ROLE_NAME: 'ebs-snapper-member',
      // Deployed without a config: the worker's role allows every feature.
      EBS_SNAPPER_FEATURES: '*',
    });
    const fanOut = await liveCodeSha256(t, FANOUT);
    expect(fanOut).toBe(artifact.sha256Base64);
    expect(json.code.functions).toEqual([
      { name: WORKER, status: 'created' },
      { name: FANOUT, status: 'created' },
    ]);
  });

  it('creates the queue with its dead-letter queue, the table with pk/sk strings, and the topic', async () => {
    // Prepare / Act
    const { code, json, stderr } = await deployJson(['deploy'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    const config = motoClientConfig(t.moto.endpoint, REGION);
    const { Attributes } = await new SQSClient(config).send(
      new GetQueueAttributesCommand({ QueueUrl: json.outputs.QueueUrl, AttributeNames: ['All'] }),
    );
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toMatchObject({ maxReceiveCount: 3 });
    expect(Number(Attributes?.VisibilityTimeout)).toBeGreaterThanOrEqual(900);
    const { Table } = await new DynamoDBClient(config).send(
      new DescribeTableCommand({ TableName: json.outputs.TableName }),
    );
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const topic = await new SNSClient(config).send(
      new GetTopicAttributesCommand({ TopicArn: json.outputs.TopicArn }),
    );
    expect(topic.Attributes?.TopicArn).toBe(json.outputs.TopicArn);
    expect(json.outputs.FanOutRoleArn).toBe('arn:aws:iam::123456789012:role/ebs-snapper-fanout');
  });

  it('a second deploy of the same build uploads nothing, updates nothing and says "unchanged"', async () => {
    // Prepare
    expect((await deployJson(['deploy'], t.env)).code).toBe(0);
    t.proxy.resetCounts();

    // Act
    const { code, stdout, stderr } = await runCli(['deploy'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(': unchanged');
    const counts = t.proxy.counts();
    for (const write of ['PutObject', 'UpdateFunctionCode', 'UpdateStack', 'CreateStack', 'CreateBucket'])
      expect(counts[write], write).toBeUndefined();
    expect(counts).toEqual({ GetCallerIdentity: 1, DescribeStacks: 1, GetTemplate: 1, GetFunction: 2 });
  });

  it('a changed build: one upload, one stack update (a change set checked, then executed), the new CodeSha256 live', async () => {
    // Prepare
    expect((await deployJson(['deploy'], t.env)).code).toBe(0);
    const bundle = changedBundle(t.env.workDir);
    const before = await liveCodeSha256(t, WORKER);
    t.proxy.resetCounts();

    // Act
    const { code, json, stderr } = await deployJson(['deploy', '--bundle', bundle], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.outcome).toBe('updated');
    expect(t.proxy.counts()).toMatchObject({ PutObject: 1, CreateChangeSet: 1, ExecuteChangeSet: 1 });
    expect(t.proxy.counts().UpdateStack).toBeUndefined();
    expect(t.proxy.counts().UpdateFunctionCode).toBeUndefined();
    const after = await liveCodeSha256(t, WORKER);
    expect(after).not.toBe(before);
    expect(after).toBe(json.code.sha256);
    expect(await liveCodeSha256(t, FANOUT)).toBe(json.code.sha256);
    expect(json.code.functions.map((f) => f.status)).toEqual(['updated', 'updated']);
  });

  it('a function whose code was changed outside the stack gets this build back, and nothing else', async () => {
    // Prepare: the worker runs another build, the stack still names this one
    expect((await deployJson(['deploy'], t.env)).code).toBe(0);
    await t.lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: WORKER,
        ZipFile: zipLambdaBundle(readFileSync(changedBundle(t.env.workDir))),
      }),
    );
    t.proxy.resetCounts();

    // Act
    const { code, json, stderr } = await deployJson(['deploy'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('runs other code');
    expect(t.proxy.counts()).toMatchObject({ UpdateFunctionCode: 1 });
    expect(t.proxy.counts().UpdateStack).toBeUndefined();
    expect(t.proxy.counts().PutObject).toBeUndefined();
    expect(await liveCodeSha256(t, WORKER)).toBe(shippedArtifact().sha256Base64);
    expect(json.code.functions).toEqual([
      { name: WORKER, status: 'updated' },
      { name: FANOUT, status: 'unchanged' },
    ]);
  });
});

describe('deploy with a stack CloudFormation left behind', () => {
  const t = useDeployBehindProxy();

  it('deletes a stack in ROLLBACK_COMPLETE, after saying so, and creates it again', async () => {
    // Prepare
    expect((await deployJson(['deploy'], t.env)).code).toBe(0);
    const first = (await describeStack(t))?.StackId;
    t.proxy.configure({ rewrite: { DescribeStacks: stackStatusRewrite('ROLLBACK_COMPLETE', { times: 1 }) } });
    t.proxy.resetCounts();

    // Act
    const { code, json, stderr } = await deployJson(['deploy'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/ROLLBACK_COMPLETE.*deleting it, then creating it again/);
    expect(json.outcome).toBe('recreated');
    expect(t.proxy.counts()).toMatchObject({ DeleteStack: 1, CreateStack: 1 });
    const stack = await describeStack(t);
    expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
    expect(stack?.StackId).not.toBe(first);
  });

  it('updates a stack in UPDATE_ROLLBACK_COMPLETE, a normal state', async () => {
    // Prepare
    expect((await deployJson(['deploy'], t.env)).code).toBe(0);
    t.proxy.configure({
      rewrite: { DescribeStacks: stackStatusRewrite('UPDATE_ROLLBACK_COMPLETE', { times: 1 }) },
    });
    t.proxy.resetCounts();

    // Act
    const { code, json, stderr } = await deployJson(['deploy', '--schedule', 'rate(2 hours)'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.outcome).toBe('updated');
    expect(t.proxy.counts()).toMatchObject({ ExecuteChangeSet: 1 });
    expect(t.proxy.counts().DeleteStack).toBeUndefined();
    const stack = await describeStack(t);
    expect(stack?.Parameters).toContainEqual({
      ParameterKey: 'ScheduleExpression',
      ParameterValue: 'rate(2 hours)',
    });
  });

  it('a failed create prints the failing resource and its reason, and exits 1', async () => {
    // Prepare: the create ends rolled back, the worker failed
    failCreate(t);

    // Act
    const { code, stdout, stderr } = await runCli(['deploy'], t.env);

    // Assess
    expect(code).toBe(1);
    expect(stdout).toContain(`Worker (AWS::Lambda::Function) CREATE_FAILED: ${REASON}`);
    expect(stderr).toContain('deploy of stack ebs-snapper failed (ROLLBACK_COMPLETE)');
  });

  it('a failed create is one JSON document with outcome "failed" and the failures, exit 1', async () => {
    // Prepare
    failCreate(t);

    // Act
    const { code, json } = await deployJson(['deploy'], t.env);

    // Assess
    expect(code).toBe(1);
    expect(json.outcome).toBe('failed');
    expect(json.failures).toEqual([
      {
        logical_id: 'Worker',
        resource_type: 'AWS::Lambda::Function',
        status: 'CREATE_FAILED',
        reason: REASON,
      },
    ]);
  });
});

const REASON =
  'Resource handler returned message: "Error occurred while GetObject. S3 Error Code: NoSuchKey"';

/** Every answer about the stack by id says ROLLBACK_COMPLETE, and its events name the worker. */
function failCreate(t: ReturnType<typeof useDeployBehindProxy>): void {
  t.proxy.configure({
    rewrite: {
      DescribeStacks: stackStatusRewrite('ROLLBACK_COMPLETE', { byIdOnly: true }),
      DescribeStackEvents: failedResourceEvent('Worker', 'AWS::Lambda::Function', REASON),
    },
  });
}
