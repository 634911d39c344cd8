import { describe, expect, it } from 'vitest';
import { FANOUT_OPERATIONS, WORKER_OPERATIONS } from '../aws/iam-serverless.js';
import { type CfnResource, templateBody } from './cfn.js';
import { WORKER_TIMEOUT_SECONDS } from './hub-data.js';
import { hubTemplate } from './hub-template.js';
import { functionRoleStatements } from './role-policies.js';

const template = hubTemplate();
const resource = (id: string): CfnResource => {
  const found = template.Resources[id];
  if (found === undefined) throw new Error(`no resource ${id}`);
  return found;
};
const byType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

interface Statement {
  readonly Action: string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** The role's statements, `Fn::If`-guarded ones taken as present. */
function roleStatements(id: string): Statement[] {
  const policies = resource(id).Properties.Policies as { PolicyDocument: { Statement: unknown[] } }[];
  return policies
    .flatMap((p) => p.PolicyDocument.Statement)
    .map((s) => ((s as { 'Fn::If'?: unknown[] })['Fn::If']?.[1] ?? s) as Statement);
}

describe('hubTemplate', () => {
  it('runs both handlers of the package on nodejs22.x, with the environment SPEC §10 names', () => {
    // Prepare / Act
    const functions = byType('AWS::Lambda::Function').map(([id, r]) => [id, r.Properties] as const);

    // Assess
    expect(functions.map(([id, p]) => [id, p.Runtime, p.Handler])).toEqual([
      ['Worker', 'nodejs22.x', 'worker.worker'],
      ['FanOut', 'nodejs22.x', 'fanout.fanOut'],
    ]);
    for (const [id, properties] of functions) {
      const variables = (properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(variables).sort()).toEqual([
        'EBS_SNAPPER_CONFIG_NAME',
        // What the worker's role allows, so it can fail a target clearly instead of with AccessDenied.
        ...(id === 'Worker' ? ['EBS_SNAPPER_FEATURES'] : []),
        'EBS_SNAPPER_MEMBER_ROLE_NAME',
        // Set only on a stack deployed with `MetricDimensions: deployment` (an `Fn::If`).
        ...(id === 'Worker' ? ['EBS_SNAPPER_METRICS'] : []),
        'EBS_SNAPPER_QUEUE_URL',
        // Where a batch hands on a target with work, to a worker of its own.
        ...(id === 'Worker' ? ['EBS_SNAPPER_SOLO_QUEUE_URL'] : []),
        'EBS_SNAPPER_TABLE',
        'EBS_SNAPPER_TOPIC_ARN',
        // The bundles are minified: stack traces read through their source maps.
        'NODE_OPTIONS',
      ]);
      expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
    expect(resource('Worker').Properties.Timeout).toBe(900);
    expect(resource('FanOut').Properties.Timeout).toBeLessThanOrEqual(300);
  });

  it('gives the worker the memory the collect-limits bench sized it to: a million snapshots fit, with their CPU', () => {
    // Prepare / Act
    const worker = resource('Worker').Properties;

    // Assess: 1,024 MB peaked at 89% of it collecting and planning 1,000,000 snapshots, on 0.58 vCPU.
    expect(worker.MemorySize).toBe(1536);
    expect(resource('FanOut').Properties.MemorySize).toBe(256);
  });

  it('feeds the worker batches of the work queue and single items of the solo queue, both giving up after 3 receives', () => {
    // Prepare / Act
    const queues = [resource('WorkQueue').Properties, resource('SoloQueue').Properties];
    const batches = resource('WorkerEventSource').Properties;
    const solo = resource('SoloEventSource').Properties;

    // Assess: a batch is held for its window before the worker starts, so the visibility covers both
    for (const queue of queues) {
      expect(queue.RedrivePolicy).toMatchObject({
        maxReceiveCount: 3,
        deadLetterTargetArn: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] },
      });
      expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(
        WORKER_TIMEOUT_SECONDS + (batches.MaximumBatchingWindowInSeconds as number),
      );
    }
    expect(batches).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['WorkQueue', 'Arn'] },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(solo).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['SoloQueue', 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('lets the worker hand work items to the solo queue and take them from it, and nothing else send there', () => {
    // Prepare / Act
    const statements = (id: string) => JSON.stringify(resource(id).Properties.Policies);

    // Assess
    expect(statements('WorkerRole')).toContain('${SoloQueue.Arn}');
    expect(statements('FanOutRole')).not.toContain('SoloQueue');
  });

  it('keeps one on-demand table with string keys pk/sk and TTL on expires_at', () => {
    // Prepare / Act
    const table = resource('Table').Properties;

    // Assess
    expect(table).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
    });
  });

  it('keeps the table when the stack goes: retained, protected from deletion, marked as the stack’s', () => {
    // Prepare / Act
    const table = resource('Table');

    // Assess
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.Properties.Tags).toEqual([
      { Key: 'ebs-snapper:data-table', Value: { Ref: 'AWS::StackName' } },
    ]);
    expect(table.Condition).toBe('CreatesTable');
    expect(template.Conditions?.CreatesTable).toEqual({ 'Fn::Equals': [{ Ref: 'KeptTableName' }, ''] });
  });

  it('lets nothing a deploy varies replace the table: no name, keys fixed, no parameter in its properties', () => {
    // Prepare
    const properties = resource('Table').Properties;
    const refs = JSON.stringify(properties).match(/"Ref":"[^"]+"/g) ?? [];

    // Act / Assess: the properties whose change makes CloudFormation replace a table
    expect(properties.TableName).toBeUndefined();
    expect(properties.LocalSecondaryIndexes).toBeUndefined();
    expect(JSON.stringify([properties.KeySchema, properties.AttributeDefinitions])).not.toMatch(/Ref|Fn::/);
    expect(refs).toEqual(['"Ref":"AWS::StackName"']);
    expect(JSON.stringify(properties)).not.toContain('Fn::');
  });

  it('points the functions, their roles and the outputs at the table kept, when one is named', () => {
    // Prepare
    const inUse = { 'Fn::If': ['CreatesTable', { Ref: 'Table' }, { Ref: 'KeptTableName' }] };
    const tableStatements = roleStatements('WorkerRole').filter((s) => s.Action.includes('dynamodb:PutItem'));

    // Act / Assess
    for (const fn of ['Worker', 'FanOut']) {
      const variables = (resource(fn).Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(variables.EBS_SNAPPER_TABLE).toEqual(inUse);
    }
    expect(template.Outputs.TableName?.Value).toEqual(inUse);
    expect(tableStatements.length).toBeGreaterThan(0);
    for (const statement of tableStatements)
      expect(statement.Resource).toContainEqual({
        'Fn::Sub': [
          'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${DataTableName}',
          { DataTableName: inUse },
        ],
      });
    expect(template.Parameters.KeptTableName?.Default).toBe('');
  });

  it('starts the fan-out on the schedule parameters, with a role that may invoke the fan-out only', () => {
    // Prepare / Act
    const schedule = resource('Schedule').Properties;
    const statements = roleStatements('SchedulerRole');

    // Assess
    expect(schedule).toMatchObject({
      ScheduleExpression: { Ref: 'ScheduleExpression' },
      ScheduleExpressionTimezone: { Ref: 'ScheduleTimezone' },
      Target: { Arn: { 'Fn::GetAtt': ['FanOut', 'Arn'] } },
    });
    expect(statements.flatMap((s) => s.Action)).toEqual(['lambda:InvokeFunction']);
  });

  it("grants each function's role every action its declarations name, and deletes only tagged snapshots", () => {
    // Prepare
    const roles = { WorkerRole: WORKER_OPERATIONS, FanOutRole: FANOUT_OPERATIONS };

    // Act / Assess
    for (const [role, operations] of Object.entries(roles)) {
      const granted = new Set(roleStatements(role).flatMap((s) => s.Action));
      for (const action of operations.flatMap((op) => op.actions))
        expect(granted, `${role} ${action}`).toContain(action);
    }
    const deletes = roleStatements('WorkerRole').filter((s) => s.Action.includes('ec2:DeleteSnapshot'));
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.Condition).toEqual({ StringLike: { 'aws:ResourceTag/ebs-snapper:policy': '*' } });
    expect(roleStatements('FanOutRole').flatMap((s) => s.Action)).not.toContain('ec2:DeleteSnapshot');
  });

  it('builds the worker role of a stack deployed with a config from the features it uses, statement by statement', () => {
    // Prepare
    const statementsOf = (t: ReturnType<typeof hubTemplate>) => {
      const policies = t.Resources.WorkerRole?.Properties.Policies as {
        PolicyDocument: { Statement: unknown[] };
      }[];
      return policies
        .flatMap((p) => p.PolicyDocument.Statement)
        .map((s) => (s as { 'Fn::If'?: unknown[] })['Fn::If']?.[1] ?? s) as {
        Sid?: string;
        Action: string[];
        Resource?: unknown;
        Condition?: unknown;
      }[];
    };

    // Act
    const every = statementsOf(hubTemplate());
    const volumesOnly = statementsOf(hubTemplate('volume-snapshots'));
    const withStops = statementsOf(hubTemplate('stop-instance,volume-snapshots'));

    // Assess: without the config's features, their statements are gone, the others are the same
    const actions = (statements: { Action: string[] }[]) => new Set(statements.flatMap((s) => s.Action));
    expect(actions(every)).toContain('ec2:CopySnapshot');
    for (const action of [
      'ec2:CopySnapshot',
      'kms:CreateGrant',
      'ec2:CreateSnapshots',
      'ec2:StopInstances',
      'autoscaling:EnterStandby',
    ])
      expect(actions(volumesOnly), action).not.toContain(action);
    expect(actions(withStops)).toContain('ec2:StopInstances');
    expect(actions(withStops)).not.toContain('ec2:CopySnapshot');
    const tagOnCreate = volumesOnly.find((s) => s.Sid === 'TagOnCreate');
    expect(tagOnCreate?.Condition).toEqual({ StringEquals: { 'ec2:CreateAction': ['CreateSnapshot'] } });
    // Nothing is granted that the full role does not grant the same way (resources, condition).
    for (const statement of volumesOnly.filter((s) => s.Sid !== 'TagOnCreate'))
      expect(
        every.some(
          (e) =>
            JSON.stringify([e.Resource, e.Condition]) ===
              JSON.stringify([statement.Resource, statement.Condition]) &&
            statement.Action.every((a) => e.Action.includes(a)),
        ),
        JSON.stringify(statement),
      ).toBe(true);
    expect(hubTemplate().Parameters.Features?.Default).toBe('*');
  });

  it('exports the functions statements as the declarations give them', () => {
    // Prepare / Act
    const { worker, fanOut } = functionRoleStatements();

    // Assess
    expect(worker.flatMap((s) => s.Action)).toEqual(
      expect.arrayContaining(['sqs:SendMessage', 'ec2:CreateSnapshot']),
    );
    expect(fanOut.flatMap((s) => s.Action)).toEqual(expect.arrayContaining(['organizations:ListAccounts']));
    expect(JSON.stringify(worker)).toContain('{table}');
  });

  it('alarms on the dead-letter queue, failed actions and overdue volumes, in the namespace the worker emits', () => {
    // Prepare / Act
    const alarms = Object.fromEntries(byType('AWS::CloudWatch::Alarm').map(([id, r]) => [id, r.Properties]));

    // Assess
    expect(Object.keys(alarms)).toEqual(
      expect.arrayContaining(['DeadLetterAlarm', 'ActionsFailedAlarm', 'VolumesOverdueAlarm']),
    );
    for (const alarm of Object.values(alarms)) expect(alarm.AlarmActions).toEqual([{ Ref: 'Topic' }]);
  });

  it('alarms on the one series without dimensions of ActionsFailed and VolumesOverdue: exact at any number of targets', () => {
    // Prepare / Act
    const alarms = Object.fromEntries(byType('AWS::CloudWatch::Alarm').map(([id, r]) => [id, r.Properties]));

    // Assess: a plain metric alarm (no Metrics Insights query, which processes at most 10,000 series)
    for (const [id, metric] of [
      ['ActionsFailedAlarm', 'ActionsFailed'],
      ['VolumesOverdueAlarm', 'VolumesOverdue'],
    ] as const) {
      expect(alarms[id]).toMatchObject({
        Namespace: 'ebs-snapper',
        MetricName: metric,
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(alarms[id]).not.toHaveProperty('Dimensions');
      expect(alarms[id]).not.toHaveProperty('Metrics');
    }
  });

  it('publishes the worker metrics per target unless MetricDimensions says deployment', () => {
    // Prepare / Act
    const parameter = template.Parameters.MetricDimensions;
    const variables = (resource('Worker').Properties.Environment as { Variables: Record<string, unknown> })
      .Variables;
    const fanOut = (resource('FanOut').Properties.Environment as { Variables: Record<string, unknown> })
      .Variables;

    // Assess
    expect(parameter).toMatchObject({
      Type: 'String',
      Default: 'target',
      AllowedValues: ['target', 'deployment'],
    });
    expect(template.Conditions?.MetricsDeploymentWide).toEqual({
      'Fn::Equals': [{ Ref: 'MetricDimensions' }, 'deployment'],
    });
    // The default stack's worker has no EBS_SNAPPER_METRICS at all: its environment as before.
    expect(variables.EBS_SNAPPER_METRICS).toEqual({
      'Fn::If': ['MetricsDeploymentWide', { Ref: 'MetricDimensions' }, { Ref: 'AWS::NoValue' }],
    });
    expect(fanOut).not.toHaveProperty('EBS_SNAPPER_METRICS');
  });

  it('gives every function a log group with the retention parameter', () => {
    // Prepare / Act
    const groups = byType('AWS::Logs::LogGroup').map(([, r]) => r.Properties);

    // Assess
    expect(groups).toHaveLength(2);
    for (const group of groups) expect(group.RetentionInDays).toEqual({ Ref: 'LogRetentionDays' });
  });

  it('fits in a CreateStack body (51,200 bytes) and is the same text every time', () => {
    // Prepare / Act
    const body = templateBody(hubTemplate());

    // Assess
    expect(Buffer.byteLength(body)).toBeLessThan(51_200);
    expect(templateBody(hubTemplate())).toBe(body);
  });
});
