/**
 * The deployed path remembers its recent creates: two runs of the worker for the same account ×
 * region back to back (the schedule firing twice: two run ids) while EC2's listing does not show
 * the first run's snapshots yet make one set of snapshots, and the table holds the journal until
 * the listing catches up.
 */
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { functionRoleStatements } from '../../src/templates/role-policies.js';
import { notAllowed } from '../support/iam-match.js';
import { drainQueue, importHandlers, lambdaContext, useDeployment } from '../support/moto/deployment.js';
import { pushTestConfig, seedWebFleet, snapshotsOf, webPolicy } from '../support/moto/member-accounts.js';
import { motoClientConfig } from '../support/moto/moto.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const { fanOut, worker } = await importHandlers();
const A = '111111111111';
/** Longer than the test takes: the listing shows nothing the first run made until the test says so. */
const LAG_MS = 10 * 60_000;

describe('the deployed path, two runs back to back while the listing lags', () => {
  const t = useMotoBehindProxy();
  const deployed = useDeployment(t);

  /** The journal entries kept in the table for A in us-east-1. */
  const journalOf = async (): Promise<string[]> => {
    const dynamo = new DynamoDBClient(motoClientConfig(t.moto.endpoint, deployed.current.region));
    const { Items } = await dynamo.send(
      new QueryCommand({
        TableName: deployed.current.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `recent#${A}-us-east-1` } },
      }),
    );
    return (Items ?? [])
      .flatMap((item) => JSON.parse(item.entries?.S ?? '[]') as { snapshot_id: string }[])
      .map((e) => e.snapshot_id)
      .sort();
  };

  /** One scheduled run: fanOut, then the worker until the queue is empty; what the worker called. */
  const runOnce = async () => {
    const fanned = await fanOut(
      {},
      lambdaContext(() => 300_000),
    );
    t.proxy.resetCounts();
    const responses = await drainQueue(deployed.current, worker);
    return { fanned, responses, creates: t.proxy.counts().CreateSnapshot ?? 0, seen: t.proxy.iamActions() };
  };

  it('makes one set of snapshots, and forgets the entries once the listing shows them', async () => {
    // Prepare
    await seedWebFleet(t.moto.endpoint, A, 'us-east-1');
    await pushTestConfig(
      t.moto.endpoint,
      deployed.current.region,
      deployed.current.table,
      webPolicy([A], ['us-east-1']),
    );
    t.proxy.configure({ listingLagMs: LAG_MS });

    // Act
    const first = await runOnce();
    const second = await runOnce();
    const remembered = await journalOf();
    t.proxy.configure({});
    const third = await runOnce();

    // Assess
    for (const run of [first, second, third]) {
      expect(run.fanned.messages).toBe(1);
      expect(run.responses).toEqual([{ batchItemFailures: [] }]);
      expect(notAllowed(run.seen, functionRoleStatements().worker)).toEqual([]);
    }
    expect([first.creates, second.creates, third.creates]).toEqual([2, 0, 0]);
    expect(third.seen).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:DeleteItem']));
    const made = await snapshotsOf(t.moto.endpoint, A, 'us-east-1', 'web');
    expect(made).toHaveLength(2);
    expect(remembered).toEqual(made.map((s) => s.SnapshotId).sort());
    expect(await journalOf()).toEqual([]);
  });
});
