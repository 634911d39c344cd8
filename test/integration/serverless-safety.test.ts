/**
 * The deployed path's promises against moto: an organization's ACTIVE accounts only; never two
 * workers on one target (the very same message delivered twice at once included); a target too
 * big for one invocation finished by continuations with no duplicate and nothing lost; a member
 * role that cannot be assumed reported while the other accounts are done.
 */
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import {
  drainQueue,
  importHandlers,
  lambdaContext,
  readNotifications,
  receiveEvent,
  useDeployment,
} from '../support/moto/deployment.js';
import {
  memberRoleArn,
  pushTestConfig,
  seedWebFleet,
  snapshotsOf,
  webPolicy,
} from '../support/moto/member-accounts.js';
import { MOTO_ACCOUNT_ID, motoClientConfig } from '../support/moto/moto.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const { createWorker, fanOut, worker } = await importHandlers();
const A = '111111111111';
const B = '222222222222';

describe('the deployed path keeps its promises', () => {
  const t = useMotoBehindProxy();
  const deployed = useDeployment(t);

  it('fans out to the ACTIVE accounts of the organization only', async () => {
    // Prepare: the management account and three members, one of them closed (SUSPENDED)
    const organizations = new OrganizationsClient(motoClientConfig(t.moto.endpoint, 'us-east-1'));
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      const { CreateAccountStatus } = await organizations.send(
        new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
      );
      ids.push(CreateAccountStatus!.AccountId!);
    }
    await organizations.send(new CloseAccountCommand({ AccountId: ids[2]! }));
    const policy = webPolicy([], ['us-east-1']).replace(/ {2}accounts: \[\]\n/, '  organization: true\n');
    await pushTestConfig(t.moto.endpoint, deployed.current.region, deployed.current.table, policy);

    // Act
    const fanned = await fanOut(
      {},
      lambdaContext(() => 300_000),
    );
    const event = await receiveEvent(deployed.current, 10);

    // Assess
    const accounts = event.Records.map((r) => (JSON.parse(r.body) as { account: string }).account).sort();
    expect(fanned.messages).toBe(3);
    expect(accounts).toEqual([MOTO_ACCOUNT_ID, ids[0], ids[1]].sort());
  });

  it('lets one of two concurrent deliveries of the same message work; the other touches nothing', async () => {
    // Prepare: slow listings, so the first worker holds the lease while the second arrives
    await seedWebFleet(t.moto.endpoint, A, 'us-east-1');
    await pushTestConfig(
      t.moto.endpoint,
      deployed.current.region,
      deployed.current.table,
      webPolicy([A], ['us-east-1']),
    );
    await fanOut(
      {},
      lambdaContext(() => 300_000),
    );
    const event = await receiveEvent(deployed.current);
    t.proxy.configure({ delayFor: { DescribeVolumes: 500 } });
    t.proxy.resetCounts();

    // Act
    const responses = await Promise.all([
      worker(
        event,
        lambdaContext(() => 900_000, 'delivery-1'),
      ),
      worker(
        event,
        lambdaContext(() => 900_000, 'delivery-2'),
      ),
    ]);

    // Assess
    expect(responses).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(t.proxy.counts().DescribeVolumes).toBe(1);
    expect(t.proxy.counts().CreateSnapshot).toBe(2);
    expect(await snapshotsOf(t.moto.endpoint, A, 'us-east-1', 'web')).toHaveLength(2);
  });

  it('hands work the deadline left to continuations that finish it: no duplicate, none missing, no failure', async () => {
    // Prepare: 20 volumes, creates that take 1 s each, 2 s of work per invocation
    const volumes = await seedWebFleet(t.moto.endpoint, A, 'us-east-1', 20);
    await pushTestConfig(
      t.moto.endpoint,
      deployed.current.region,
      deployed.current.table,
      webPolicy([A], ['us-east-1']),
    );
    await fanOut(
      {},
      lambdaContext(() => 300_000),
    );
    t.proxy.configure({ delayFor: { CreateSnapshot: 1_000 } });
    const short = createWorker({ marginMs: 1_000, continuationDelaySeconds: 2 });

    // Act
    const responses = await drainQueue(deployed.current, short, 3_000);

    // Assess
    expect(responses.length).toBeGreaterThan(1);
    expect(responses.every((r) => r.batchItemFailures.length === 0)).toBe(true);
    const made = await snapshotsOf(t.moto.endpoint, A, 'us-east-1', 'web');
    expect(made.map((s) => s.VolumeId).sort()).toEqual([...volumes].sort());
  });

  it('reports and notifies an account whose member role cannot be assumed; the other is done', async () => {
    // Prepare
    await seedWebFleet(t.moto.endpoint, A, 'us-east-1');
    await seedWebFleet(t.moto.endpoint, B, 'us-east-1');
    await pushTestConfig(
      t.moto.endpoint,
      deployed.current.region,
      deployed.current.table,
      webPolicy([A, B], ['us-east-1']),
    );
    t.proxy.configure({
      errorsFor: { AssumeRole: { code: 'AccessDenied', status: 403, when: { RoleArn: memberRoleArn(B) } } },
    });

    // Act
    const fanned = await fanOut(
      {},
      lambdaContext(() => 300_000),
    );
    const responses = await drainQueue(deployed.current, worker);
    const notes = await readNotifications(deployed.current);

    // Assess: not retried (a refusal will not pass by itself), reported, and A was snapshotted
    expect(fanned.messages).toBe(2);
    expect(responses.every((r) => r.batchItemFailures.length === 0)).toBe(true);
    expect(await snapshotsOf(t.moto.endpoint, A, 'us-east-1', 'web')).toHaveLength(2);
    expect(notes.map((n) => n.subject)).toEqual([`ebs-snapper: failure in ${B} us-east-1`]);
    expect(JSON.stringify(notes[0]!.message)).toContain('AssumeRole failed: AccessDenied');
  });
});
