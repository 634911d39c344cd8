/**
 * The hub's table outlives its stack (`DeletionPolicy: Retain`): a new stack of the same name
 * finds it again here. A table qualifies only when all of these hold, so nobody's other table is
 * ever taken: CloudFormation's name for it (`<stack>-Table-<suffix>`), the mark the template puts
 * on it (tag `ebs-snapper:data-table` = the stack's name), the hub's keys, and a usable state.
 */
import {
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { KeptTable, KeptTablePort } from '../app/deploy/ports.js';
import { callAws, toAwsCallError } from './errors.js';
import type { AwsOperation } from './iam.js';
import { TABLE_KEY_SCHEMA } from './table/keys.js';

/** The tag that marks a table as the data table of the stack named by its value. */
export const DATA_TABLE_TAG = 'ebs-snapper:data-table';

/** The hub template's logical id of the table; CloudFormation names it `<stack>-Table-<suffix>`. */
export const TABLE_LOGICAL_ID = 'Table';

/** What the lookup needs: the region's table names, then a look at the stack's own tables only. */
export const KEPT_TABLE_OPERATIONS = [
  { operation: 'kept-table-list', actions: ['dynamodb:ListTables'] },
  {
    operation: 'kept-table-read',
    actions: ['dynamodb:DescribeTable', 'dynamodb:ListTagsOfResource'],
    resources: ['arn:{partition}:dynamodb:*:*:table/{stack}-*'],
  },
] as const satisfies readonly AwsOperation[];

const USABLE = new Set(['ACTIVE', 'UPDATING']);

/** @example const kept = await createKeptTablePort(dynamodb).find('ebs-snapper'); */
export function createKeptTablePort(client: DynamoDBClient): KeptTablePort {
  return {
    async find(stackName) {
      const prefix = `${stackName}-${TABLE_LOGICAL_ID}-`;
      const kept: KeptTable[] = [];
      for (const name of (await tableNames(client)).filter((n) => n.startsWith(prefix))) {
        const table = await describe(client, name);
        if (table === undefined || !hasHubShape(table)) continue;
        if (!(await markedFor(client, table.TableArn!, stackName))) continue;
        const created = table.CreationDateTime?.getTime();
        kept.push({ name, ...(created === undefined ? {} : { createdAt: created }) });
      }
      return kept;
    },
  };
}

async function tableNames(client: DynamoDBClient): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await callAws('ListTables', () =>
      client.send(new ListTablesCommand({ ExclusiveStartTableName: start })),
    );
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start !== undefined);
  return names;
}

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    return Table;
  } catch (error) {
    // Deleted between the listing and now.
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw toAwsCallError('DescribeTable', error);
  }
}

/** Usable, with the hub's string keys `pk`/`sk`: a table of that name made by hand is not ours. */
function hasHubShape(table: TableDescription): boolean {
  if (table.TableArn === undefined || !USABLE.has(table.TableStatus ?? '')) return false;
  const keys = (table.KeySchema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).sort();
  const wanted = TABLE_KEY_SCHEMA.KeySchema.map((k) => `${k.AttributeName}:${k.KeyType}`).sort();
  const types = new Map((table.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
  return (
    keys.join() === wanted.join() &&
    TABLE_KEY_SCHEMA.AttributeDefinitions.every((a) => types.get(a.AttributeName) === a.AttributeType)
  );
}

async function markedFor(client: DynamoDBClient, arn: string, stackName: string): Promise<boolean> {
  let token: string | undefined;
  do {
    const page = await callAws('ListTagsOfResource', () =>
      client.send(new ListTagsOfResourceCommand({ ResourceArn: arn, NextToken: token })),
    );
    if ((page.Tags ?? []).some((tag) => tag.Key === DATA_TABLE_TAG && tag.Value === stackName)) return true;
    token = page.NextToken;
  } while (token !== undefined);
  return false;
}
