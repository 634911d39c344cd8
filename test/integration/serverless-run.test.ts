/**
 * The deployed path end to end against moto: the built handlers (package export
 * `ebs-snapper/lambda`) driven in process, the test playing EventBridge Scheduler (it calls
 * `fanOut`) and Lambda's SQS poller (it receives and calls `worker`). `npm test` builds first.
 */

import { describe, expect, it } from 'vitest';
import { createDeployedClients } from '../../src/aws/serverless-clients.js';
import {
  drainQueue,
  importHandlers,
  lambdaContext,
  readNotifications,
  readRunRecords,
  receiveEvent,
  useDeployment,
} from '../support/moto/deployment.js';
import { pushTestConfig, seedWebFleet, snapshotsOf, webPolicy } from '../support/moto/member-accounts.js';
import { MOTO_ACCOUNT_ID } from '../support/moto/moto.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const ACCOUNTS = ['111111111111', '222222222222'];
const { fanOut, worker } = await importHandlers();
const REGIONS = ['us-east-1', 'eu-west-1'];

describe('the deployed run: fanOut → SQS → worker', () => {
  const t = useMotoBehindProxy();
  const deployed = useDeployment(t);

  it('fans 2 accounts × 2 regions out to 4 messages, and the workers snapshot all four, with run records', async () => {
    // Prepare
    for (const account of ACCOUNTS)
      for (const region of REGIONS) await seedWebFleet(t.moto.endpoint, account, region);
    await pushTestConfig(
      t.moto.endpoint,
      deployed.current.region,
      deployed.current.table,
      webPolicy(ACCOUNTS, REGIONS),
    );

    // Act
    const fanned = await fanOut(
      {},
      lambdaContext(() => 300_000),
    );
    const responses = await drainQueue(deployed.current, worker);

    // Assess
    expect(fanned).toMatchObject({ messages: 4, failures: [] });
    expect(responses).toHaveLength(4);
    expect(responses.every((r) => r.batchItemFailures.length === 0)).toBe(true);
    for (const account of ACCOUNTS) {
      for (const region of REGIONS) {
        expect(await snapshotsOf(t.moto.endpoint, account, region, 'web')).toHaveLength(2);
      }
    }
    const records = await readRunRecords(deployed.current, fanned.run_id);
    expect(records.map((r) => `${r.account}/${r.region}:${r.outcome}:${r.created}`).sort()).toEqual(
      ACCOUNTS.flatMap((a) => REGIONS.map((r) => `${a}/${r}:ok:2`)).sort(),
    );
  });

  it('copies to a copy_to region outside settings.regions, which also gets a copies-only message', async () => {
    // Prepare
    const [account] = ACCOUNTS as [string];
    await seedWebFleet(t.moto.endpoint, account, 'us-east-1');
    const policy = `${webPolicy([account], ['us-east-1'])}    copy_to: [{region: us-west-2, retention: {minimum: 1}}]\n`;
    await pushTestConfig(t.moto.endpoint, deployed.current.region, deployed.current.table, policy);

    // Act
    const fanned = await fanOut(
      {},
      lambdaContext(() => 300_000),
    );
    const responses = await drainQueue(deployed.current, worker);

    // Assess
    expect(fanned).toMatchObject({ messages: 2, failures: [] });
    expect(responses.every((r) => r.batchItemFailures.length === 0)).toBe(true);
    const sources = await snapshotsOf(t.moto.endpoint, account, 'us-east-1', 'web');
    const copies = await snapshotsOf(t.moto.endpoint, account, 'us-west-2', 'web');
    expect(sources).toHaveLength(2);
    expect(
      copies.map((c) => c.Tags?.find((tag) => tag.Key === 'ebs-snapper:source-snapshot-id')?.Value).sort(),
    ).toEqual(sources.map((s) => s.SnapshotId).sort());
    const records = await readRunRecords(deployed.current, fanned.run_id);
    expect(records.map((r) => `${r.region}:${r.outcome}:${r.created}`).sort()).toEqual([
      'us-east-1:ok:2',
      'us-west-2:ok:0',
    ]);
  });

  it('defaults to the deployed.current account and every region it has enabled', async () => {
    // Prepare
    await seedWebFleet(t.moto.endpoint, MOTO_ACCOUNT_ID, 'us-east-1');
    const policy = webPolicy([], []).replace(/ {2}accounts: \[\]\n {2}regions: \[\]\n/, '');
    await pushTestConfig(
      t.moto.endpoint,
      deployed.current.region,
      deployed.current.table,
      policy.replace('settings:\n', ''),
    );

    // Act
    const fanned = await fanOut(
      {},
      lambdaContext(() => 300_000),
    );

    // Assess: moto enables the usual regions; one message each, all in the deployment's account
    expect(fanned.messages).toBeGreaterThan(10);
    expect(fanned.failures).toEqual([]);
  });

  it('sends every batch though SQS refuses one, and reports and notifies each account × regions not queued', async () => {
    // Prepare: 2 accounts × 6 regions are 2 batches; SQS refuses the first call outright
    const regions = ['eu-west-1', 'eu-west-2', 'eu-west-3', 'us-east-1', 'us-east-2', 'us-west-2'];
    await pushTestConfig(
      t.moto.endpoint,
      deployed.current.region,
      deployed.current.table,
      webPolicy(ACCOUNTS, regions),
    );
    t.proxy.configure({ errorsFor: { SendMessageBatch: { code: 'AccessDenied', status: 403, times: 1 } } });

    // Act
    const fanned = await fanOut(
      {},
      lambdaContext(() => 300_000),
    );
    const queued = await receiveEvent(deployed.current, 10);
    const notes = await readNotifications(deployed.current);

    // Assess: the first 10 (A × 6, B × 4) were refused, the last 2 queued
    const [a, b] = ACCOUNTS as [string, string];
    expect(fanned.messages).toBe(2);
    expect(queued.Records.map((r) => JSON.parse(r.body).region).sort()).toEqual(['us-east-2', 'us-west-2']);
    expect(fanned.failures).toEqual([
      expect.objectContaining({ account: a, regions: [...regions].sort() }),
      expect.objectContaining({ account: b, regions: regions.slice(0, 4) }),
    ]);
    expect(notes.map((n) => n.subject).sort()).toEqual([
      `ebs-snapper: failure in ${a} *`,
      `ebs-snapper: failure in ${b} *`,
    ]);
    expect(String(notes[0]!.message.text)).toContain('not queued');
  });

  it('refuses a bad config in the table: no EC2 call that changes anything, a failure notification, no retry', async () => {
    // Prepare: written around `config push`, which would have refused it
    await seedWebFleet(t.moto.endpoint, ACCOUNTS[0]!, 'us-east-1');
    const { dynamo } = createDeployedClients({ region: deployed.current.region, endpoint: t.moto.endpoint });
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    await dynamo.send(
      new PutCommand({
        TableName: deployed.current.table,
        Item: { pk: 'config', sk: 'default', text: 'version: 1\npolicies: []\n' },
      }),
    );
    await deployed.current.sqs.send(
      new (await import('@aws-sdk/client-sqs')).SendMessageCommand({
        QueueUrl: deployed.current.queueUrl,
        MessageBody: JSON.stringify({
          account: ACCOUNTS[0],
          region: 'us-east-1',
          run_id: 'r-bad',
          continuation: 0,
        }),
      }),
    );
    t.proxy.resetCounts();

    // Act
    const fanned = await fanOut(
      {},
      lambdaContext(() => 300_000),
    );
    const responses = await drainQueue(deployed.current, worker);
    const notes = await readNotifications(deployed.current);

    // Assess
    expect(fanned.messages).toBe(0);
    expect(fanned.failures[0]).toMatchObject({ account: '*', code: 'ConfigError' });
    expect(responses).toEqual([{ batchItemFailures: [] }]);
    const mutating = ['CreateSnapshot', 'CreateSnapshots', 'DeleteSnapshot', 'CreateTags'];
    expect(mutating.map((a) => t.proxy.counts()[a] ?? 0)).toEqual([0, 0, 0, 0]);
    expect(t.proxy.counts().DescribeInstances ?? 0).toBe(0);
    expect(notes.map((n) => n.subject)).toEqual([
      'ebs-snapper: failure in * *',
      `ebs-snapper: failure in ${ACCOUNTS[0]} us-east-1`,
    ]);
    expect(JSON.stringify(notes[1]!.message)).toContain('a file with no policy is an error');
  });
});
