/**
 * The hub's compute (SPEC §10, §11): the fan-out and the worker on `nodejs22.x`, their roles
 * (least privilege, from the per-operation declarations), log groups with retention, the SQS
 * event source of the worker and the Scheduler schedule that starts the fan-out.
 */

import { METRICS_ENV } from '../app/serverless/metrics.js';
import { type AllowedFeatures, EVERY_FEATURE } from '../aws/deployed-features.js';
import type { AwsOperation } from '../aws/iam.js';
import { FANOUT_OPERATIONS, workerOperations } from '../aws/iam-serverless.js';
import { assumedBy, type CfnResource, type CfnValue, getAtt, ifThen, NO_VALUE, ref, sub } from './cfn.js';
import { dataTableName, WORKER_TIMEOUT_SECONDS } from './hub-data.js';
import { scheduleResources } from './hub-schedule.js';
import { type HubFunction, hubResourceNameSub } from './names.js';
import { cfnStatements } from './role-policies.js';

/** Lambda stopped creating `nodejs20.x` functions; the bundle targets Node 20 and runs on 22. */
const LAMBDA_RUNTIME = 'nodejs22.x';
/**
 * The worker's memory (MB), which also sets its CPU share (one vCPU at 1,769 MB): sized by the
 * `collect-limits` bench, so the largest account × region collects and plans within both.
 */
export const WORKER_MEMORY_MB = 1536;
/** Set only when the stack's `MemberRoleName` parameter is not empty. */
export const HAS_MEMBER_ROLE = 'HasMemberRole';

interface FunctionSpec {
  readonly fn: HubFunction;
  readonly logicalId: 'Worker' | 'FanOut';
  readonly handler: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: number;
  readonly operations: readonly AwsOperation[];
}

/**
 * What each function is. The package export `ebs-snapper/lambda` names the handlers. The worker's
 * role holds what `features` need (every feature for a stack deployed without a config).
 */
const functionSpecs = (features: AllowedFeatures): readonly FunctionSpec[] => [
  {
    fn: 'worker',
    logicalId: 'Worker',
    handler: 'worker.worker',
    description: 'ebs-snapper worker: collect, plan and apply one account × region per message',
    memorySize: WORKER_MEMORY_MB,
    timeout: WORKER_TIMEOUT_SECONDS,
    operations: workerOperations(features),
  },
  {
    fn: 'fanout',
    logicalId: 'FanOut',
    handler: 'fanout.fanOut',
    description: 'ebs-snapper fan-out: one work item per account × region of the config',
    memorySize: 256,
    // Organizations' account list and DescribeRegions in every account: minutes, not seconds.
    timeout: 300,
    operations: FANOUT_OPERATIONS,
  },
];

/** The stack's resources that the declarations' placeholders stand for. */
const SUBSTITUTIONS = {
  // The table made or kept: its ARN from its name, as `Fn::GetAtt` exists only for one made here.
  '{table}': {
    text: 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${DataTableName}',
    variables: { DataTableName: dataTableName() },
  },
  '{queue}': '${WorkQueue.Arn}',
  '{solo-queue}': '${SoloQueue.Arn}',
  '{topic}': '${Topic}',
  '{member-role}': '${MemberRoleName}',
};

/**
 * Work items a worker takes from the work queue at once: 1,000 empty targets in 10 invocations
 * when the queue is full (the fan-out's), fewer when items trickle in.
 */
export const WORK_BATCH_SIZE = 100;

/** The stack's `Features` parameter: what the worker's role allows, `*` or a list (`deployed-features.ts`). */
export const FEATURES_PARAMETER = 'Features';

/** The stack's `MetricDimensions` parameter: `target` (per account × region) or `deployment`. */
export const METRICS_PARAMETER = 'MetricDimensions';
/** Set only when `MetricDimensions` is `deployment`. */
export const METRICS_DEPLOYMENT_WIDE = 'MetricsDeploymentWide';

export function functionResources(features: AllowedFeatures = EVERY_FEATURE): Record<string, CfnResource> {
  const resources: Record<string, CfnResource> = {};
  for (const spec of functionSpecs(features)) Object.assign(resources, resourcesOf(spec));
  // Work items in batches (SPEC §16): most targets are empty and cost two calls, not an invocation.
  resources.WorkerEventSource = {
    Type: 'AWS::Lambda::EventSourceMapping',
    Properties: {
      EventSourceArn: getAtt('WorkQueue', 'Arn'),
      FunctionName: ref('Worker'),
      BatchSize: WORK_BATCH_SIZE,
      // Lambda requires a batching window above 10 records a batch; 1 s delays no target.
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      Enabled: true,
    },
  };
  // A target with work that a batch found: one per invocation, as SPEC §10 has it.
  resources.SoloEventSource = {
    Type: 'AWS::Lambda::EventSourceMapping',
    Properties: {
      EventSourceArn: getAtt('SoloQueue', 'Arn'),
      FunctionName: ref('Worker'),
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      Enabled: true,
    },
  };
  return { ...resources, ...scheduleResources() };
}

function resourcesOf(spec: FunctionSpec): Record<string, CfnResource> {
  const { logicalId } = spec;
  const logGroup = `${logicalId}LogGroup`;
  return {
    [logGroup]: {
      Type: 'AWS::Logs::LogGroup',
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: {
        LogGroupName: sub(`/aws/lambda/${hubResourceNameSub(spec.fn)}`),
        RetentionInDays: ref('LogRetentionDays'),
      },
    },
    [`${logicalId}Role`]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: sub(hubResourceNameSub(spec.fn)),
        Description: `ebs-snapper ${spec.fn}: what the function calls, and nothing else`,
        AssumeRolePolicyDocument: assumedBy('lambda.amazonaws.com'),
        Policies: [
          {
            PolicyName: spec.fn,
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                ...cfnStatements(spec.operations, SUBSTITUTIONS, [
                  { placeholder: '{member-role}', condition: HAS_MEMBER_ROLE },
                ]),
                {
                  // The runtime's own logging, into the function's log group only.
                  Sid: 'Logs',
                  Effect: 'Allow',
                  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                  Resource: getAtt(logGroup, 'Arn'),
                },
              ],
            },
          },
        ],
      },
    },
    [logicalId]: {
      Type: 'AWS::Lambda::Function',
      // The log group exists (with its retention) before the function can write to it.
      DependsOn: [logGroup],
      Properties: {
        FunctionName: sub(hubResourceNameSub(spec.fn)),
        Description: spec.description,
        Runtime: LAMBDA_RUNTIME,
        Handler: spec.handler,
        Architectures: ['arm64'],
        MemorySize: spec.memorySize,
        Timeout: spec.timeout,
        Role: getAtt(`${logicalId}Role`, 'Arn'),
        Code: { S3Bucket: ref('CodeBucket'), S3Key: ref('CodeKey') },
        Environment: { Variables: functionEnvironment(spec.fn) },
      },
    },
  };
}

/**
 * SPEC §10's environment of both functions; the worker also knows what its role allows, and how
 * to publish its metrics. The bundles
 * are minified: their source maps, beside them in the zip, keep stack traces pointing at the sources.
 */
function functionEnvironment(fn: HubFunction): Record<string, CfnValue> {
  return {
    NODE_OPTIONS: '--enable-source-maps',
    EBS_SNAPPER_TABLE: dataTableName(),
    EBS_SNAPPER_QUEUE_URL: ref('WorkQueue'),
    ...(fn === 'worker' ? { EBS_SNAPPER_SOLO_QUEUE_URL: ref('SoloQueue') } : {}),
    EBS_SNAPPER_CONFIG_NAME: ref('ConfigName'),
    EBS_SNAPPER_TOPIC_ARN: ref('Topic'),
    EBS_SNAPPER_MEMBER_ROLE_NAME: ifThen(HAS_MEMBER_ROLE, ref('MemberRoleName'), NO_VALUE),
    ...(fn === 'worker' ? { EBS_SNAPPER_FEATURES: ref(FEATURES_PARAMETER) } : {}),
    // Only when not the default: a stack deployed per target keeps the environment it always had.
    ...(fn === 'worker'
      ? { [METRICS_ENV]: ifThen(METRICS_DEPLOYMENT_WIDE, ref(METRICS_PARAMETER), NO_VALUE) }
      : {}),
  };
}
