/**
 * Run records (SPEC §10): one item per account × region per invocation of a run, kept 90 days.
 * Written conditionally, so the history is idempotent: a record is replaced only by one that tells
 * more (its `precedence`), never by a redelivery that found nothing left or failed.
 */
import { type DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { RunRecord, RunRecordStore } from '../../app/serverless/ports.js';
import { callAws, toAwsCallError } from '../errors.js';
import { isConditionFailed } from './conditional.js';
import { RUN_RECORD_TTL_MS, runPk, runSk, TTL_ATTRIBUTE, ttlSeconds } from './keys.js';

/** @example await createRunRecordStore(client, table).put(record, precedence); */
export function createRunRecordStore(client: DynamoDBDocumentClient, table: string): RunRecordStore {
  return {
    async put(record, precedence) {
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
  };
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
