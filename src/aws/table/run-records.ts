/**
 * Run records (SPEC §10): one item per account × region per invocation of a run, kept 90 days.
 * Written conditionally, so the history is idempotent: a record is replaced only by one that tells
 * more (its `precedence`), never by a redelivery that found nothing left or failed.
 */
import { type DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { RunDeletes, RunRecord, RunRecordStore } from '../../app/serverless/ports.js';
import { callAws, toAwsCallError } from '../errors.js';
import { isConditionFailed } from './conditional.js';
import { deletedPk, RUN_RECORD_TTL_MS, runPk, runSk, TTL_ATTRIBUTE, ttlSeconds } from './keys.js';

/**
 * Snapshot ids per item of a run's deletes: ~25 bytes each, so a part stays far below DynamoDB's
 * 400 KB item limit however many a run deleted.
 */
const IDS_PER_PART = 5000;

/** @example await createRunRecordStore(client, table).put(record, precedence); */
export function createRunRecordStore(client: DynamoDBDocumentClient, table: string): RunRecordStore {
  return {
    async put(record, precedence) {
      await putDeleted(client, table, record);
      const item = {
        pk: runPk(record.runId),
        sk: runSk(record.account, record.region, record.continuation),
        run_id: record.runId,
        account: record.account,
        region: record.region,
        continuation: record.continuation,
        started_at: record.startedAt,
        ended_at: record.endedAt,
        created: record.created,
        deleted: record.deleted,
        failed: record.failed,
        deferred: record.deferred,
        outcome: record.outcome,
        failures: record.failures,
        ...(record.drills === undefined ? {} : { drills: drillsItem(record.drills) }),
        ...(record.empty === true ? { empty: true } : {}),
        precedence,
        [TTL_ATTRIBUTE]: ttlSeconds(Date.parse(record.startedAt) + RUN_RECORD_TTL_MS),
      };
      try {
        await callAws('PutItem', () =>
          client.send(
            new PutCommand({
              TableName: table,
              Item: item,
              ConditionExpression: 'attribute_not_exists(pk) OR #precedence < :precedence',
              ExpressionAttributeNames: { '#precedence': 'precedence' },
              ExpressionAttributeValues: { ':precedence': precedence },
            }),
          ),
        );
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },
    async list(runId) {
      const records: RunRecord[] = [];
      try {
        const pages = paginateQuery(
          { client },
          {
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': runPk(runId) },
          },
        );
        for await (const page of pages) for (const item of page.Items ?? []) records.push(toRunRecord(item));
      } catch (error) {
        throw toAwsCallError('Query', error);
      }
      return records;
    },
    listDeleted: (runId) => listDeleted(client, table, runId),
  };
}

/**
 * The record's deleted ids, in parts of their own. Each invocation writes under its own start time,
 * never over another's: a message delivered twice loses no delete of either delivery.
 */
async function putDeleted(client: DynamoDBDocumentClient, table: string, record: RunRecord): Promise<void> {
  const ids = record.deletedSnapshotIds ?? [];
  const base = `${runSk(record.account, record.region, record.continuation)}#${record.startedAt}`;
  for (let part = 0; part * IDS_PER_PART < ids.length; part++) {
    const item = {
      pk: deletedPk(record.runId),
      sk: `${base}#${String(part).padStart(4, '0')}`,
      account: record.account,
      region: record.region,
      snapshot_ids: ids.slice(part * IDS_PER_PART, (part + 1) * IDS_PER_PART),
      [TTL_ATTRIBUTE]: ttlSeconds(Date.parse(record.startedAt) + RUN_RECORD_TTL_MS),
    };
    await callAws('PutItem', () => client.send(new PutCommand({ TableName: table, Item: item })));
  }
}

/** Every part of a run's deletes, by account × region. */
async function listDeleted(
  client: DynamoDBDocumentClient,
  table: string,
  runId: string,
): Promise<RunDeletes[]> {
  const byTarget = new Map<string, { account: string; region: string; ids: Set<string> }>();
  try {
    const pages = paginateQuery(
      { client },
      {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': deletedPk(runId) },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const account = String(item.account);
        const region = String(item.region);
        const key = `${account}/${region}`;
        const entry = byTarget.get(key) ?? { account, region, ids: new Set<string>() };
        for (const id of (item.snapshot_ids as string[] | undefined) ?? []) entry.ids.add(id);
        byTarget.set(key, entry);
      }
    }
  } catch (error) {
    throw toAwsCallError('Query', error);
  }
  return [...byTarget.values()].map(({ account, region, ids }) => ({
    account,
    region,
    snapshotIds: [...ids],
  }));
}

function toRunRecord(item: Record<string, unknown>): RunRecord {
  return {
    runId: String(item.run_id),
    account: String(item.account),
    region: String(item.region),
    continuation: Number(item.continuation ?? 0),
    startedAt: String(item.started_at),
    endedAt: String(item.ended_at),
    created: Number(item.created ?? 0),
    deleted: Number(item.deleted ?? 0),
    failed: Number(item.failed ?? 0),
    deferred: Number(item.deferred ?? 0),
    outcome: String(item.outcome) as RunRecord['outcome'],
    failures: (item.failures as RunRecord['failures'] | undefined) ?? [],
    ...(item.drills === undefined ? {} : { drills: drillsOf(item.drills as Record<string, unknown>) }),
    ...(item.empty === true ? { empty: true as const } : {}),
  };
}

type Drills = NonNullable<RunRecord['drills']>;

/** A record's drill counts as the table keeps them (snake_case, as every attribute). */
const drillsItem = (d: Drills) => ({
  started: d.started,
  passed: d.passed,
  failed: d.failed,
  in_flight: d.inFlight,
});

const drillsOf = (item: Record<string, unknown>): Drills => ({
  started: Number(item.started ?? 0),
  passed: Number(item.passed ?? 0),
  failed: Number(item.failed ?? 0),
  inFlight: Number(item.in_flight ?? 0),
});
