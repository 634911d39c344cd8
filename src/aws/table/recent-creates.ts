/**
 * The worker's journal of recent creates (src/app/run/recent-creates.ts) in the deployment's table,
 * beside the lease that keeps other runs off the account × region: partition
 * `recent#<account>-<region>`, one item per write of a run, its entries a JSON list. A run of
 * 30,000 creates outgrows one item (400 KB), so a write never holds more than
 * {@link MAX_ENTRIES_PER_ITEM}, and forgetting rewrites or deletes only the items it touches. Only
 * the lease holder writes; reads are strongly consistent, so a run sees the last run's writes.
 * An item whose `expires_at_ms` has passed is treated as absent (DynamoDB's TTL deletes late).
 */
import { randomBytes } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import {
  decodeRecentCreate,
  encodeRecentCreate,
  RECENT_CREATE_BOUND_MS,
  type RecentCreate,
} from '../../app/run/recent-creates.js';
import type { RecentJournal, TargetMemory } from '../../app/run/run-memory.js';
import { callAws, toAwsCallError } from '../errors.js';
import { recentPk, TTL_ATTRIBUTE, ttlSeconds } from './keys.js';

/** About 200 bytes each as JSON: 80 KB an item at most, far below DynamoDB's 400 KB. */
export const MAX_ENTRIES_PER_ITEM = 400;

/**
 * @example runTarget(ec2, config, { ..., memory: createTableMemory(documentClient, 'ebs-snapper') });
 */
export function createTableMemory(
  client: DynamoDBDocumentClient,
  table: string,
  clock: () => number = Date.now,
): TargetMemory {
  return {
    async open(key) {
      const items = await readItems(client, table, recentPk(key), clock());
      return new TableJournal(client, table, recentPk(key), items);
    },
  };
}

class TableJournal implements RecentJournal {
  readonly entries: readonly RecentCreate[];
  private readonly writer = randomBytes(4).toString('hex');
  private parts = 0;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly pk: string,
    /** sk → entries, as stored (this run's writes included). */
    private readonly items: Map<string, readonly RecentCreate[]>,
  ) {
    this.entries = [...items.values()].flat().sort((a, b) => a.startedAt - b.startedAt);
  }

  async append(entries: readonly RecentCreate[]): Promise<void> {
    for (let at = 0; at < entries.length; at += MAX_ENTRIES_PER_ITEM) {
      const part = entries.slice(at, at + MAX_ENTRIES_PER_ITEM);
      this.parts += 1;
      const sk = `${part[0]!.runId}#${this.writer}#${String(this.parts).padStart(4, '0')}`;
      await this.put(sk, part);
    }
  }

  async forget(snapshotIds: ReadonlySet<string>): Promise<void> {
    for (const [sk, entries] of [...this.items]) {
      const kept = entries.filter((e) => !snapshotIds.has(e.snapshotId));
      if (kept.length === entries.length) continue;
      if (kept.length > 0) {
        await this.put(sk, kept);
        continue;
      }
      await callAws('DeleteItem', () =>
        this.client.send(new DeleteCommand({ TableName: this.table, Key: { pk: this.pk, sk } })),
      );
      this.items.delete(sk);
    }
  }

  private async put(sk: string, entries: readonly RecentCreate[]): Promise<void> {
    const expiresAt = Math.max(...entries.map((e) => e.startedAt)) + RECENT_CREATE_BOUND_MS;
    const item = {
      pk: this.pk,
      sk,
      entries: JSON.stringify(entries.map(encodeRecentCreate)),
      [TTL_ATTRIBUTE]: ttlSeconds(expiresAt),
      expires_at_ms: expiresAt,
    };
    await callAws('PutItem', () => this.client.send(new PutCommand({ TableName: this.table, Item: item })));
    this.items.set(sk, entries);
  }
}

async function readItems(
  client: DynamoDBDocumentClient,
  table: string,
  pk: string,
  now: number,
): Promise<Map<string, readonly RecentCreate[]>> {
  const items = new Map<string, readonly RecentCreate[]>();
  try {
    const pages = paginateQuery(
      { client },
      {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        if (typeof item.expires_at_ms === 'number' && item.expires_at_ms <= now) continue;
        items.set(String(item.sk), parseEntries(item.entries));
      }
    }
  } catch (error) {
    throw toAwsCallError('Query', error);
  }
  return items;
}

function parseEntries(text: unknown): RecentCreate[] {
  if (typeof text !== 'string') return [];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list.flatMap((value) => {
    const entry = decodeRecentCreate(value);
    return entry === undefined ? [] : [entry];
  });
}
