/**
 * A batch of work items (the work queue feeds the worker 100 at a time) against moto: empty
 * targets found with two EC2 calls each and given a compact record, a target with work worked on
 * in full at once or handed to the solo queue, and what must never pass for empty — a region
 * whose only resource is a snapshot retention has to delete, a drill volume left behind.
 */
import { CreateSnapshotCommand, CreateVolumeCommand, DeleteVolumeCommand } from '@aws-sdk/client-ec2';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  importHandlers,
  lambdaContext,
  readRunRecords,
  receiveEvent,
  useDeployment,
} from '../support/moto/deployment.js';
import {
  ec2As,
  memberRoleArn,
  pushTestConfig,
  seedWebFleet,
  snapshotsOf,
  webPolicy,
} from '../support/moto/member-accounts.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const { createWorker, fanOut, worker } = await importHandlers();
const A = '111111111111';
const B = '222222222222';
const BUSY = 'us-east-1';
const EMPTY = ['eu-west-1', 'eu-west-2', 'ap-southeast-2'];
const DAY = 86_400_000;

/** The EC2 actions the proxy saw since its counts were reset, with how many calls each. */
const ec2Calls = (counts: Record<string, number>, actions: readonly string[]) =>
  Object.fromEntries(Object.entries(counts).filter(([action]) => actions.includes(action)));
const EC2_READS = ['DescribeVolumes', 'DescribeSnapshots', 'DescribeInstances', 'DescribeImages'];

/** A queue in moto, its URL on the proxy's endpoint (as the deployment's queues are). */
async function createSoloQueue(sqs: SQSClient, endpoint: string): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `solo-${process.pid}-${Date.now()}` }),
  );
  return new URL(new URL(QueueUrl!).pathname, endpoint).toString();
}

async function bodiesIn(sqs: SQSClient, queueUrl: string): Promise<unknown[]> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
  );
  return (Messages ?? []).map((m) => JSON.parse(m.Body!) as unknown);
}

describe('a batch of work items', () => {
  const t = useMotoBehindProxy();
  const deployed = useDeployment(t);

  /** The config of account A in `regions`, fanned out, and the whole run's items received as one event. */
  async function fannedBatch(regions: readonly string[], policy = webPolicy([A], regions)) {
    await pushTestConfig(t.moto.endpoint, deployed.current.region, deployed.current.table, policy);
    const fanned = await fanOut(
      {},
      lambdaContext(() => 300_000),
    );
    const event = await receiveEvent(deployed.current, 10);
    expect(event.Records).toHaveLength(regions.length);
    return { runId: fanned.run_id, event };
  }

  it('finds each empty region with 2 EC2 calls and no collection', async () => {
    // Prepare
    const { event } = await fannedBatch(EMPTY);
    t.proxy.resetCounts();

    // Act
    const response = await worker(
      event,
      lambdaContext(() => 900_000),
    );

    // Assess: one DescribeVolumes and one DescribeSnapshots per region, nothing else of EC2
    expect(response.batchItemFailures).toEqual([]);
    expect(ec2Calls(t.proxy.counts(), EC2_READS)).toEqual({ DescribeVolumes: 3, DescribeSnapshots: 3 });
  });

  it('gives the empty regions a compact record and the region with volumes a full run', async () => {
    // Prepare
    await seedWebFleet(t.moto.endpoint, A, BUSY);
    const { runId, event } = await fannedBatch([BUSY, ...EMPTY]);

    // Act
    const response = await worker(
      event,
      lambdaContext(() => 900_000),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await snapshotsOf(t.moto.endpoint, A, BUSY, 'web')).toHaveLength(2);
    const records = await readRunRecords(deployed.current, runId);
    expect(records.map((r) => `${r.region}:${r.outcome}:${r.created}:${r.empty === true}`).sort()).toEqual(
      [`${BUSY}:ok:2:false`, ...EMPTY.map((r) => `${r}:ok:0:true`)].sort(),
    );
  });

  it('assumes the member account’s role once for the whole batch, the region worked on in full included', async () => {
    // Prepare
    await seedWebFleet(t.moto.endpoint, A, BUSY);
    const { runId, event } = await fannedBatch([BUSY, ...EMPTY]);
    t.proxy.resetCounts();

    // Act
    const response = await worker(
      event,
      lambdaContext(() => 900_000),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(t.proxy.counts().AssumeRole).toBe(1);
    const records = await readRunRecords(deployed.current, runId);
    expect(records.map((r) => `${r.region}:${r.outcome}`).sort()).toEqual(
      [BUSY, ...EMPTY].map((r) => `${r}:ok`).sort(),
    );
  });

  it('fails each target of an account whose role is refused alone, not retried, and does the other account’s', async () => {
    // Prepare
    await seedWebFleet(t.moto.endpoint, A, BUSY);
    const regions = [BUSY, EMPTY[0]!];
    const { runId, event } = await fannedBatch([...regions, ...regions], webPolicy([A, B], regions));
    t.proxy.configure({
      errorsFor: { AssumeRole: { code: 'AccessDenied', status: 403, when: { RoleArn: memberRoleArn(B) } } },
    });

    // Act
    const response = await worker(
      event,
      lambdaContext(() => 900_000),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const records = await readRunRecords(deployed.current, runId);
    expect(records.map((r) => `${r.account}/${r.region}:${r.outcome}`).sort()).toEqual(
      [...regions.map((r) => `${A}/${r}:ok`), ...regions.map((r) => `${B}/${r}:failed`)].sort(),
    );
    for (const record of records.filter((r) => r.account === B))
      expect(record.failures).toEqual([
        expect.objectContaining({ code: 'AccessDenied', message: expect.stringContaining('AssumeRole') }),
      ]);
    expect(await snapshotsOf(t.moto.endpoint, A, BUSY, 'web')).toHaveLength(2);
  });

  it('does not call a region empty whose only resource is a managed snapshot: retention deletes it there', async () => {
    // Prepare: two snapshots of the policy whose volume is gone, 30 days old by the worker's clock
    // (past max_age; the default minimum of 1 keeps the newer)
    const ec2 = await ec2As(t.moto.endpoint, A, BUSY);
    const { VolumeId } = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${BUSY}a`, Size: 8 }));
    for (const _ of [1, 2])
      await ec2.send(
        new CreateSnapshotCommand({
          VolumeId,
          TagSpecifications: [
            { ResourceType: 'snapshot', Tags: [{ Key: 'ebs-snapper:policy', Value: 'web' }] },
          ],
        }),
      );
    await ec2.send(new DeleteVolumeCommand({ VolumeId }));
    const policy = webPolicy([A], [BUSY, EMPTY[0]!]).replace('minimum: 2', 'max_age: 7 days');
    const { runId, event } = await fannedBatch([BUSY, EMPTY[0]!], policy);
    const later = createWorker({ clock: () => Date.now() + 30 * DAY });

    // Act
    const response = await later(
      event,
      lambdaContext(() => 900_000),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await snapshotsOf(t.moto.endpoint, A, BUSY, 'web')).toHaveLength(1);
    const records = await readRunRecords(deployed.current, runId);
    const busy = records.find((r) => r.region === BUSY);
    expect(busy).toMatchObject({ outcome: 'ok', deleted: 1 });
    expect(busy?.empty).toBeUndefined();
    expect(records.find((r) => r.region === EMPTY[0])).toMatchObject({ outcome: 'ok', empty: true });
  });

  it('does not call a region empty that holds only a drill volume left behind', async () => {
    // Prepare
    const ec2 = await ec2As(t.moto.endpoint, A, BUSY);
    await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: `${BUSY}a`,
        Size: 8,
        TagSpecifications: [
          {
            ResourceType: 'volume',
            Tags: [
              { Key: 'ebs-snapper:drill-of', Value: 'snap-0123456789abcdef0' },
              { Key: 'ebs-snapper:policy', Value: 'web' },
            ],
          },
        ],
      }),
    );
    const { runId, event } = await fannedBatch([BUSY, EMPTY[0]!]);
    t.proxy.resetCounts();

    // Act
    await worker(
      event,
      lambdaContext(() => 900_000),
    );

    // Assess: the region with the drill volume was collected in full
    const records = await readRunRecords(deployed.current, runId);
    expect(records.find((r) => r.region === BUSY)?.empty).toBeUndefined();
    expect(records.find((r) => r.region === EMPTY[0])?.empty).toBe(true);
    expect(t.proxy.counts().DescribeInstances).toBe(1);
  });

  it('writes each record once when the same batch is delivered again', async () => {
    // Prepare
    await seedWebFleet(t.moto.endpoint, A, BUSY);
    const { runId, event } = await fannedBatch([BUSY, ...EMPTY]);

    // Act
    for (const _ of [1, 2])
      await worker(
        event,
        lambdaContext(() => 900_000),
      );

    // Assess
    const records = await readRunRecords(deployed.current, runId);
    expect(records.map((r) => `${r.region}:${r.continuation}`).sort()).toEqual(
      [BUSY, ...EMPTY].map((r) => `${r}:0`).sort(),
    );
    expect(await snapshotsOf(t.moto.endpoint, A, BUSY, 'web')).toHaveLength(2);
  });

  it('works on small targets with work here, side by side, and hands none to the solo queue', async () => {
    // Prepare
    const solo = await createSoloQueue(deployed.current.sqs, t.proxy.endpoint);
    process.env.EBS_SNAPPER_SOLO_QUEUE_URL = solo;
    const busy = [BUSY, 'us-west-2'];
    for (const region of busy) await seedWebFleet(t.moto.endpoint, A, region);
    const { runId, event } = await fannedBatch([...busy, ...EMPTY]);

    try {
      // Act
      const response = await worker(
        event,
        lambdaContext(() => 900_000),
      );

      // Assess: two web servers each, well inside one page: both worked on in this invocation
      expect(response.batchItemFailures).toEqual([]);
      const records = await readRunRecords(deployed.current, runId);
      expect(
        records
          .filter((r) => busy.includes(r.region))
          .map((r) => `${r.region}:${r.outcome}:${r.created}`)
          .sort(),
      ).toEqual(busy.map((r) => `${r}:ok:2`).sort());
      expect(await bodiesIn(deployed.current.sqs, solo)).toEqual([]);
      expect(records.filter((r) => r.empty === true)).toHaveLength(EMPTY.length);
    } finally {
      delete process.env.EBS_SNAPPER_SOLO_QUEUE_URL;
    }
  });

  it('works on one large target with work and hands the other, unchanged, to the solo queue', async () => {
    // Prepare
    const solo = await createSoloQueue(deployed.current.sqs, t.proxy.endpoint);
    process.env.EBS_SNAPPER_SOLO_QUEUE_URL = solo;
    const busy = [BUSY, 'us-west-2'];
    for (const region of busy) await seedWebFleet(t.moto.endpoint, A, region);
    const { runId, event } = await fannedBatch([...busy, ...EMPTY]);

    try {
      // Act
      // Every target counted as large: the solo queue's path, whatever their size.
      const response = await createWorker({ smallConcurrency: 0 })(
        event,
        lambdaContext(() => 900_000),
      );

      // Assess: of the two with work, one was worked on here and the other is on the solo queue as sent
      expect(response.batchItemFailures).toEqual([]);
      const records = await readRunRecords(deployed.current, runId);
      const worked = records.filter((r) => busy.includes(r.region));
      expect(worked).toHaveLength(1);
      expect(worked[0]).toMatchObject({ outcome: 'ok', created: 2 });
      const handed = event.Records.map((r) => JSON.parse(r.body) as { region: string }).filter(
        (item) => busy.includes(item.region) && item.region !== worked[0]!.region,
      );
      expect(await bodiesIn(deployed.current.sqs, solo)).toEqual(handed);
      expect(records.filter((r) => r.empty === true)).toHaveLength(EMPTY.length);
    } finally {
      delete process.env.EBS_SNAPPER_SOLO_QUEUE_URL;
    }
  });

  it('has SQS deliver again a target it could not hand to the solo queue, and only that one', async () => {
    // Prepare
    const solo = await createSoloQueue(deployed.current.sqs, t.proxy.endpoint);
    process.env.EBS_SNAPPER_SOLO_QUEUE_URL = solo;
    const busy = [BUSY, 'us-west-2'];
    for (const region of busy) await seedWebFleet(t.moto.endpoint, A, region);
    const { event } = await fannedBatch([...busy, ...EMPTY]);
    t.proxy.configure({ errorsFor: { SendMessageBatch: { code: 'AccessDenied', status: 403, times: 10 } } });

    try {
      // Act: every target counted as large, so one of the two is handed on
      const response = await createWorker({ smallConcurrency: 0 })(
        event,
        lambdaContext(() => 900_000),
      );

      // Assess
      const { Attributes } = await deployed.current.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: solo, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      expect(Attributes?.ApproximateNumberOfMessages).toBe('0');
      expect(response.batchItemFailures).toHaveLength(1);
      const failed = event.Records.find((r) => r.messageId === response.batchItemFailures[0]!.itemIdentifier);
      expect(busy).toContain((JSON.parse(failed!.body) as { region: string }).region);
    } finally {
      delete process.env.EBS_SNAPPER_SOLO_QUEUE_URL;
    }
  });
});
