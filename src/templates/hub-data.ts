/**
 * The hub's stateful resources (SPEC §10): the one DynamoDB table, the work queue with its
 * dead-letter queue, and the topic.
 */
import { MAX_RECEIVES } from '../app/serverless/redrive.js';
import { TABLE_KEY_SCHEMA, TTL_ATTRIBUTE } from '../aws/table/keys.js';
import { type CfnResource, getAtt } from './cfn.js';

/** The worker's timeout: Lambda's maximum, so one account × region gets as long as it can. */
export const WORKER_TIMEOUT_SECONDS = 900;

/**
 * A received item stays hidden this long. At least the worker's timeout, or a second worker would
 * get an item the first is still on; only a little longer, so a failed item is retried soon — by
 * then the first invocation's lease (which lasts the function's timeout) has run out.
 */
export const WORK_VISIBILITY_SECONDS = WORKER_TIMEOUT_SECONDS + 60;

const DAY_SECONDS = 86_400;

export function dataResources(): Record<string, CfnResource> {
  return {
    Table: {
      Type: 'AWS::DynamoDB::Table',
      // Configs are pushed again by `deploy --config`; run records are history, not state.
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        ...TABLE_KEY_SCHEMA,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        // Encrypted at rest with DynamoDB's own key by default; SSEEnabled would switch to a KMS
        // key and a KMS request (and its cost) behind every lease and record.
      },
    },
    DeadLetterQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: { MessageRetentionPeriod: 14 * DAY_SECONDS, SqsManagedSseEnabled: true },
    },
    WorkQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        VisibilityTimeout: WORK_VISIBILITY_SECONDS,
        // A work item a day old has been overtaken by later runs, which plan from live state.
        MessageRetentionPeriod: DAY_SECONDS,
        RedrivePolicy: {
          deadLetterTargetArn: getAtt('DeadLetterQueue', 'Arn'),
          maxReceiveCount: MAX_RECEIVES,
        },
        SqsManagedSseEnabled: true,
      },
    },
    Topic: {
      Type: 'AWS::SNS::Topic',
      // Not encrypted with the AWS-managed key: CloudWatch alarms cannot publish to such a topic.
      Properties: { DisplayName: 'ebs-snapper' },
    },
  };
}
