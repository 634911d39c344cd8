import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  paginateDescribeSnapshots,
  type Snapshot as SdkSnapshot,
} from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import {
  type Inventory,
  imageId,
  instanceId,
  type Snapshot,
  snapshotId,
  volumeId,
} from '../../../src/core/model.js';
import { createFakeEc2, type FakeEc2 } from './fake-ec2.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const T0 = Date.UTC(2026, 0, 1);
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function makeSnapshot(n: number, ownerId = ACCOUNT): Snapshot {
  return {
    id: snapshotId(`snap-${String(n).padStart(17, '0')}`),
    volumeId: volumeId(`vol-${String(n % 7).padStart(17, '0')}`),
    ownerId,
    state: 'completed',
    startTime: T0 + n * 60_000,
    tags: { 'ebs-snapper:policy': 'daily', n: String(n), odd: 'a & <b>' },
    sizeGiB: 8,
    description: `snapshot ${n}`,
  };
}

function makeInventory(snapshots: readonly Snapshot[]): Inventory {
  return {
    account: ACCOUNT,
    region: REGION,
    instances: [
      {
        id: instanceId('i-1'),
        state: 'running',
        tags: { Name: 'web-1' },
        rootDeviceName: '/dev/xvda',
        asg: 'web',
      },
      { id: instanceId('i-2'), state: 'stopped', tags: { Name: 'db-1' }, availabilityZone: `${REGION}b` },
      { id: instanceId('i-3'), state: 'terminated', tags: { Name: 'web-2' } },
    ],
    volumes: [
      {
        id: volumeId('vol-1'),
        tags: { Name: 'root' },
        type: 'gp3',
        sizeGiB: 8,
        attachments: [{ instanceId: instanceId('i-1'), device: '/dev/xvda' }],
      },
      { id: volumeId('vol-2'), tags: {}, type: 'io2', sizeGiB: 100, attachments: [] },
    ],
    snapshots,
    images: [{ id: imageId('ami-1'), snapshotIds: [snapshotId('snap-a'), snapshotId('snap-b')] }],
  };
}

function clientFor(fake: FakeEc2): EC2Client {
  return new EC2Client({ region: REGION, credentials, requestHandler: fake });
}

describe('createFakeEc2', () => {
  it('pages 2,500 snapshots by 1,000 through the SDK paginator with tags and times intact', async () => {
    // Prepare
    const snapshots = Array.from({ length: 2_500 }, (_, n) => makeSnapshot(n));
    const fake = createFakeEc2([makeInventory(snapshots)]);
    const pages: SdkSnapshot[][] = [];

    // Act
    for await (const page of paginateDescribeSnapshots(
      { client: clientFor(fake), pageSize: 1000 },
      { OwnerIds: ['self'] },
    )) {
      pages.push(page.Snapshots ?? []);
    }

    // Assess
    const all = pages.flat();
    expect(pages.map((p) => p.length)).toEqual([1000, 1000, 500]);
    expect(fake.counts()).toEqual({ DescribeSnapshots: 3 });
    expect(new Set(all.map((s) => s.SnapshotId)).size).toBe(2_500);
    expect(all[1234]).toMatchObject({
      SnapshotId: snapshots[1234]!.id,
      VolumeId: snapshots[1234]!.volumeId,
      OwnerId: ACCOUNT,
      State: 'completed',
      VolumeSize: 8,
      Description: 'snapshot 1234',
    });
    expect(all[1234]!.StartTime?.getTime()).toBe(T0 + 1234 * 60_000);
    expect(all[1234]!.Tags).toEqual([
      { Key: 'ebs-snapper:policy', Value: 'daily' },
      { Key: 'n', Value: '1234' },
      { Key: 'odd', Value: 'a & <b>' },
    ]);
  });

  it("serves only the account's snapshots for OwnerIds self, and all of them without it", async () => {
    // Prepare
    const fake = createFakeEc2([makeInventory([makeSnapshot(1), makeSnapshot(2, '999999999999')])]);
    const ec2 = clientFor(fake);

    // Act
    const own = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    const all = await ec2.send(new DescribeSnapshotsCommand({}));

    // Assess
    expect(own.Snapshots?.map((s) => s.OwnerId)).toEqual([ACCOUNT]);
    expect(all.Snapshots).toHaveLength(2);
  });

  it('serves instances with state, tags, placement, root device, group tag and attached volumes', async () => {
    // Prepare
    const fake = createFakeEc2([makeInventory([])]);
    const filters = [{ Name: 'instance-state-name', Values: ['running', 'stopped'] }];

    // Act
    const live = await clientFor(fake).send(
      new DescribeInstancesCommand({ Filters: filters, MaxResults: 1000 }),
    );
    const named = await clientFor(fake).send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['web-*'] }] }),
    );

    // Assess
    const instances = (live.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    expect(instances.map((i) => [i.InstanceId, i.State?.Name])).toEqual([
      ['i-1', 'running'],
      ['i-2', 'stopped'],
    ]);
    expect(instances[0]).toMatchObject({
      RootDeviceName: '/dev/xvda',
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-1' } }],
      Tags: [
        { Key: 'Name', Value: 'web-1' },
        { Key: 'aws:autoscaling:groupName', Value: 'web' },
      ],
    });
    expect(instances[1]?.Placement?.AvailabilityZone).toBe(`${REGION}b`);
    const namedIds = (named.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId);
    expect(namedIds).toEqual(['i-1', 'i-3']);
  });

  it('serves volumes with attachments, and images with their snapshots', async () => {
    // Prepare
    const fake = createFakeEc2([makeInventory([])]);

    // Act
    const volumes = await clientFor(fake).send(new DescribeVolumesCommand({ MaxResults: 500 }));
    const images = await clientFor(fake).send(new DescribeImagesCommand({ Owners: ['self'] }));

    // Assess
    expect(volumes.Volumes?.[0]).toMatchObject({
      VolumeId: 'vol-1',
      VolumeType: 'gp3',
      Size: 8,
      State: 'in-use',
      Attachments: [{ InstanceId: 'i-1', Device: '/dev/xvda' }],
      Tags: [{ Key: 'Name', Value: 'root' }],
    });
    expect(volumes.Volumes?.[1]).toMatchObject({ VolumeId: 'vol-2', State: 'available', Attachments: [] });
    const snapshotIds = images.Images?.[0]?.BlockDeviceMappings?.map((m) => m.Ebs?.SnapshotId);
    expect(snapshotIds).toEqual(['snap-a', 'snap-b']);
  });

  it('answers DescribeRegions, GetCallerIdentity and DescribeAutoScalingGroups', async () => {
    // Prepare
    const fake = createFakeEc2([makeInventory([])], { regions: [REGION, 'us-east-1'] });
    const sts = new STSClient({ region: REGION, credentials, requestHandler: fake });
    const autoscaling = new AutoScalingClient({ region: REGION, credentials, requestHandler: fake });

    // Act
    const regions = await clientFor(fake).send(new DescribeRegionsCommand({}));
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const groups = await autoscaling.send(new DescribeAutoScalingGroupsCommand({}));

    // Assess
    expect(regions.Regions?.map((r) => r.RegionName)).toEqual([REGION, 'us-east-1']);
    expect(identity.Account).toBe(ACCOUNT);
    expect(
      groups.AutoScalingGroups?.map((g) => [g.AutoScalingGroupName, g.Instances?.[0]?.InstanceId]),
    ).toEqual([['web', 'i-1']]);
    expect(fake.counts()).toEqual({ DescribeRegions: 1, GetCallerIdentity: 1, DescribeAutoScalingGroups: 1 });
  });

  it('serves an empty inventory for a region it was not given', async () => {
    // Prepare
    const fake = createFakeEc2([makeInventory([makeSnapshot(1)])]);
    const ec2 = new EC2Client({ region: 'ap-south-1', credentials, requestHandler: fake });

    // Act
    const answer = await ec2.send(new DescribeSnapshotsCommand({}));

    // Assess
    expect(answer.Snapshots).toEqual([]);
  });

  it('refuses an out-of-range MaxResults and an unknown filter, as AWS would', async () => {
    // Prepare
    const ec2 = clientFor(createFakeEc2([makeInventory([])]));

    // Act
    const tooBig = ec2.send(new DescribeVolumesCommand({ MaxResults: 1000 }));
    const unknown = ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] }));

    // Assess
    await expect(tooBig).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(unknown).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});
