/**
 * The hub's stateful resources (SPEC §10): the one DynamoDB table, the work queue with its
 * dead-letter queue, and the topic.
 *
 * The table holds configs and run history: data, not a resource to lose with the stack. It is
 * kept when the stack is deleted or the resource replaced (`Retain`), DynamoDB refuses to delete
 * it (deletion protection), and it carries a tag naming its stack, by which a stack made anew
 * under that name finds it and takes it up (`KeptTableName`) instead of creating an empty one.
 * Nothing the deploy varies reaches a property that would replace it (no `TableName`, fixed keys).
 */
import { MAX_RECEIVES } from '../app/serverless/redrive.js';
import { DATA_TABLE_TAG, TABLE_LOGICAL_ID } from '../aws/kept-tables.js';
import { TABLE_KEY_SCHEMA, TTL_ATTRIBUTE } from '../aws/table/keys.js';
import { type CfnResource, type CfnValue, getAtt, ifThen, ref } from './cfn.js';

/** The parameter naming a table kept from an earlier stack; empty: the stack makes its own. */
export const KEPT_TABLE_PARAMETER = 'KeptTableName';
/** Set when the stack makes its table (no kept table named). */
export const CREATES_TABLE = 'CreatesTable';

/** The name of the table the stack uses, made or kept: for the functions and the outputs. */
export const dataTableName = (): CfnValue =>
  ifThen(CREATES_TABLE, ref(TABLE_LOGICAL_ID), ref(KEPT_TABLE_PARAMETER));

/** The worker's timeout: Lambda's maximum, so one account × region gets as long as it can. */
export const WORKER_TIMEOUT_SECONDS = 900;

/**
 * A received item stays hidden this long. At least the worker's timeout, or a second worker would
 * get an item the first is still on; only a little longer, so a failed item is retried soon — by
 * then the first invocation's lease (which lasts the function's timeout) has run out.
 */
const WORK_VISIBILITY_SECONDS = WORKER_TIMEOUT_SECONDS + 60;

const DAY_SECONDS = 86_400;

export function dataResources(): Record<string, CfnResource> {
  return {
    [TABLE_LOGICAL_ID]: {
      Type: 'AWS::DynamoDB::Table',
      Condition: CREATES_TABLE,
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      // No TableName: CloudFormation names it `<stack>-Table-<suffix>`, and adding a name would
      // replace the table of every stack deployed before.
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        ...TABLE_KEY_SCHEMA,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        Tags: [{ Key: DATA_TABLE_TAG, Value: ref('AWS::StackName') }],
        // Encrypted at rest with DynamoDB's own key by default; SSEEnabled would switch to a KMS
        // key and a KMS request (and its cost) behind every lease and record.
      },
    },
    DeadLetterQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: { MessageRetentionPeriod: 14 * DAY_SECONDS, SqsManagedSseEnabled: true },
    },
    WorkQueue: { Type: 'AWS::SQS::Queue', Properties: workQueueProperties() },
    // A target with work found in a batch of the work queue goes here, to a worker of its own (SPEC §16).
    SoloQueue: { Type: 'AWS::SQS::Queue', Properties: workQueueProperties() },
    Topic: {
      Type: 'AWS::SNS::Topic',
      // Not encrypted with the AWS-managed key: CloudWatch alarms cannot publish to such a topic.
      Properties: { DisplayName: 'ebs-snapper' },
    },
  };
}

/** The work queue's and the solo queue's: the same visibility, retention and dead-letter queue. */
function workQueueProperties(): Record<string, CfnValue> {
  return {
    VisibilityTimeout: WORK_VISIBILITY_SECONDS,
    // A work item a day old has been overtaken by later runs, which plan from live state.
    MessageRetentionPeriod: DAY_SECONDS,
    RedrivePolicy: {
      deadLetterTargetArn: getAtt('DeadLetterQueue', 'Arn'),
      maxReceiveCount: MAX_RECEIVES,
    },
    SqsManagedSseEnabled: true,
  };
}
