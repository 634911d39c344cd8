/**
 * Leases (SPEC §10): one item per account × region, taken with a conditional write so exactly
 * one invocation works on a target. The owner is the invocation (run id + Lambda request id):
 * SQS may deliver one message twice at once, and the two deliveries share a run id. A lease
 * whose `expires_at` has passed is treated as absent, since DynamoDB's TTL removes items late
 * (and moto never does).
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LeaseStore } from '../../app/serverless/ports.js';
import { callAws } from '../errors.js';
import { isConditionFailed } from './conditional.js';
import { LEASE_PK, TTL_ATTRIBUTE, ttlSeconds } from './keys.js';

/**
 * @example const lease = await createLeaseStore(client, table).acquire('111111111111/eu-west-1', owner, Date.now(), 900_000);
 */
export function createLeaseStore(client: DynamoDBDocumentClient, table: string): LeaseStore {
  return {
    async acquire(key, owner, now, ttlMs) {
      const expiresAt = now + ttlMs;
      try {
        await callAws('PutItem', () =>
          client.send(
            new PutCommand({
              TableName: table,
              Item: {
                pk: LEASE_PK,
                sk: key,
                owner,
                acquired_at: now,
                [TTL_ATTRIBUTE]: ttlSeconds(expiresAt),
                expires_at_ms: expiresAt,
              },
              // Free, expired (by our own clock, in ms), or already ours.
              ConditionExpression: 'attribute_not_exists(pk) OR expires_at_ms <= :now OR #owner = :owner',
              ExpressionAttributeNames: { '#owner': 'owner' },
              ExpressionAttributeValues: { ':now': now, ':owner': owner },
            }),
          ),
        );
      } catch (error) {
        if (isConditionFailed(error)) return undefined;
        throw error;
      }
      return { key, owner, expiresAt };
    },
    async release(lease) {
      try {
        await callAws('DeleteItem', () =>
          client.send(
            new DeleteCommand({
              TableName: table,
              Key: { pk: LEASE_PK, sk: lease.key },
              ConditionExpression: '#owner = :owner',
              ExpressionAttributeNames: { '#owner': 'owner' },
              ExpressionAttributeValues: { ':owner': lease.owner },
            }),
          ),
        );
      } catch (error) {
        // Ours expired and another invocation took it over: it is theirs to release.
        if (!isConditionFailed(error)) throw error;
      }
    },
  };
}
