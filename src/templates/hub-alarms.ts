/**
 * The hub's alarms (SPEC §11), each notifying the stack's topic: the dead-letter queue is not
 * empty, actions failed, volumes are overdue, and the fan-out itself failed (then no run happens
 * at all, and no other alarm would say so).
 *
 * `ActionsFailed` and `VolumesOverdue` are watched on their series without dimensions, which the
 * worker publishes in both metric modes (per target: once more, when not zero; deployment-wide:
 * the only series). One series sums every account × region exactly, at any number of targets,
 * with nothing to update when an account is added — where a Metrics Insights query over the
 * per-target series would process at most 10,000 of them and could miss a failure beyond.
 */
import { METRIC, METRICS_NAMESPACE } from '../app/serverless/metrics.js';
import { type CfnResource, type CfnValue, getAtt, ref, sub } from './cfn.js';

const PERIOD_SECONDS = 300;

const common = (name: string, description: string) => ({
  AlarmName: sub(`\${AWS::StackName}-${name}`),
  AlarmDescription: description,
  AlarmActions: [ref('Topic')],
  EvaluationPeriods: 1,
  Threshold: 0,
  ComparisonOperator: 'GreaterThanThreshold',
  // No data is the normal case between runs, or when nothing failed.
  TreatMissingData: 'notBreaching',
});

const simple = (namespace: string, metric: string, dimension: [string, CfnValue], statistic: string) => ({
  Namespace: namespace,
  MetricName: metric,
  Dimensions: [{ Name: dimension[0], Value: dimension[1] }],
  Statistic: statistic,
  Period: PERIOD_SECONDS,
});

/** The sum of `metric` over every account × region: its one series without dimensions. */
const acrossTargets = (metric: string) => ({
  Namespace: METRICS_NAMESPACE,
  MetricName: metric,
  Statistic: 'Sum',
  Period: PERIOD_SECONDS,
});

export function alarmResources(): Record<string, CfnResource> {
  const alarm = (properties: Record<string, CfnValue>): CfnResource => ({
    Type: 'AWS::CloudWatch::Alarm',
    Properties: properties,
  });
  return {
    DeadLetterAlarm: alarm({
      ...common('dead-letters', 'Work items failed 3 times and wait in the dead-letter queue'),
      ...simple(
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        ['QueueName', getAtt('DeadLetterQueue', 'QueueName')],
        'Maximum',
      ),
    }),
    ActionsFailedAlarm: alarm({
      ...common('actions-failed', 'Snapshot creates or deletes failed (ActionsFailed > 0)'),
      ...acrossTargets(METRIC.actionsFailed),
    }),
    VolumesOverdueAlarm: alarm({
      ...common('volumes-overdue', 'Volumes whose newest snapshot is older than twice their schedule'),
      ...acrossTargets(METRIC.volumesOverdue),
    }),
    FanOutErrorsAlarm: alarm({
      ...common('fanout-errors', 'The fan-out failed: no run was started'),
      ...simple('AWS/Lambda', 'Errors', ['FunctionName', ref('FanOut')], 'Sum'),
    }),
  };
}
