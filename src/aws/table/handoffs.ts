/**
 * Handoffs: one item per continuation sent, claimed with a conditional write before it is sent
 * (SPEC §10: SQS may deliver a message again, and a delivery after the first must not start a
 * second chain of continuations). Kept two days, longer than a message stays in the queue.
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { HandoffStore } from '../../app/serverless/ports.js';
import { callAws } from '../errors.js';
import { isConditionFailed } from './conditional.js';
import { HANDOFF_TTL_MS, handoffPk, runSk, TTL_ATTRIBUTE, ttlSeconds } from './keys.js';

/** @example if (await createHandoffStore(client, table).claim(next, Date.now())) await queue.send([next]); */
export function createHandoffStore(client: DynamoDBDocumentClient, table: string): HandoffStore {
  const key = (next: { run_id: string; account: string; region: string; continuation: number }) => ({
    pk: handoffPk(next.run_id),
    sk: runSk(next.account, next.region, next.continuation),
  });
  return {
    async claim(next, now) {
      try {
        await callAws('PutItem', () =>
          client.send(
            new PutCommand({
              TableName: table,
              Item: { ...key(next), claimed_at: now, [TTL_ATTRIBUTE]: ttlSeconds(now + HANDOFF_TTL_MS) },
              // An expired claim is as good as absent (DynamoDB's TTL deletes late, if ever).
              ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
              ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
              ExpressionAttributeValues: { ':now': ttlSeconds(now) },
            }),
          ),
        );
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },
    async release(next) {
      await callAws('DeleteItem', () => client.send(new DeleteCommand({ TableName: table, Key: key(next) })));
    },
  };
}
