/**
 * The fan-out queues every target of a run exactly once (SPEC §16), through the built handler
 * against moto, with SQS refusing entries of a SendMessageBatch (the fault proxy's
 * `refusedBatchEntries`, since moto takes every entry): a refused entry is sent again, alone; one
 * refused past the retries is reported and notified while the others are queued; a retried
 * invocation of the same scheduled run queues only what the first could not.
 */
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import type { WorkItem } from '../../src/app/serverless/ports.js';
import {
  type Deployment,
  importHandlers,
  lambdaContext,
  readNotifications,
  receiveEvent,
  useDeployment,
} from '../support/moto/deployment.js';
import { pushTestConfig, webPolicy } from '../support/moto/member-accounts.js';
import { MOTO_ACCOUNT_ID, motoClientConfig } from '../support/moto/moto.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { refusedBatchEntries } from '../support/proxy/sqs-batch-refusals.js';

const { fanOut } = await importHandlers();
const REGIONS = ['eu-west-1', 'us-east-1', 'us-west-2'];
const refusesEuWest1 = (body: string) => (JSON.parse(body) as WorkItem).region === 'eu-west-1';

/** Every message on the work queue (each received once: the visibility timeout hides it after). */
async function queued(deployment: Deployment): Promise<WorkItem[]> {
  const items: WorkItem[] = [];
  for (;;) {
    const { Records } = await receiveEvent(deployment, 10);
    if (Records.length === 0) return items;
    items.push(...Records.map((r) => JSON.parse(r.body) as WorkItem));
  }
}

const scheduledNow = () => `${new Date().toISOString().slice(0, 19)}Z`;

describe('fanOut: every target of a run queued exactly once when SQS refuses batch entries', () => {
  const t = useMotoBehindProxy();
  const deployed = useDeployment(t);

  it('sends a refused entry again, alone, and queues each target once', async () => {
    // Prepare
    const { region, table } = deployed.current;
    await pushTestConfig(t.moto.endpoint, region, table, webPolicy([MOTO_ACCOUNT_ID], REGIONS));
    const refusals = refusedBatchEntries(refusesEuWest1, 2);
    t.proxy.configure({ emulations: [refusals] });

    // Act
    const fanned = await fanOut(
      { scheduled_time: scheduledNow() },
      lambdaContext(() => 300_000),
    );
    const items = await queued(deployed.current);

    // Assess
    expect(refusals.refused()).toBe(2);
    expect(fanned).toMatchObject({ messages: 3, failures: [] });
    expect(items.sort((a, b) => a.region.localeCompare(b.region))).toEqual(
      REGIONS.map((r) => ({ account: MOTO_ACCOUNT_ID, region: r, run_id: fanned.run_id, continuation: 0 })),
    );
  });

  it('reports and notifies an entry refused past the retries, queues the others, and a retried invocation queues it alone', async () => {
    // Prepare
    const { region, table } = deployed.current;
    await pushTestConfig(t.moto.endpoint, region, table, webPolicy([MOTO_ACCOUNT_ID], REGIONS));
    t.proxy.configure({ emulations: [refusedBatchEntries(refusesEuWest1)] });
    const event = { scheduled_time: scheduledNow() };

    // Act
    const first = await fanOut(
      event,
      lambdaContext(() => 300_000),
    );
    const notes = await readNotifications(deployed.current);
    t.proxy.configure({});
    const retried = await fanOut(
      event,
      lambdaContext(() => 300_000),
    );
    const items = await queued(deployed.current);

    // Assess
    expect(first).toMatchObject({
      messages: 2,
      failures: [{ account: MOTO_ACCOUNT_ID, regions: ['eu-west-1'], code: 'InternalError' }],
    });
    expect(notes.map((n) => n.subject)).toEqual([expect.stringContaining(MOTO_ACCOUNT_ID)]);
    expect(retried).toMatchObject({ run_id: first.run_id, messages: 1, already_queued: 2, failures: [] });
    expect(items.map((i) => `${i.region}:${i.run_id}`).sort()).toEqual(
      REGIONS.map((r) => `${r}:${first.run_id}`),
    );
  });

  it('assumes each member account’s role once and asks its regions once, every region getting one message', async () => {
    // Prepare: no settings.regions, so each account's enabled regions are asked through its role
    const { region, table } = deployed.current;
    const members = ['111111111111', '222222222222'];
    const policy = webPolicy(members, []).replace(/ {2}regions: \[\]\n/, '');
    await pushTestConfig(t.moto.endpoint, region, table, policy);
    t.proxy.resetCounts();

    // Act
    const fanned = await fanOut(
      { scheduled_time: scheduledNow() },
      lambdaContext(() => 300_000),
    );
    const counts = t.proxy.counts();
    const items = await queued(deployed.current);

    // Assess
    expect(fanned.failures).toEqual([]);
    expect([counts.AssumeRole, counts.DescribeRegions]).toEqual([2, 2]);
    const keys = items.map((i) => `${i.account}/${i.region}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(fanned.messages);
    expect(fanned.messages).toBeGreaterThan(2 * 10);
  });

  it('answers a retried invocation of a fully queued run from its mark: nothing sent, no Organizations, STS or EC2 call', async () => {
    // Prepare: an organization of two members, each one's regions asked through its role
    const organizations = new OrganizationsClient(motoClientConfig(t.moto.endpoint, 'us-east-1'));
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    for (const name of ['one', 'two'])
      await organizations.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
    const { region, table } = deployed.current;
    const policy = webPolicy([], [])
      .replace(/ {2}accounts: \[\]\n/, '  organization: true\n')
      .replace(/ {2}regions: \[\]\n/, '');
    await pushTestConfig(t.moto.endpoint, region, table, policy);
    const event = { scheduled_time: scheduledNow() };
    const first = await fanOut(
      event,
      lambdaContext(() => 300_000),
    );
    const firstCounts = t.proxy.counts();
    t.proxy.resetCounts();

    // Act
    const retried = await fanOut(
      event,
      lambdaContext(() => 300_000),
    );
    const counts = t.proxy.counts();
    const items = await queued(deployed.current);

    // Assess
    expect(first.failures).toEqual([]);
    expect([firstCounts.ListAccounts, firstCounts.AssumeRole]).toEqual([1, 2]);
    expect(retried).toEqual({
      run_id: first.run_id,
      messages: 0,
      already_queued: first.messages,
      failures: [],
    });
    expect([counts.ListAccounts ?? 0, counts.AssumeRole ?? 0, counts.DescribeRegions ?? 0]).toEqual([
      0, 0, 0,
    ]);
    expect(counts.SendMessageBatch ?? 0).toBe(0);
    expect(items).toHaveLength(first.messages);
  });
});
