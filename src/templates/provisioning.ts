/**
 * What CloudFormation calls, with the deploying identity's credentials, to create, update and
 * delete each resource type the templates use: part of `iam-policy --for deploy`. Declared per
 * resource type, so a template that gains a type without a declaration fails its test.
 *
 * Resources are narrowed to the stack's own names where the service allows it: CloudFormation
 * names what it generates `<stack>-<LogicalId>-<suffix>`, and the templates name the rest after
 * the stack (`{stack}`) or the member role (`{member-role}`).
 */
import type { AwsOperation } from '../aws/iam.js';

const STACK_ROLE = 'arn:{partition}:iam::*:role/{stack}-*';
const MEMBER_ROLE = 'arn:{partition}:iam::*:role/{member-role}';
const ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:GetRole',
  'iam:UpdateRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:GetRolePolicy',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
  'iam:TagRole',
  'iam:UntagRole',
];

/** Resource type → what provisioning it takes. */
export const PROVISIONING: Readonly<Record<string, readonly AwsOperation[]>> = {
  'AWS::IAM::Role': [
    { operation: 'provision-role', actions: ROLE_ACTIONS, resources: [STACK_ROLE, MEMBER_ROLE] },
    {
      // Only to the services the stack's roles are for.
      operation: 'pass-role',
      actions: ['iam:PassRole'],
      resources: [STACK_ROLE],
      condition: {
        StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com', 'scheduler.amazonaws.com'] },
      },
    },
  ],
  'AWS::Lambda::Function': [
    {
      operation: 'provision-function',
      actions: [
        'lambda:CreateFunction',
        'lambda:DeleteFunction',
        'lambda:GetFunction',
        'lambda:GetFunctionConfiguration',
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
        'lambda:ListTags',
        'lambda:TagResource',
        'lambda:UntagResource',
      ],
      resources: ['arn:{partition}:lambda:*:*:function:{stack}-*'],
    },
  ],
  'AWS::Lambda::EventSourceMapping': [
    {
      // Event source mappings support no resource-level permissions on create.
      operation: 'provision-event-source',
      actions: [
        'lambda:CreateEventSourceMapping',
        'lambda:DeleteEventSourceMapping',
        'lambda:GetEventSourceMapping',
        'lambda:UpdateEventSourceMapping',
        'lambda:ListEventSourceMappings',
      ],
    },
  ],
  'AWS::Logs::LogGroup': [
    {
      operation: 'provision-log-group',
      actions: [
        'logs:CreateLogGroup',
        'logs:DeleteLogGroup',
        'logs:PutRetentionPolicy',
        'logs:DeleteRetentionPolicy',
        'logs:TagResource',
        'logs:UntagResource',
        'logs:ListTagsForResource',
      ],
      resources: ['arn:{partition}:logs:*:*:log-group:/aws/lambda/{stack}-*'],
    },
    { operation: 'describe-log-groups', actions: ['logs:DescribeLogGroups'] },
  ],
  'AWS::SQS::Queue': [
    {
      operation: 'provision-queue',
      actions: [
        'sqs:CreateQueue',
        'sqs:DeleteQueue',
        'sqs:GetQueueAttributes',
        'sqs:SetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ListQueueTags',
        'sqs:TagQueue',
        'sqs:UntagQueue',
      ],
      resources: ['arn:{partition}:sqs:*:*:{stack}-*'],
    },
  ],
  'AWS::DynamoDB::Table': [
    {
      operation: 'provision-table',
      actions: [
        'dynamodb:CreateTable',
        'dynamodb:DeleteTable',
        'dynamodb:DescribeTable',
        'dynamodb:UpdateTable',
        'dynamodb:DescribeTimeToLive',
        'dynamodb:UpdateTimeToLive',
        'dynamodb:DescribeContinuousBackups',
        'dynamodb:UpdateContinuousBackups',
        'dynamodb:ListTagsOfResource',
        'dynamodb:TagResource',
        'dynamodb:UntagResource',
      ],
      resources: ['arn:{partition}:dynamodb:*:*:table/{stack}-*'],
    },
  ],
  'AWS::SNS::Topic': [
    {
      operation: 'provision-topic',
      actions: [
        'sns:CreateTopic',
        'sns:DeleteTopic',
        'sns:GetTopicAttributes',
        'sns:SetTopicAttributes',
        'sns:ListTagsForResource',
        'sns:TagResource',
        'sns:UntagResource',
      ],
      resources: ['arn:{partition}:sns:*:*:{stack}-*'],
    },
  ],
  'AWS::Scheduler::Schedule': [
    {
      operation: 'provision-schedule',
      actions: [
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
        'scheduler:UpdateSchedule',
      ],
      resources: ['arn:{partition}:scheduler:*:*:schedule/default/{stack}-*'],
    },
  ],
  'AWS::CloudWatch::Alarm': [
    {
      operation: 'provision-alarm',
      actions: [
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:DeleteAlarms',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:ListTagsForResource',
        'cloudwatch:TagResource',
        'cloudwatch:UntagResource',
      ],
      resources: ['arn:{partition}:cloudwatch:*:*:alarm:{stack}-*'],
    },
  ],
};
