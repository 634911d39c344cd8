/**
 * `deploy --dry-run`, `deploy --config` and the refusals that come before any AWS call, end to
 * end against moto behind the counting proxy. `npm run build` first when running it alone.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { motoClientConfig } from '../support/moto/moto.js';
import { runCli, writePolicy } from './cli.js';
import { changedBundle, deployJson, describeStack, REGION, useDeployBehindProxy } from './deploy-harness.js';

const POLICY = `version: 1
settings:
  schedule: {expression: "cron(0 3 * * ? *)", timezone: Europe/Berlin}
policies:
  - id: daily
    select: {volumes: {"tag:Backup": "true"}}
    schedule: {every: 1 day}
    retention: {max_age: 7 days}
`;

const WRITES = [
  'CreateStack',
  'UpdateStack',
  'DeleteStack',
  'CreateBucket',
  'PutObject',
  'UpdateFunctionCode',
  'PutItem',
];

describe('deploy --dry-run', () => {
  const t = useDeployBehindProxy();

  it('with no stack yet lists what it would create, and creates nothing', async () => {
    // Prepare / Act
    const { code, json, stderr } = await deployJson(['deploy', '--dry-run'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.outcome).toBe('dry-run');
    expect(json.stack.action).toBe('create');
    expect(json.changes?.map((c) => c.logical_id)).toEqual(
      expect.arrayContaining(['Worker', 'FanOut', 'Table']),
    );
    for (const write of [...WRITES, 'CreateChangeSet'])
      expect(t.proxy.counts()[write], write).toBeUndefined();
    expect(await describeStack(t)).toBeUndefined();
  });

  it('with a stack previews the update through a change set, deleted again, and changes nothing', async () => {
    // Prepare
    expect((await deployJson(['deploy'], t.env)).code).toBe(0);
    const before = await describeStack(t);
    t.proxy.resetCounts();

    // Act
    const args = [
      'deploy',
      '--dry-run',
      '--schedule',
      'rate(2 hours)',
      '--bundle',
      changedBundle(t.env.workDir),
    ];
    const { code, json, stderr } = await deployJson(args, t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.stack.action).toBe('update');
    expect(json.parameter_changes?.map((p) => p.name).sort()).toEqual(['CodeKey', 'ScheduleExpression']);
    expect(json.code.functions.map((f) => f.status)).toEqual(['would-update', 'would-update']);
    expect(t.proxy.counts()).toMatchObject({ CreateChangeSet: 1, DeleteChangeSet: 1 });
    for (const write of WRITES) expect(t.proxy.counts()[write], write).toBeUndefined();
    expect((await describeStack(t))?.Parameters).toEqual(before?.Parameters);
  });
});

describe('deploy --config', () => {
  const t = useDeployBehindProxy();

  it('validates the file before any AWS call: a bad one exits 1 and calls nothing', async () => {
    // Prepare
    const config = writePolicy(
      t.env.workDir,
      'version: 1\npolicies:\n  - id: x\n    retention: {max_age: 4 dayz}\n',
    );

    // Act
    const { code, stderr } = await runCli(['deploy', '--config', config], t.env);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain('4 dayz');
    expect(t.proxy.counts()).toEqual({});
  });

  it("pushes the config to the stack's table and takes settings.schedule for the schedule", async () => {
    // Prepare
    const config = writePolicy(t.env.workDir, POLICY);

    // Act
    const { code, json, stderr } = await deployJson(['deploy', '--config', config], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.config).toMatchObject({ name: 'default', pushed: true });
    expect(json.parameters).toMatchObject({
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleTimezone: 'Europe/Berlin',
    });
    const table = DynamoDBDocumentClient.from(new DynamoDBClient(motoClientConfig(t.moto.endpoint, REGION)));
    const { Item } = await table.send(
      new GetCommand({ TableName: json.outputs.TableName, Key: { pk: 'config', sk: 'default' } }),
    );
    expect(Item?.text).toBe(POLICY);
  });

  it('a second deploy of the same file writes nothing: no PutItem, and it says the config is unchanged', async () => {
    // Prepare
    const config = writePolicy(t.env.workDir, POLICY);
    const first = await deployJson(['deploy', '--config', config], t.env);
    expect(first.code, first.stderr).toBe(0);
    t.proxy.resetCounts();

    // Act
    const { code, json, stderr } = await deployJson(['deploy', '--config', config], t.env);
    const text = await runCli(['deploy', '--config', config], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.outcome).toBe('unchanged');
    expect(json.config).toMatchObject({ name: 'default', pushed: false, unchanged: true });
    expect(json.config?.sha256).toBe(first.json.config?.sha256);
    for (const write of WRITES) expect(t.proxy.counts()[write], write).toBeUndefined();
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/config\s+"default": unchanged/);
  });

  it('a changed file is pushed again over the stored one', async () => {
    // Prepare
    const config = writePolicy(t.env.workDir, POLICY);
    expect((await deployJson(['deploy', '--config', config], t.env)).code).toBe(0);
    const changed = writePolicy(t.env.workDir, POLICY.replace('max_age: 7 days', 'max_age: 8 days'));
    t.proxy.resetCounts();

    // Act
    const { code, json, stderr } = await deployJson(['deploy', '--config', changed], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.config).toMatchObject({ pushed: true });
    expect(t.proxy.counts().PutItem).toBe(1);
  });

  it('keeps the deployed schedule when neither an option nor the config names one', async () => {
    // Prepare
    expect((await deployJson(['deploy', '--schedule', 'rate(6 hours)'], t.env)).code).toBe(0);
    t.proxy.resetCounts();

    // Act
    const { code, json } = await deployJson(['deploy'], t.env);

    // Assess
    expect(code).toBe(0);
    expect(json.outcome).toBe('unchanged');
    expect(json.parameters.ScheduleExpression).toBe('rate(6 hours)');
  });
});

describe('deploy refuses bad options before any AWS call', () => {
  const t = useDeployBehindProxy();

  it.each([
    [['deploy', '--schedule', 'rate(1 hours)'], '--schedule'],
    [['deploy', '--stack-name', '9lives'], '--stack-name'],
    [['deploy', '--member-role-name', 'no spaces'], '--member-role-name'],
    [['deploy', '--bundle', '/nonexistent/index.js'], 'Lambda bundle'],
    [['deploy', 'member', '--hub-account', '12345'], '--hub-account'],
    [['deploy', 'member', '--hub-account', '123456789012', '--role-arn', 'role/x'], '--role-arn'],
  ])('%j names %s', async (args, named) => {
    // Prepare / Act
    const { code, stderr } = await runCli(args, t.env);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain(named);
    expect(t.proxy.counts()).toEqual({});
  });

  it.each([
    'cron(0 3 * * * *)',
    'cron(0 3 ? * ? *)',
    'cron(0 3 * * ?)',
    'cron(0 3 * 13 ? *)',
    'rate(0 minutes)',
    'rate(2 weeks)',
  ])(
    'refuses --schedule %j, which Scheduler refuses, naming the option and the value',
    async (expression) => {
      // Prepare / Act
      const { code, stderr } = await runCli(['deploy', '--schedule', expression], t.env);

      // Assess
      expect(code).toBe(1);
      expect(stderr).toContain(`--schedule: "${expression}"`);
      expect(t.proxy.counts()).toEqual({});
    },
  );

  it.each([
    ['settings.schedule', 'schedule: "cron(0 3 * * * *)"', 'cron(0 3 * * * *)'],
    ['settings.schedule.expression', 'schedule: {expression: "cron(0 3 ? * ? *)"}', 'cron(0 3 ? * ? *)'],
    [
      'settings.schedule.timezone',
      'schedule: {expression: "rate(1 day)", timezone: Mars/Olympus}',
      'Mars/Olympus',
    ],
  ])('refuses a config whose %s Scheduler refuses, before any AWS call', async (path, line, value) => {
    // Prepare
    const config = writePolicy(
      t.env.workDir,
      POLICY.replace(/ {2}schedule: \{expression.*\n/, `  ${line}\n`),
    );

    // Act
    const { code, stderr } = await runCli(['deploy', '--config', config], t.env);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain(`${path}: "${value}"`);
    expect(t.proxy.counts()).toEqual({});
  });

  it('with --output json still prints one document, saying why', async () => {
    // Prepare / Act
    const { code, stdout } = await runCli(
      ['deploy', '--schedule', 'rate(1 hours)', '--output', 'json'],
      t.env,
    );

    // Assess
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ outcome: 'failed', error: { code: 'UsageError' } });
    expect(t.proxy.counts()).toEqual({});
  });
});
