/**
 * The fan-out's marks in the table (partition `fanout#<run id>`, one item per chunk of the run's
 * targets): a chunk is claimed with a conditional write before it is sent and marked with the
 * targets SQS took after (SPEC §16), so a second invocation of the same run queues only the rest.
 * Kept two days: longer than Lambda retries an invocation or the Scheduler delivers one late.
 * One more item of the partition (`run-queued`) marks the run queued whole, with its target count.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ChunkState, FanOutMarks } from '../../app/serverless/fan-out-send.js';
import type { RunTarget } from '../../app/serverless/run-index.js';
import { callAws } from '../errors.js';
import { isConditionFailed } from './conditional.js';
import { fanOutPk, HANDOFF_TTL_MS, TTL_ATTRIBUTE, ttlSeconds } from './keys.js';

/** The sort key of the run's own mark (a chunk's is `<first account>..<last account>`). */
const RUN_QUEUED_SK = 'run-queued';

/** @example const state = await createFanOutMarks(client, table).claim(runId, chunk, requestId, now, now + 60_000); */
export function createFanOutMarks(client: DynamoDBDocumentClient, table: string): FanOutMarks {
  const update = (input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>) =>
    callAws('UpdateItem', () => client.send(new UpdateCommand({ TableName: table, ...input })));
  return {
    async claim(runId, chunk, owner, now, until) {
      try {
        const { Attributes } = await update({
          Key: { pk: fanOutPk(runId), sk: chunk },
          UpdateExpression: 'SET claimed_by = :me, claimed_until = :until, #ttl = :ttl',
          // Absent or let go (no owner), expired, or already this invocation's.
          ConditionExpression: 'attribute_not_exists(claimed_by) OR claimed_until < :now OR claimed_by = :me',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':me': owner,
            ':until': until,
            ':now': now,
            ':ttl': ttlSeconds(now + HANDOFF_TTL_MS),
          },
          ReturnValues: 'ALL_NEW',
        });
        return stateOf(Attributes?.queued);
      } catch (error) {
        if (isConditionFailed(error)) return undefined;
        throw error;
      }
    },
    async done(runId, chunk, owner, queued) {
      try {
        await update({
          Key: { pk: fanOutPk(runId), sk: chunk },
          UpdateExpression: 'SET queued = :queued REMOVE claimed_by, claimed_until',
          // Another invocation took the chunk over (this one's claim had expired): its mark wins.
          ConditionExpression: 'claimed_by = :me',
          ExpressionAttributeValues: { ':me': owner, ':queued': encode(queued) },
        });
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
    },
    async queuedRun(runId, now) {
      const { Item } = await callAws('GetItem', () =>
        client.send(
          new GetCommand({
            TableName: table,
            Key: { pk: fanOutPk(runId), sk: RUN_QUEUED_SK },
            ConsistentRead: true,
          }),
        ),
      );
      const targets = Item?.targets;
      const expires = Item?.[TTL_ATTRIBUTE];
      // Expired is absent, even before DynamoDB removes the item.
      if (typeof expires === 'number' && expires * 1000 <= now) return undefined;
      return typeof targets === 'number' ? targets : undefined;
    },
    async runQueued(runId, targets, now) {
      await update({
        Key: { pk: fanOutPk(runId), sk: RUN_QUEUED_SK },
        UpdateExpression: 'SET targets = :targets, #ttl = :ttl',
        ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':targets': targets, ':ttl': ttlSeconds(now + HANDOFF_TTL_MS) },
      });
    },
  };
}

/** Targets by account, regions comma-joined (as the run index keeps them): `{"111111111111": "eu-west-1,us-east-1"}`. */
function encode(targets: readonly RunTarget[]): string {
  const byAccount: Record<string, string[]> = {};
  for (const { account, region } of targets) {
    const regions = byAccount[account] ?? [];
    regions.push(region);
    byAccount[account] = regions;
  }
  return JSON.stringify(
    Object.fromEntries(Object.entries(byAccount).map(([a, r]) => [a, r.sort().join(',')])),
  );
}

function stateOf(queued: unknown): ChunkState {
  if (typeof queued !== 'string') return { queued: [] };
  let byAccount: Record<string, string>;
  try {
    byAccount = JSON.parse(queued) as Record<string, string>;
  } catch {
    // An unreadable mark is as good as none: the chunk is sent again (a duplicate, never a loss).
    return { queued: [] };
  }
  return {
    queued: Object.entries(byAccount).flatMap(([account, regions]) =>
      String(regions)
        .split(',')
        .filter(Boolean)
        .map((region) => ({ account, region })),
    ),
  };
}
