import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeLockedSnapshotsCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MotoServer, motoClientConfig, startMoto } from '../moto/moto.js';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';

const REGION = 'eu-west-1';

describe('startFaultProxy in front of moto', () => {
  let moto: MotoServer;
  let proxy: FaultProxy;
  let ec2: EC2Client;
  const snapshotIds: string[] = [];
  const volumeIds: string[] = [];

  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startFaultProxy({ target: moto.endpoint });
    ec2 = new EC2Client(motoClientConfig(proxy.endpoint, REGION));
    for (let i = 0; i < 3; i++) {
      const volume = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}a`, Size: 1 }));
      volumeIds.push(volume.VolumeId!);
    }
    for (let i = 0; i < 12; i++) {
      const snapshot = await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeIds[i % 3]! }));
      snapshotIds.push(snapshot.SnapshotId!);
    }
  });

  beforeEach(() => {
    proxy.configure({});
    proxy.resetCounts();
  });

  afterAll(async () => {
    ec2.destroy();
    await proxy.stop();
    await moto.stop();
  });

  it('pages DescribeSnapshots by MaxResults for the SDK paginator', async () => {
    // Prepare
    const pages: string[][] = [];

    // Act
    for await (const page of paginateDescribeSnapshots(
      { client: ec2, pageSize: 5 },
      { OwnerIds: ['self'] },
    )) {
      pages.push((page.Snapshots ?? []).map((s) => s.SnapshotId!));
    }

    // Assess
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(pages.flat().sort()).toEqual([...snapshotIds].sort());
    expect(proxy.counts()).toEqual({ DescribeSnapshots: 3 });
    expect(proxy.faultCounts()).toEqual({});
  });

  it('pages by the configured page size when the request sets no MaxResults', async () => {
    // Prepare
    proxy.configure({ pageSize: { DescribeVolumes: 2 } });
    const seen: string[] = [];

    // Act
    for await (const page of paginateDescribeVolumes({ client: ec2 }, {})) {
      seen.push(...(page.Volumes ?? []).map((v) => v.VolumeId!));
    }

    // Assess
    expect(seen.sort()).toEqual([...volumeIds].sort());
    expect(proxy.counts()).toEqual({ DescribeVolumes: 2 });
  });

  it('refuses a NextToken made for another request', async () => {
    // Prepare
    const first = await ec2.send(new DescribeSnapshotsCommand({ MaxResults: 5 }));

    // Act
    const replay = ec2.send(
      new DescribeSnapshotsCommand({ MaxResults: 5, NextToken: first.NextToken!, OwnerIds: ['self'] }),
    );

    // Assess
    await expect(replay).rejects.toMatchObject({ name: 'InvalidPaginationToken' });
  });

  it('answers RequestLimitExceeded, which the SDK reports by name without retries', async () => {
    // Prepare
    proxy.configure({ throttleRate: 1 });
    const once = new EC2Client({ ...motoClientConfig(proxy.endpoint, REGION), maxAttempts: 1 });

    // Act
    const call = once.send(new DescribeVolumesCommand({}));

    // Assess
    await expect(call).rejects.toMatchObject({
      name: 'RequestLimitExceeded',
      $metadata: { httpStatusCode: 503 },
    });
    expect(proxy.counts()).toEqual({ DescribeVolumes: 1 });
    expect(proxy.faultCounts()).toEqual({ DescribeVolumes: 1 });
    once.destroy();
  });

  it('lets the SDK retry injected throttles and 500s to success with its default retries', async () => {
    // Prepare
    proxy.configure({
      errorsFor: { DescribeVolumes: { code: 'RequestLimitExceeded', status: 503, times: 1 } },
    });
    const first = await ec2.send(new DescribeVolumesCommand({}));
    proxy.configure({ errorsFor: { DescribeVolumes: { code: 'InternalError', status: 500, times: 2 } } });

    // Act
    const second = await ec2.send(new DescribeVolumesCommand({}));

    // Assess
    expect(first.$metadata.attempts).toBe(2);
    expect(second.$metadata.attempts).toBe(3);
    expect(second.Volumes).toHaveLength(3);
    expect(proxy.counts()).toEqual({ DescribeVolumes: 5 });
    expect(proxy.faultCounts()).toEqual({ DescribeVolumes: 3 });
  });

  it('loses an answer by cutting the connection after the request was carried out', async () => {
    // Prepare
    proxy.configure({ loseAnswers: { CreateSnapshot: 1 } });
    const once = new EC2Client({ ...motoClientConfig(proxy.endpoint, REGION), maxAttempts: 1 });
    const before = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));

    // Act
    const call = once.send(new CreateSnapshotCommand({ VolumeId: volumeIds[0]! }));

    // Assess
    await expect(call).rejects.toMatchObject({ code: 'ECONNRESET' });
    const after = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    expect(after.Snapshots).toHaveLength((before.Snapshots?.length ?? 0) + 1);
    expect(proxy.faultCounts()).toEqual({ CreateSnapshot: 1 });
    once.destroy();
  });

  it('denies calls beyond a bucket capacity', async () => {
    // Prepare
    proxy.configure({ buckets: { CreateSnapshot: { capacity: 2, refillPerSecond: 0.001 } } });
    const once = new EC2Client({ ...motoClientConfig(proxy.endpoint, REGION), maxAttempts: 1 });
    const create = () => once.send(new CreateSnapshotCommand({ VolumeId: volumeIds[0]! }));

    // Act
    const outcomes = await Promise.allSettled([create(), create(), create()]);
    const volumes = await once.send(new DescribeVolumesCommand({}));

    // Assess
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({
      reason: { name: 'RequestLimitExceeded' },
    });
    expect(volumes.Volumes).toHaveLength(3);
    once.destroy();
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') snapshotIds.push(outcome.value.SnapshotId!);
    }
  });

  it('answers Auto Scaling throttles in the Query protocol shape', async () => {
    // Prepare
    proxy.configure({ throttleRate: 1 });
    const autoscaling = new AutoScalingClient({
      ...motoClientConfig(proxy.endpoint, REGION),
      maxAttempts: 1,
    });

    // Act
    const call = autoscaling.send(new DescribeAutoScalingGroupsCommand({}));

    // Assess
    await expect(call).rejects.toMatchObject({ name: 'Throttling' });
    expect(proxy.faultCounts()).toEqual({ DescribeAutoScalingGroups: 1 });
    autoscaling.destroy();
  });

  it('answers DescribeLockedSnapshots itself from its configured locks, filtered and paged', async () => {
    // Prepare
    const locks = snapshotIds.slice(0, 7).map((snapshotId) => ({ snapshotId }));
    proxy.configure({ lockedSnapshots: [...locks, { snapshotId: snapshotIds[7]!, lockState: 'expired' }] });
    const pages: string[][] = [];

    // Act
    let token: string | undefined;
    do {
      const page = await ec2.send(
        new DescribeLockedSnapshotsCommand({
          MaxResults: 5,
          Filters: [{ Name: 'lock-state', Values: ['governance', 'compliance'] }],
          ...(token ? { NextToken: token } : {}),
        }),
      );
      pages.push((page.Snapshots ?? []).map((s) => s.SnapshotId!));
      token = page.NextToken;
    } while (token);

    // Assess
    expect(pages.map((p) => p.length)).toEqual([5, 2]);
    expect(pages.flat()).toEqual(locks.map((l) => l.snapshotId));
    expect(proxy.counts()).toEqual({ DescribeLockedSnapshots: 2 });
  });
});
