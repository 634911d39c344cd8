/**
 * The hub stack (SPEC §11): parameters, resources and outputs as typed data. The template has
 * nothing of one account or build in it — the code's place, the schedule and the names are
 * parameters — so the same package yields the same template for the same features, and a deploy
 * whose template and parameters equal the stack's has nothing to update. The features (what the
 * worker's role allows: every one, or those of the config deployed with it) shape the worker's
 * role, and are recorded in the `Features` parameter, from which the next deploy, `config push`
 * and the worker read them.
 */
import { DEFAULT_METRICS_MODE, METRICS_MODES } from '../app/serverless/metrics.js';
import { DEFAULT_CONFIG_NAME } from '../app/serverless/stored-config.js';
import { EVERY_FEATURE, parseFeatures } from '../aws/deployed-features.js';
import { DEFAULT_DEPLOY_SCHEDULE } from '../core/policy/deploy-schedule.js';
import { type CfnOutput, type CfnTemplate, getAtt, ref } from './cfn.js';
import { alarmResources } from './hub-alarms.js';
import { CREATES_TABLE, dataResources, dataTableName, KEPT_TABLE_PARAMETER } from './hub-data.js';
import {
  FEATURES_PARAMETER,
  functionResources,
  HAS_MEMBER_ROLE,
  METRICS_DEPLOYMENT_WIDE,
  METRICS_PARAMETER,
} from './hub-functions.js';
import { DEFAULT_MEMBER_ROLE_NAME } from './names.js';

/** The values `deploy` gives the stack's parameters. */
export interface HubParameters {
  readonly CodeBucket: string;
  readonly CodeKey: string;
  readonly ScheduleExpression: string;
  readonly ScheduleTimezone: string;
  readonly ConfigName: string;
  readonly MemberRoleName: string;
  readonly LogRetentionDays: string;
  /** A table kept from an earlier stack of this name, taken up; `''`: the stack makes its own. */
  readonly KeptTableName: string;
  /** What the worker's role allows: `*` (every feature) or the config's (`stop-instance,volume-snapshots`). */
  readonly Features: string;
  /** How the worker publishes its metrics: `target` (per account × region) or `deployment` (one series a name). */
  readonly MetricDimensions: string;
}

/** Parameters a deploy keeps from the stack when no option or config says otherwise. */
export const HUB_PARAMETER_DEFAULTS = {
  ScheduleExpression: DEFAULT_DEPLOY_SCHEDULE.expression,
  ScheduleTimezone: DEFAULT_DEPLOY_SCHEDULE.timezone,
  ConfigName: DEFAULT_CONFIG_NAME,
  MemberRoleName: DEFAULT_MEMBER_ROLE_NAME,
  LogRetentionDays: '90',
  KeptTableName: '',
  Features: EVERY_FEATURE,
  MetricDimensions: DEFAULT_METRICS_MODE,
} as const satisfies Partial<HubParameters>;

/** CloudWatch Logs' allowed retentions, in days. */
const RETENTIONS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557];

const output = (Description: string, Value: CfnOutput['Value']): CfnOutput => ({ Description, Value });

/**
 * The template for a `Features` parameter's value (default: every feature); the parameter must be
 * that value, since the worker's role is built from it.
 *
 * @example JSON.stringify(hubTemplate()) // the body `deploy` sends to CloudFormation
 * @example hubTemplate('stop-instance,volume-snapshots') // a worker role without CopySnapshot or KMS
 */
export function hubTemplate(features: string = EVERY_FEATURE): CfnTemplate {
  const defaults = HUB_PARAMETER_DEFAULTS;
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'ebs-snapper hub: EBS snapshots on schedules across accounts (made by `ebs-snapper deploy`)',
    Parameters: {
      CodeBucket: { Type: 'String', Description: 'Artifacts bucket holding the Lambda zip', MinLength: 3 },
      CodeKey: {
        Type: 'String',
        Description: 'Key of the Lambda zip; it holds the zip SHA-256',
        AllowedPattern: '^lambda/[0-9a-f]{64}\\.zip$',
      },
      ScheduleExpression: {
        Type: 'String',
        Description: 'When runs start: rate(N unit) or an AWS 6-field cron(...)',
        Default: defaults.ScheduleExpression,
        AllowedPattern: '^(rate|cron)\\(.+\\)$',
      },
      ScheduleTimezone: {
        Type: 'String',
        Description: 'IANA time zone of a cron schedule',
        Default: defaults.ScheduleTimezone,
      },
      ConfigName: {
        Type: 'String',
        Description: 'Name of the config in the table that runs use',
        Default: defaults.ConfigName,
        MinLength: 1,
      },
      MemberRoleName: {
        Type: 'String',
        Description: 'Role assumed in other accounts; empty = this account only',
        Default: defaults.MemberRoleName,
        AllowedPattern: '^[\\w+=,.@-]{0,64}$',
      },
      LogRetentionDays: {
        Type: 'Number',
        Description: 'Days the functions logs are kept',
        Default: Number(defaults.LogRetentionDays),
        AllowedValues: RETENTIONS,
      },
      [KEPT_TABLE_PARAMETER]: {
        Type: 'String',
        Description:
          'Table an earlier stack of this name kept (configs, run history), taken up; empty = make one',
        Default: defaults.KeptTableName,
        AllowedPattern: '^[a-zA-Z0-9_.-]{0,255}$',
      },
      [FEATURES_PARAMETER]: {
        Type: 'String',
        Description:
          'What the worker role allows: * (every feature) or the features of the config deployed with it',
        Default: defaults.Features,
        AllowedPattern: '^(\\*|[a-z-]+(,[a-z-]+)*)$',
      },
      [METRICS_PARAMETER]: {
        Type: 'String',
        Description:
          'Worker metrics: target (per account and region) or deployment (one series per metric name)',
        Default: defaults.MetricDimensions,
        AllowedValues: [...METRICS_MODES],
      },
    },
    Conditions: {
      [HAS_MEMBER_ROLE]: { 'Fn::Not': [{ 'Fn::Equals': [ref('MemberRoleName'), ''] }] },
      [CREATES_TABLE]: { 'Fn::Equals': [ref(KEPT_TABLE_PARAMETER), ''] },
      [METRICS_DEPLOYMENT_WIDE]: { 'Fn::Equals': [ref(METRICS_PARAMETER), 'deployment'] },
    },
    Resources: { ...dataResources(), ...functionResources(parseFeatures(features)), ...alarmResources() },
    Outputs: {
      TableName: output('The DynamoDB table: configs, leases, run records', dataTableName()),
      QueueUrl: output('The work queue', ref('WorkQueue')),
      SoloQueueUrl: output('Targets with work that a batch of the work queue handed on', ref('SoloQueue')),
      DeadLetterQueueUrl: output('Work items that failed 3 times', ref('DeadLetterQueue')),
      TopicArn: output('Notifications and alarms', ref('Topic')),
      WorkerFunctionName: output('The worker function', ref('Worker')),
      FanOutFunctionName: output('The fan-out function', ref('FanOut')),
      WorkerRoleArn: output('Trusted by the member roles', getAtt('WorkerRole', 'Arn')),
      FanOutRoleArn: output('Trusted by the member roles (regions)', getAtt('FanOutRole', 'Arn')),
    },
  };
}
