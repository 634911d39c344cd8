/**
 * The hub's alarms (SPEC §11), each notifying the stack's topic: the dead-letter queue is not
 * empty, actions failed, volumes are overdue, and the fan-out itself failed (then no run happens
 * at all, and no other alarm would say so).
 *
 * The worker emits `ActionsFailed` and `VolumesOverdue` (EMF, namespace `ebs-snapper`) with one
 * series per `Account` × `Region`, accounts the stack does not know in advance. A CloudWatch
 * alarm cannot watch a metric-math `SEARCH`, so these two alarm on a Metrics Insights query that
 * sums every such series: one alarm across all accounts and regions, with nothing to update
 * when an account is added. `SCHEMA(..., Account, Region)` leaves out the per-`Policy` series,
 * which would count the same failures twice.
 */
import { METRIC, METRICS_NAMESPACE, TARGET_DIMENSIONS } from '../app/serverless/metrics.js';
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

/** One series: the sum of `metric` over every account × region the worker reported. */
const acrossTargets = (id: string, metric: string) => ({
  Metrics: [
    {
      Id: id,
      Expression: `SELECT SUM(${metric}) FROM SCHEMA("${METRICS_NAMESPACE}", ${TARGET_DIMENSIONS.join(', ')})`,
      Period: PERIOD_SECONDS,
      ReturnData: true,
    },
  ],
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
      ...acrossTargets('failed', METRIC.actionsFailed),
    }),
    VolumesOverdueAlarm: alarm({
      ...common('volumes-overdue', 'Volumes whose newest snapshot is older than twice their schedule'),
      ...acrossTargets('overdue', METRIC.volumesOverdue),
    }),
    FanOutErrorsAlarm: alarm({
      ...common('fanout-errors', 'The fan-out failed: no run was started'),
      ...simple('AWS/Lambda', 'Errors', ['FunctionName', ref('FanOut')], 'Sum'),
    }),
  };
}
