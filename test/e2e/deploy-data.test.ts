/**
 * Configs and run history are data, not stack resources to lose: the hub's table outlives its
 * stack (deleted, or deleted and created again after a failed create), the next stack of that name
 * takes it up again, and an update that would replace it is refused. End to end: the built CLI
 * against moto behind the counting proxy. `npm run build` first when running it alone.
 */
import { DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand, DescribeTableCommand, TagResourceCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/app/serverless/ports.js';
import { TABLE_KEY_SCHEMA } from '../../src/aws/table/keys.js';
import { createRunRecordStore } from '../../src/aws/table/run-records.js';
import type { AnswerRewrite } from '../support/proxy/answer-rewrite.js';
import { runCli, writePolicy } from './cli.js';
import {
  type DeployContext,
  deployJson,
  describeStack,
  liveEnvironment,
  STACK,
  stackStatusRewrite,
  tableNames,
  useDeployBehindProxy,
} from './deploy-harness.js';

const WORKER = 'ebs-snapper-worker';

const POLICY = `version: 1
policies:
  - id: daily
    select: {volumes: {"tag:Backup": "true"}}
    schedule: {every: 1 day}
    retention: {max_age: 7 days}
`;

const RECORD: RunRecord = {
  runId: 'run-kept-1',
  account: '123456789012',
  region: 'us-east-1',
  continuation: 0,
  startedAt: '2026-11-29T03:00:00.000Z',
  endedAt: '2026-11-29T03:01:00.000Z',
  created: 4,
  deleted: 2,
  failed: 0,
  deferred: 0,
  outcome: 'ok',
  failures: [],
};

/** A deployed stack with a pushed config and one run record in its table; the table's name. */
async function deployWithData(t: DeployContext): Promise<string> {
  const config = writePolicy(t.env.workDir, POLICY);
  const { code, json, stderr } = await deployJson(['deploy', '--config', config], t.env);
  expect(code, stderr).toBe(0);
  const table = json.outputs.TableName!;
  await createRunRecordStore(t.documents, table).put(RECORD, 3);
  return table;
}

/** The config and the run record are still in `table`, read through the CLI and the adapter. */
async function expectDataIn(t: DeployContext, table: string): Promise<void> {
  const pulled = await runCli(['config', 'pull', '--table', table], t.env);
  expect(pulled.code, pulled.stderr).toBe(0);
  expect(pulled.stdout).toBe(POLICY);
  expect(await createRunRecordStore(t.documents, table).list(RECORD.runId)).toEqual([RECORD]);
}

describe('deploy keeps configs and run history when the stack goes', () => {
  const t = useDeployBehindProxy();

  it('a deleted stack leaves its table, and the next deploy takes it up with its configs and records', async () => {
    // Prepare
    const table = await deployWithData(t);
    await t.cloudformation.send(new DeleteStackCommand({ StackName: STACK }));
    expect(await tableNames(t)).toEqual([table]);

    // Act
    const { code, json, stderr } = await deployJson(['deploy'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.outcome).toBe('created');
    expect(stderr).toContain(`using the table kept from an earlier stack: ${table}`);
    expect(json.kept_table).toBe(table);
    expect(json.outputs.TableName).toBe(table);
    expect((await liveEnvironment(t, WORKER)).EBS_SNAPPER_TABLE).toBe(table);
    expect(await tableNames(t)).toEqual([table]);
    await expectDataIn(t, table);
  });

  it('a stack in ROLLBACK_COMPLETE is deleted and created again on the same table', async () => {
    // Prepare
    const table = await deployWithData(t);
    t.proxy.configure({ rewrite: { DescribeStacks: stackStatusRewrite('ROLLBACK_COMPLETE', { times: 1 }) } });

    // Act
    const { code, json, stderr } = await deployJson(['deploy'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.outcome).toBe('recreated');
    expect(json.outputs.TableName).toBe(table);
    expect(await tableNames(t)).toEqual([table]);
    await expectDataIn(t, table);
  });

  it('the stack taken up keeps the table on its later updates', async () => {
    // Prepare
    const table = await deployWithData(t);
    await t.cloudformation.send(new DeleteStackCommand({ StackName: STACK }));
    expect((await deployJson(['deploy'], t.env)).code).toBe(0);

    // Act
    const { code, json, stderr } = await deployJson(['deploy', '--schedule', 'rate(2 hours)'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.outcome).toBe('updated');
    expect(json.outputs.TableName).toBe(table);
    expect(await tableNames(t)).toEqual([table]);
    await expectDataIn(t, table);
  });

  it('a dry run says it would take the kept table up, and makes nothing', async () => {
    // Prepare
    const table = await deployWithData(t);
    await t.cloudformation.send(new DeleteStackCommand({ StackName: STACK }));
    t.proxy.resetCounts();

    // Act
    const { code, json, stderr } = await deployJson(['deploy', '--dry-run'], t.env);
    const text = await runCli(['deploy', '--dry-run'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.kept_table).toBe(table);
    expect(json.parameters.KeptTableName).toBe(table);
    expect(json.changes?.map((c) => c.logical_id)).not.toContain('Table');
    expect(text.stdout).toContain(`would use the table kept from an earlier stack: ${table}`);
    expect(t.proxy.counts().CreateStack).toBeUndefined();
    expect(await describeStack(t)).toBeUndefined();
  });

  it('deleting the stack a second time still leaves the table', async () => {
    // Prepare
    const table = await deployWithData(t);
    await t.cloudformation.send(new DeleteStackCommand({ StackName: STACK }));
    expect((await deployJson(['deploy'], t.env)).code).toBe(0);

    // Act
    await t.cloudformation.send(new DeleteStackCommand({ StackName: STACK }));

    // Assess
    expect(await describeStack(t)).toBeUndefined();
    expect(await tableNames(t)).toEqual([table]);
    await expectDataIn(t, table);
  });
});

describe('deploy takes up only a table marked as this stack’s', () => {
  const t = useDeployBehindProxy();

  it('leaves alone tables of the same name pattern that are not marked, or marked for another stack', async () => {
    // Prepare
    const unmarked = await createTable(t, `${STACK}-Table-BYHAND`);
    const other = await createTable(t, `${STACK}-Table-OTHER`, 'ebs-snapper-other');

    // Act
    const { code, json, stderr } = await deployJson(['deploy'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.kept_table).toBeNull();
    expect([unmarked, other]).not.toContain(json.outputs.TableName);
    expect(await tableNames(t)).toHaveLength(3);
  });

  it('two marked tables: refuses to guess, names both, and creates nothing', async () => {
    // Prepare
    const first = await createTable(t, `${STACK}-Table-FIRST`, STACK);
    const second = await createTable(t, `${STACK}-Table-SECOND`, STACK);

    // Act
    const { code, stderr } = await runCli(['deploy'], t.env);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain(first);
    expect(stderr).toContain(second);
    expect(t.proxy.counts().CreateStack).toBeUndefined();
    expect(await describeStack(t)).toBeUndefined();
  });
});

describe('deploy never lets an update replace the table', () => {
  const t = useDeployBehindProxy();

  it('refuses an update whose change set replaces the table: exit 1, saying why, nothing executed', async () => {
    // Prepare
    const table = await deployWithData(t);
    const before = await describeStack(t);
    t.proxy.configure({ rewrite: { DescribeChangeSet: tableReplacedInChangeSet(table) } });
    t.proxy.resetCounts();

    // Act
    const { code, stderr } = await runCli(['deploy', '--schedule', 'rate(2 hours)'], t.env);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toMatch(/would replace the table/);
    expect(stderr).toContain(table);
    expect(t.proxy.counts().ExecuteChangeSet).toBeUndefined();
    expect(t.proxy.counts().UpdateStack).toBeUndefined();
    expect(t.proxy.counts().DeleteChangeSet).toBe(1);
    expect((await describeStack(t))?.Parameters).toEqual(before?.Parameters);
    await expectDataIn(t, table);
  });
});

/** A table with the hub's keys, marked as `stack`'s data table when `stack` is given. */
async function createTable(t: DeployContext, name: string, stack?: string): Promise<string> {
  await t.dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...TABLE_KEY_SCHEMA.AttributeDefinitions],
      KeySchema: [...TABLE_KEY_SCHEMA.KeySchema],
    }),
  );
  if (stack !== undefined) {
    const { Table } = await t.dynamo.send(new DescribeTableCommand({ TableName: name }));
    await t.dynamo.send(
      new TagResourceCommand({
        ResourceArn: Table!.TableArn!,
        Tags: [{ Key: 'ebs-snapper:data-table', Value: stack }],
      }),
    );
  }
  return name;
}

/** DescribeChangeSet says the table would be replaced (moto never fills in `Replacement`). */
function tableReplacedInChangeSet(table: string): AnswerRewrite {
  const change = `<member><Type>Resource</Type><ResourceChange><Action>Modify</Action><LogicalResourceId>Table</LogicalResourceId><PhysicalResourceId>${table}</PhysicalResourceId><ResourceType>AWS::DynamoDB::Table</ResourceType><Replacement>True</Replacement></ResourceChange></member>`;
  return {
    body: (body) =>
      body.includes('<Changes/>')
        ? body.replace('<Changes/>', `<Changes>${change}</Changes>`)
        : body.replace('<Changes>', `<Changes>${change}`),
  };
}
