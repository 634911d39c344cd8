/**
 * A stand-in for the hub stack in moto, for the handler tests: the table, the work queue and its
 * DLQ, the topic with an SQS "inbox" subscribed (to read notifications), and Lambda's SQS poller
 * played by the test — receive, build the SQS event, call `worker`, delete what succeeded.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetFunctionCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeEach } from 'vitest';
import type { RunRecord, WorkItem } from '../../../src/app/serverless/ports.js';
import { MAX_RECEIVES } from '../../../src/app/serverless/redrive.js';
import { createDeployedClients } from '../../../src/aws/serverless-clients.js';
import { TABLE_KEY_SCHEMA } from '../../../src/aws/table/keys.js';
import { createRunRecordStore } from '../../../src/aws/table/run-records.js';
import { MEMBER_ROLE } from './member-accounts.js';
import { motoClientConfig } from './moto.js';
import type { MotoBehindProxy } from './use-moto.js';

export interface Deployment {
  readonly region: string;
  readonly table: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly topicArn: string;
  /** A queue subscribed to the topic: notifications land here as SNS envelopes. */
  readonly inboxUrl: string;
  /** What the handlers read (SPEC §10), plus the endpoint and region. */
  readonly env: Record<string, string>;
  readonly sqs: SQSClient;
}

let serial = 0;

/** Create the deployment's resources in moto (`endpoint` may be the fault proxy). */
export async function createDeployment(endpoint: string, region = 'us-east-1'): Promise<Deployment> {
  const config = motoClientConfig(endpoint, region);
  const name = `ebs-snapper-${process.pid}-${++serial}`;
  const dynamo = new DynamoDBClient(config);
  await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...TABLE_KEY_SCHEMA.AttributeDefinitions],
      KeySchema: [...TABLE_KEY_SCHEMA.KeySchema],
    }),
  );
  const sqs = new SQSClient(config);
  const dlq = await createQueue(sqs, endpoint, `${name}-dlq`, {});
  const queue = await createQueue(sqs, endpoint, `${name}-work`, {
    VisibilityTimeout: '900',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: MAX_RECEIVES }),
  });
  const inbox = await createTopicInbox(endpoint, region, name);
  return {
    region,
    table: name,
    queueUrl: queue.url,
    queueArn: queue.arn,
    topicArn: inbox.topicArn,
    inboxUrl: inbox.inboxUrl,
    sqs,
    env: {
      EBS_SNAPPER_TABLE: name,
      EBS_SNAPPER_QUEUE_URL: queue.url,
      EBS_SNAPPER_TOPIC_ARN: inbox.topicArn,
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    },
  };
}

/**
 * The hub stack that `ebs-snapper deploy` made in moto, as a deployment a test can play Lambda's
 * part on: the handlers' environment is the worker function's own (its table, queue, topic,
 * features), the queue reached through `endpoint` (the proxy), a queue subscribed to the topic as
 * an inbox, and the worker's SQS event source disabled — moto would try to invoke the worker on
 * every message (it needs Docker for that) and burn each message's receive count.
 */
export async function deploymentOfStack(
  endpoint: string,
  outputs: Readonly<Record<string, string>>,
  region = 'us-east-1',
): Promise<Deployment> {
  const config = motoClientConfig(endpoint, region);
  const lambda = new LambdaClient(config);
  const worker = outputs.WorkerFunctionName!;
  const { EventSourceMappings } = await lambda.send(
    new ListEventSourceMappingsCommand({ FunctionName: worker }),
  );
  for (const mapping of EventSourceMappings ?? [])
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: mapping.UUID!, Enabled: false }));
  const { Configuration } = await lambda.send(new GetFunctionCommand({ FunctionName: worker }));
  const sqs = new SQSClient(config);
  const onEndpoint = (url: string) => new URL(new URL(url).pathname, endpoint).toString();
  const queueUrl = onEndpoint(outputs.QueueUrl!);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const inbox = await createQueue(sqs, endpoint, `stack-inbox-${process.pid}-${++serial}`, {});
  await new SNSClient(config).send(
    new SubscribeCommand({ TopicArn: outputs.TopicArn!, Protocol: 'sqs', Endpoint: inbox.arn }),
  );
  return {
    region,
    table: outputs.TableName!,
    queueUrl,
    queueArn: Attributes!.QueueArn!,
    topicArn: outputs.TopicArn!,
    inboxUrl: inbox.url,
    sqs,
    env: {
      ...Configuration?.Environment?.Variables,
      EBS_SNAPPER_QUEUE_URL: queueUrl,
      ...(outputs.SoloQueueUrl === undefined
        ? {}
        : { EBS_SNAPPER_SOLO_QUEUE_URL: onEndpoint(outputs.SoloQueueUrl) }),
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    },
  };
}

/** A topic and the queue subscribed to it, with a client of their region to read it. */
export interface TopicInbox {
  readonly topicArn: string;
  readonly inboxUrl: string;
  readonly sqs: SQSClient;
}

/** A topic in `region` with a queue of that region subscribed: what is published lands in the queue. */
export async function createTopicInbox(
  endpoint: string,
  region: string,
  name = `ebs-snapper-${process.pid}-${++serial}`,
): Promise<TopicInbox> {
  const config = motoClientConfig(endpoint, region);
  const sqs = new SQSClient(config);
  const inbox = await createQueue(sqs, endpoint, `${name}-inbox`, {});
  const sns = new SNSClient(config);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: inbox.arn }));
  return { topicArn: TopicArn!, inboxUrl: inbox.url, sqs };
}

/**
 * A queue, its URL on `endpoint`: moto names its own host in queue URLs, and the SDK sends SQS
 * calls to the queue URL's host, which would pass the fault proxy by.
 */
async function createQueue(
  sqs: SQSClient,
  endpoint: string,
  name: string,
  attributes: Record<string, string>,
) {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const QueueUrl = new URL(new URL(created.QueueUrl!).pathname, endpoint).toString();
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl, arn: Attributes!.QueueArn! };
}

/** A Lambda context whose remaining time the test controls. */
export function lambdaContext(remainingMs: () => number, requestId = `req-${++serial}`): Context {
  return {
    awsRequestId: requestId,
    functionName: 'ebs-snapper-worker',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:ebs-snapper-worker',
    memoryLimitInMB: '512',
    logGroupName: '/aws/lambda/ebs-snapper-worker',
    logStreamName: 'test',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: remainingMs,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** Receive up to `max` messages now (none waits), as Lambda's poller would, into an SQS event. */
export async function receiveEvent(deployment: Deployment, max = 1): Promise<SQSEvent> {
  const { Messages } = await deployment.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: deployment.queueUrl,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return {
    Records: (Messages ?? []).map((m) => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body!,
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: m.Attributes?.SentTimestamp ?? '0',
        SenderId: m.Attributes?.SenderId ?? 'test',
        ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? '0',
      },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: deployment.queueArn,
      awsRegion: deployment.region,
    })),
  };
}

/** Delete the event's records that the worker did not report as failed (what Lambda does). */
export async function settleEvent(deployment: Deployment, event: SQSEvent, response: SQSBatchResponse) {
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  for (const record of event.Records) {
    if (failed.has(record.messageId)) continue;
    await deployment.sqs.send(
      new DeleteMessageCommand({ QueueUrl: deployment.queueUrl, ReceiptHandle: record.receiptHandle }),
    );
  }
}

/** The worker as a function of an event and a context. */
export type WorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * Be Lambda's poller until the queue is empty: one message per invocation (batch size 1), each
 * with `remainingMs` of time. Returns each invocation's response.
 */
export async function drainQueue(
  deployment: Deployment,
  worker: WorkerHandler,
  remainingMs = 900_000,
  limit = 100,
): Promise<SQSBatchResponse[]> {
  const responses: SQSBatchResponse[] = [];
  for (let i = 0; i < limit; i++) {
    const event = await receiveEvent(deployment);
    if (event.Records.length === 0) {
      // Continuations are sent with a delay: wait for them before calling the queue drained.
      if ((await messagesLeft(deployment)) === 0) return responses;
      await new Promise((resolve) => setTimeout(resolve, 200));
      i -= 1;
      continue;
    }
    const start = Date.now();
    const response = await worker(
      event,
      lambdaContext(() => remainingMs - (Date.now() - start)),
    );
    await settleEvent(deployment, event, response);
    responses.push(response);
  }
  throw new Error(`the queue did not drain in ${limit} invocations`);
}

/** Put a work item on the queue as the fan-out (or a redrive from the DLQ) would. */
export async function sendWorkItem(deployment: Deployment, item: WorkItem): Promise<void> {
  await deployment.sqs.send(
    new SendMessageCommand({ QueueUrl: deployment.queueUrl, MessageBody: JSON.stringify(item) }),
  );
}

/** Every run record of a run in the deployment's table. */
export async function readRunRecords(deployment: Deployment, runId: string): Promise<readonly RunRecord[]> {
  const { dynamo } = createDeployedClients({
    region: deployment.region,
    endpoint: deployment.env.AWS_ENDPOINT_URL!,
  });
  return createRunRecordStore(dynamo, deployment.table).list(runId);
}

/** Messages in the work queue that will be delivered: visible or delayed (not those in flight). */
export async function messagesLeft(deployment: Deployment): Promise<number> {
  const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'] as const;
  const { Attributes } = await deployment.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: deployment.queueUrl, AttributeNames: [...names] }),
  );
  return names.reduce((sum, name) => sum + Number(Attributes?.[name] ?? 0), 0);
}

/**
 * The notifications that reached a topic: SNS envelopes in its inbox (the deployment's, or one
 * made by `createTopicInbox`), unwrapped.
 */
export async function readNotifications(
  inbox: Pick<TopicInbox, 'inboxUrl' | 'sqs'>,
): Promise<{ subject: string; message: Record<string, unknown> }[]> {
  const { inboxUrl, sqs } = inbox;
  const notes: { subject: string; message: Record<string, unknown> }[] = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: inboxUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages === undefined || Messages.length === 0) return notes;
    for (const m of Messages) {
      const envelope = JSON.parse(m.Body!) as { Subject?: string; Message: string };
      notes.push({
        subject: envelope.Subject ?? '',
        message: JSON.parse(envelope.Message) as Record<string, unknown>,
      });
      await sqs.send(new DeleteMessageCommand({ QueueUrl: inboxUrl, ReceiptHandle: m.ReceiptHandle! }));
    }
  }
}

/**
 * Capture what the handlers print while `work` runs: JSON log lines (warnings and errors go to
 * stderr) and EMF metrics, parsed.
 */
export async function captureOutput<T>(
  work: () => Promise<T>,
): Promise<{ value: T; lines: Record<string, unknown>[] }> {
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write.bind(stream));
  let text = '';
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    }) as typeof stream.write;
  }
  try {
    const value = await work();
    const lines = text.split('\n').filter((l) => l.startsWith('{'));
    return { value, lines: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
  } finally {
    streams.forEach((stream, index) => {
      stream.write = originals[index]!;
    });
  }
}

/** The handlers as a user gets them: the built bundle through the package export `ebs-snapper/lambda`. */
export async function importHandlers(): Promise<typeof import('../../../src/lambda/index.js')> {
  // Not a literal: TypeScript would resolve it to the sources; Node resolves the exports map.
  const specifier = ['ebs-snapper', 'lambda'].join('/');
  return (await import(specifier)) as typeof import('../../../src/lambda/index.js');
}

/**
 * Vitest hooks for a file that drives the handlers: before each test a fresh deployment (table,
 * queues, topic) behind `t`'s proxy, its environment (and the member role's name) in
 * `process.env`; the environment as it was after the file.
 *
 * @example const deployed = useDeployment(useMotoBehindProxy()); // deployed.current in a test
 */
export function useDeployment(t: MotoBehindProxy): { readonly current: Deployment } {
  const holder = {} as { current: Deployment };
  const saved = { ...process.env };
  beforeEach(async () => {
    holder.current = await createDeployment(t.proxy.endpoint);
    Object.assign(process.env, holder.current.env, { EBS_SNAPPER_MEMBER_ROLE_NAME: MEMBER_ROLE });
  });
  afterAll(() => {
    process.env = saved;
  });
  return holder;
}
