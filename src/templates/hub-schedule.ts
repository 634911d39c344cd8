/**
 * The EventBridge Scheduler schedule that starts every run (SPEC §10): `ScheduleExpression` in
 * `ScheduleTimezone` (from `settings.schedule` or `deploy --schedule`), invoking the fan-out
 * through a role that may do that and nothing else.
 */
import { assumedBy, type CfnResource, getAtt, ref, sub } from './cfn.js';

export function scheduleResources(): Record<string, CfnResource> {
  return {
    SchedulerRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Description: 'ebs-snapper schedule: starts the fan-out, and nothing else',
        // Only this account's schedules may use it (the confused-deputy guard).
        AssumeRolePolicyDocument: assumedBy('scheduler.amazonaws.com', {
          StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
        }),
        Policies: [
          {
            PolicyName: 'start-fanout',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: 'lambda:InvokeFunction',
                  Resource: [getAtt('FanOut', 'Arn'), sub('${FanOut.Arn}:*')],
                },
              ],
            },
          },
        ],
      },
    },
    Schedule: {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        Name: sub('${AWS::StackName}-run'),
        Description: 'Starts an ebs-snapper run: the fan-out queues one work item per account × region',
        ScheduleExpression: ref('ScheduleExpression'),
        ScheduleExpressionTimezone: ref('ScheduleTimezone'),
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: getAtt('FanOut', 'Arn'),
          RoleArn: getAtt('SchedulerRole', 'Arn'),
          // The scheduled time makes the run id: a retried or twice-delivered invocation is the same run.
          Input: JSON.stringify({ scheduled_time: '<aws.scheduler.scheduled-time>' }),
          // A run that could not start within the hour is overtaken by the next one.
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        },
      },
    },
  };
}
