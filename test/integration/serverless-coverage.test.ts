/**
 * A work item is checked against the config the worker has just read, before any role is assumed
 * or EC2 is called: an account or region the config does not (or no longer) cover is refused —
 * a failed run record, a failure notification, a log line, never a retry. A message redriven from
 * the dead-letter queue after an account left the config must not touch that account.
 */
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import type { WorkItem } from '../../src/app/serverless/ports.js';
import { functionRoleStatements } from '../../src/templates/role-policies.js';
import { notAllowed } from '../support/iam-match.js';
import {
  captureOutput,
  drainQueue,
  importHandlers,
  readNotifications,
  readRunRecords,
  sendWorkItem,
  useDeployment,
} from '../support/moto/deployment.js';
import { pushTestConfig, seedWebFleet, snapshotsOf, webPolicy } from '../support/moto/member-accounts.js';
import { MOTO_ACCOUNT_ID, motoClientConfig } from '../support/moto/moto.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const { worker } = await importHandlers();
const A = '111111111111';
const B = '222222222222';
const RUN = '20261201T030000Z-c0ffee';
const item = (account: string, region: string): WorkItem => ({
  account,
  region,
  run_id: RUN,
  continuation: 0,
});

describe('the worker refuses a work item its config does not cover', () => {
  const t = useMotoBehindProxy();
  const deployed = useDeployment(t);

  it('refuses an account settings.accounts does not list: no role, no EC2 call, a failed record, notified, not retried', async () => {
    // Prepare: B was in the config once; its message comes back from the DLQ after B was removed
    await seedWebFleet(t.moto.endpoint, B, 'us-east-1');
    await pushTestConfig(
      t.moto.endpoint,
      deployed.current.region,
      deployed.current.table,
      webPolicy([A], ['us-east-1']),
    );
    await sendWorkItem(deployed.current, item(B, 'us-east-1'));
    t.proxy.resetCounts();

    // Act
    const { value: responses, lines } = await captureOutput(() => drainQueue(deployed.current, worker));
    const counts = t.proxy.counts();
    const notes = await readNotifications(deployed.current);

    // Assess
    expect(responses).toEqual([{ batchItemFailures: [] }]);
    expect([counts.AssumeRole ?? 0, counts.DescribeInstances ?? 0, counts.DescribeVolumes ?? 0]).toEqual([
      0, 0, 0,
    ]);
    expect(await snapshotsOf(t.moto.endpoint, B, 'us-east-1', 'web')).toEqual([]);
    const records = await readRunRecords(deployed.current, RUN);
    expect(records).toEqual([
      expect.objectContaining({
        account: B,
        region: 'us-east-1',
        outcome: 'failed',
        failed: 1,
        failures: [expect.objectContaining({ code: 'target.not-covered' })],
      }),
    ]);
    expect(records[0]!.failures[0]!.message).toContain('settings.accounts');
    expect(notes.map((n) => n.subject)).toEqual([`ebs-snapper: failure in ${B} us-east-1`]);
    expect(JSON.stringify(notes[0]!.message)).toContain('target.not-covered');
    expect(lines.some((l) => l.message === 'work item refused' && l.account === B)).toBe(true);
  });

  it('refuses a region outside settings.regions and their copy_to destinations; works a copies-only destination', async () => {
    // Prepare
    await seedWebFleet(t.moto.endpoint, A, 'eu-west-1');
    const policy = `${webPolicy([A], ['us-east-1'])}    copy_to: [{region: us-west-2, retention: {minimum: 1}}]\n`;
    await pushTestConfig(t.moto.endpoint, deployed.current.region, deployed.current.table, policy);
    await sendWorkItem(deployed.current, item(A, 'eu-west-1'));
    await sendWorkItem(deployed.current, item(A, 'us-west-2'));

    // Act
    const responses = await drainQueue(deployed.current, worker);

    // Assess
    expect(responses.every((r) => r.batchItemFailures.length === 0)).toBe(true);
    expect(await snapshotsOf(t.moto.endpoint, A, 'eu-west-1', 'web')).toEqual([]);
    const records = await readRunRecords(deployed.current, RUN);
    expect(
      records.map((r) => `${r.region}:${r.outcome}:${r.failures.map((f) => f.code).join()}`).sort(),
    ).toEqual(['eu-west-1:failed:target.not-covered', 'us-west-2:ok:']);
  });

  it("covers the deployment's own account only when the config names no accounts and no organization", async () => {
    // Prepare
    await seedWebFleet(t.moto.endpoint, A, 'us-east-1');
    await seedWebFleet(t.moto.endpoint, MOTO_ACCOUNT_ID, 'us-east-1');
    const policy = webPolicy([], ['us-east-1']).replace(/ {2}accounts: \[\]\n/, '');
    await pushTestConfig(t.moto.endpoint, deployed.current.region, deployed.current.table, policy);
    await sendWorkItem(deployed.current, item(A, 'us-east-1'));
    await sendWorkItem(deployed.current, item(MOTO_ACCOUNT_ID, 'us-east-1'));

    // Act
    await drainQueue(deployed.current, worker);

    // Assess
    expect(await snapshotsOf(t.moto.endpoint, A, 'us-east-1', 'web')).toEqual([]);
    expect(await snapshotsOf(t.moto.endpoint, MOTO_ACCOUNT_ID, 'us-east-1', 'web')).toHaveLength(2);
    const records = await readRunRecords(deployed.current, RUN);
    expect(records.map((r) => `${r.account}:${r.outcome}`).sort()).toEqual(
      [`${A}:failed`, `${MOTO_ACCOUNT_ID}:ok`].sort(),
    );
    expect(records.find((r) => r.account === A)!.failures[0]!.message).toContain("deployment's own");
  });

  it('with organization: true, works an ACTIVE member and refuses an outsider and a closed account', async () => {
    // Prepare: the management account (moto's) and two members, one of them closed
    const organizations = new OrganizationsClient(motoClientConfig(t.moto.endpoint, 'us-east-1'));
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const ids: string[] = [];
    for (const name of ['member', 'closed']) {
      const { CreateAccountStatus } = await organizations.send(
        new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
      );
      ids.push(CreateAccountStatus!.AccountId!);
    }
    const [member, closed] = ids as [string, string];
    await organizations.send(new CloseAccountCommand({ AccountId: closed }));
    for (const account of [member, closed, B]) await seedWebFleet(t.moto.endpoint, account, 'us-east-1');
    const policy = webPolicy([], ['us-east-1']).replace(/ {2}accounts: \[\]\n/, '  organization: true\n');
    await pushTestConfig(t.moto.endpoint, deployed.current.region, deployed.current.table, policy);
    for (const account of [member, closed, B])
      await sendWorkItem(deployed.current, item(account, 'us-east-1'));
    t.proxy.resetCounts();

    // Act
    const responses = await drainQueue(deployed.current, worker);
    const seen = t.proxy.iamActions();

    // Assess
    expect(responses.every((r) => r.batchItemFailures.length === 0)).toBe(true);
    expect(await snapshotsOf(t.moto.endpoint, member, 'us-east-1', 'web')).toHaveLength(2);
    expect(await snapshotsOf(t.moto.endpoint, closed, 'us-east-1', 'web')).toEqual([]);
    expect(await snapshotsOf(t.moto.endpoint, B, 'us-east-1', 'web')).toEqual([]);
    const records = await readRunRecords(deployed.current, RUN);
    const outcomes = Object.fromEntries(records.map((r) => [r.account, r.outcome]));
    expect(outcomes).toEqual({ [member]: 'ok', [closed]: 'failed', [B]: 'failed' });
    for (const refused of [closed, B])
      expect(records.find((r) => r.account === refused)!.failures[0]!.code).toBe('target.not-covered');
    // The membership check is one the worker's role may make
    expect(notAllowed(seen, functionRoleStatements().worker)).toEqual([]);
  });
});
