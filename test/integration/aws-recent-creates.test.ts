/**
 * The worker's journal of recent creates in a DynamoDB table (moto over HTTP): a run of more
 * creates than one item holds spreads them over several items, forgetting rewrites or deletes
 * only the items it touches, and an item past its `expires_at` is treated as absent (moto's TTL
 * never removes anything, and DynamoDB's removes late).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDeployedClients } from '../../src/aws/serverless-clients.js';
import { recentPk } from '../../src/aws/table/keys.js';
import { createTableMemory, MAX_ENTRIES_PER_ITEM } from '../../src/aws/table/recent-creates.js';
import { recentCreate, recentId } from '../support/builders/recent-creates.js';
import { useDeployment } from '../support/moto/deployment.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const KEY = '111111111111-us-east-1';
const NOW = Date.parse('2026-11-25T17:03:12Z');
const HOUR = 3_600_000;

describe('the table memory', () => {
  const t = useMotoBehindProxy();
  const deployed = useDeployment(t);

  const client = () =>
    createDeployedClients({
      region: deployed.current.region,
      endpoint: t.moto.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }).dynamo;
  const skOfItems = async () => {
    const { Items } = await client().send(
      new QueryCommand({
        TableName: deployed.current.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': recentPk(KEY) },
      }),
    );
    return (Items ?? []).map((item) => String(item.sk));
  };
  const entries = (count: number, from = 0) =>
    Array.from({ length: count }, (_, n) =>
      recentCreate({ snapshotId: recentId(from + n), startedAt: NOW + n }),
    );

  it('spreads a big run over items of at most MAX_ENTRIES_PER_ITEM, and a later run reads them all', async () => {
    // Prepare
    const made = entries(MAX_ENTRIES_PER_ITEM + 5);
    const first = await createTableMemory(client(), deployed.current.table, () => NOW).open(KEY);

    // Act
    await first.append(made);
    const second = await createTableMemory(client(), deployed.current.table, () => NOW).open(KEY);

    // Assess
    expect(second.entries).toEqual(made);
    expect(await skOfItems()).toHaveLength(2);
    expect((await skOfItems()).every((sk) => sk.startsWith(`${made[0]!.runId}#`))).toBe(true);
  });

  it('forgets entries: an item left with some is rewritten, an item left with none is deleted', async () => {
    // Prepare
    const journal = await createTableMemory(client(), deployed.current.table, () => NOW).open(KEY);
    await journal.append(entries(3));
    await journal.append(entries(2, 3));

    // Act
    await journal.forget(new Set([recentId(0), recentId(3), recentId(4)]));
    const later = await createTableMemory(client(), deployed.current.table, () => NOW).open(KEY);

    // Assess
    expect(later.entries.map((e) => e.snapshotId)).toEqual([recentId(1), recentId(2)]);
    expect(await skOfItems()).toHaveLength(1);
  });

  it('treats an item whose newest entry is an hour old as absent', async () => {
    // Prepare
    const journal = await createTableMemory(client(), deployed.current.table, () => NOW).open(KEY);
    await journal.append(entries(2));

    // Act
    const justBefore = await createTableMemory(client(), deployed.current.table, () => NOW + HOUR).open(KEY);
    const after = await createTableMemory(client(), deployed.current.table, () => NOW + 1 + HOUR).open(KEY);

    // Assess
    expect(justBefore.entries).toHaveLength(2);
    expect(after.entries).toEqual([]);
  });
});
