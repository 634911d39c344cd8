/**
 * collectInventory against moto over HTTP: the real SDK, paginators and parsers, behind the
 * counting proxy (which pages Describe* by MaxResults, as moto does not).
 */
import {
  AttachInstancesCommand,
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateImageCommand,
  CreateLaunchTemplateCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CollectProgress } from '../../src/app/kit/ports.js';
import { createAwsClients } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/aws/ec2-inventory.js';
import type { Inventory } from '../../src/core/model.js';
import { MOTO_ACCOUNT_ID, motoClientConfig } from '../support/moto/moto.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const region = 'us-east-1';
const AMI = 'ami-12c6146b';

interface Fleet {
  web: string;
  db: string;
  terminated: string;
  asgMembers: string[];
  detachedVolume: string;
  manualSnapshot: string;
  imageId: string;
}

/** Two tagged instances (root + data volume each), a terminated one, a 2-instance ASG, a detached volume, a tagged snapshot, an AMI. */
async function seedFleet(endpoint: string): Promise<Fleet> {
  const ec2 = new EC2Client(motoClientConfig(endpoint, region));
  const run = async (name: string) => {
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: AMI,
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        BlockDeviceMappings: [
          { DeviceName: '/dev/sda1', Ebs: { VolumeSize: 8 } },
          { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 20 } },
        ],
        TagSpecifications: [
          { ResourceType: 'instance', Tags: [{ Key: 'Name', Value: name }] },
          { ResourceType: 'volume', Tags: [{ Key: 'Owner', Value: name }] },
        ],
      }),
    );
    return out.Instances?.[0]?.InstanceId ?? '';
  };
  const web = await run('web-1');
  const db = await run('db-1');
  const terminated = await run('old-1');
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [terminated] }));
  await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'web-lt',
      LaunchTemplateData: { ImageId: AMI, InstanceType: 't3.micro' },
    }),
  );
  await new AutoScalingClient(motoClientConfig(endpoint, region)).send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'web-asg',
      LaunchTemplate: { LaunchTemplateName: 'web-lt' },
      MinSize: 2,
      MaxSize: 3,
      DesiredCapacity: 2,
      AvailabilityZones: ['us-east-1a'],
    }),
  );
  const detached = await ec2.send(
    new CreateVolumeCommand({
      AvailabilityZone: 'us-east-1a',
      Size: 5,
      VolumeType: 'gp3',
      TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'Backup', Value: 'true' }] }],
    }),
  );
  const manual = await ec2.send(
    new CreateSnapshotCommand({
      VolumeId: detached.VolumeId,
      Description: 'by hand',
      TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'ebs-snapper:policy', Value: 'p1' }] }],
    }),
  );
  const image = await ec2.send(new CreateImageCommand({ InstanceId: db, Name: 'db-image' }));
  return {
    web,
    db,
    terminated,
    asgMembers: [],
    detachedVolume: detached.VolumeId ?? '',
    manualSnapshot: manual.SnapshotId ?? '',
    imageId: image.ImageId ?? '',
  };
}

function clientsVia(endpoint: string) {
  return createAwsClients({
    region,
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    retry: { throttlingBaseDelayMs: 20, baseDelayMs: 20 },
  });
}

/** The inventory with its lists in id order, for comparing two collections. */
function sorted(inventory: Inventory) {
  const byId = <T extends { id: string }>(items: readonly T[]) =>
    [...items].sort((a, b) => a.id.localeCompare(b.id));
  return {
    instances: byId(inventory.instances),
    volumes: byId(inventory.volumes),
    snapshots: byId(inventory.snapshots),
    images: byId(inventory.images),
  };
}

describe('collectInventory against moto', () => {
  const t = useMotoBehindProxy();
  let fleet: Fleet;

  beforeEach(async () => {
    fleet = await seedFleet(t.moto.endpoint);
    t.proxy.resetCounts();
  });

  it('maps a small fleet into the model', async () => {
    // Prepare
    const clients = clientsVia(t.proxy.endpoint);

    // Act
    const inventory = await collectInventory(clients, {
      account: MOTO_ACCOUNT_ID,
      region,
      policyIds: ['p1'],
    });

    // Assess
    const instance = (id: string) => inventory.instances.find((i) => i.id === id);
    expect(inventory.instances.map((i) => i.id)).not.toContain(fleet.terminated);
    expect(inventory.instances).toHaveLength(4);
    expect(instance(fleet.web)).toMatchObject({
      state: 'running',
      tags: { Name: 'web-1' },
      rootDeviceName: '/dev/sda1',
      instanceType: 't3.micro',
    });
    expect(inventory.instances.filter((i) => i.asg === 'web-asg')).toHaveLength(2);
    const webVolumes = inventory.volumes.filter((v) => v.attachments.some((a) => a.instanceId === fleet.web));
    expect(webVolumes.map((v) => [v.attachments[0]?.device, v.sizeGiB, v.tags.Owner]).sort()).toEqual([
      ['/dev/sda1', 8, 'web-1'],
      ['/dev/sdf', 20, 'web-1'],
    ]);
    expect(inventory.volumes.find((v) => v.id === fleet.detachedVolume)).toMatchObject({
      attachments: [],
      tags: { Backup: 'true' },
      type: 'gp3',
      state: 'available',
    });
    const manual = inventory.snapshots.find((s) => s.id === fleet.manualSnapshot);
    expect(manual).toMatchObject({
      ownerId: MOTO_ACCOUNT_ID,
      state: 'completed',
      volumeId: fleet.detachedVolume,
      tags: { 'ebs-snapper:policy': 'p1' },
      description: 'by hand',
    });
    expect(Math.abs((manual?.startTime ?? 0) - Date.now())).toBeLessThan(10 * 60_000);
    const image = inventory.images.find((i) => i.id === fleet.imageId);
    // moto's CreateImage snapshots the root volume only (AWS: every EBS volume).
    expect(image?.snapshotIds.length).toBeGreaterThanOrEqual(1);
    // The image's snapshot carries no policy tag: the plan needs the image, not the snapshot.
    expect(inventory.snapshots.map((s) => s.id)).toEqual([fleet.manualSnapshot]);
    expect(inventory.gaps).toBeUndefined();
    expect(t.proxy.counts()).toEqual({
      DescribeInstances: 1,
      DescribeVolumes: 1,
      DescribeSnapshots: 1,
      DescribeImages: 1,
      DescribeLockedSnapshots: 1,
      // The Recycle Bin's rules (none here, so no GetRule): what each delete would leave behind.
      ListRules: 1,
    });
  });

  it('counts the snapshots of no configured policy when asked to, listing each snapshot once', async () => {
    // Prepare
    const clients = clientsVia(t.proxy.endpoint);

    // Act
    const inventory = await collectInventory(clients, {
      account: MOTO_ACCOUNT_ID,
      region,
      policyIds: ['p1'],
      unmanaged: 'count',
    });

    // Assess
    expect(inventory.snapshots.map((s) => s.id)).toEqual([fleet.manualSnapshot]);
    expect(inventory.unmanaged?.count).toBeGreaterThanOrEqual(1);
    expect(t.proxy.counts().DescribeSnapshots).toBe(1);
  });

  it('cuts a listing of several pages into chains by snapshot id and finds the same snapshots', async () => {
    // Prepare: 24 more snapshots of policy p1, pages of 5
    const clients = clientsVia(t.proxy.endpoint);
    const ec2 = new EC2Client(motoClientConfig(t.moto.endpoint, region));
    for (let i = 0; i < 24; i++) {
      await ec2.send(
        new CreateSnapshotCommand({
          VolumeId: fleet.detachedVolume,
          TagSpecifications: [
            { ResourceType: 'snapshot', Tags: [{ Key: 'ebs-snapper:policy', Value: 'p1' }] },
          ],
        }),
      );
    }
    const whole = await collectInventory(clients, { account: MOTO_ACCOUNT_ID, region, policyIds: ['p1'] });
    t.proxy.configure({ pageSize: { DescribeSnapshots: 5 } });
    t.proxy.resetCounts();

    // Act
    const paged = await collectInventory(clients, { account: MOTO_ACCOUNT_ID, region, policyIds: ['p1'] });

    // Assess
    expect(sorted(paged).snapshots).toEqual(sorted(whole).snapshots);
    expect(paged.snapshots).toHaveLength(25);
    const perChain = [...'0123456789abcdef'].map(
      (d) => whole.snapshots.filter((s) => s.id.startsWith(`snap-${d}`)).length,
    );
    const chainCalls = perChain.reduce((sum, n) => sum + Math.max(1, Math.ceil(n / 5)), 0);
    expect(t.proxy.counts().DescribeSnapshots).toBe(1 + chainCalls);
  });

  it('marks the snapshots the account has locked (DescribeLockedSnapshots, answered by the proxy)', async () => {
    // Prepare
    const clients = clientsVia(t.proxy.endpoint);
    t.proxy.configure({ lockedSnapshots: [{ snapshotId: fleet.manualSnapshot, lockState: 'compliance' }] });

    // Act
    const inventory = await collectInventory(clients, {
      account: MOTO_ACCOUNT_ID,
      region,
      policyIds: ['p1'],
    });

    // Assess
    expect(inventory.snapshots.find((s) => s.id === fleet.manualSnapshot)?.locked).toBe(true);
  });

  it('gives the same inventory through small pages, in ⌈n/page⌉ calls per listing', async () => {
    // Prepare
    const clients = clientsVia(t.proxy.endpoint);
    const whole = await collectInventory(clients, { account: MOTO_ACCOUNT_ID, region, policyIds: ['p1'] });
    t.proxy.configure({
      pageSize: { DescribeInstances: 2, DescribeVolumes: 2, DescribeSnapshots: 1, DescribeImages: 1 },
    });
    t.proxy.resetCounts();
    const progress: CollectProgress[] = [];

    // Act
    const paged = await collectInventory(clients, {
      account: MOTO_ACCOUNT_ID,
      region,
      policyIds: ['p1'],
      onProgress: (p) => progress.push(p),
    });

    // Assess
    expect(sorted(paged)).toEqual(sorted(whole));
    const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
    // More than one page of volumes: a first page, then 16 chains by the first hex digit of the id.
    const volumeChains = [...'0123456789abcdef'].map(
      (d) => whole.volumes.filter((v) => v.id.startsWith(`vol-${d}`)).length,
    );
    const volumeCalls = 1 + volumeChains.reduce((sum, n) => sum + pages(n, 2), 0);
    expect(t.proxy.counts()).toEqual({
      // moto pages DescribeInstances by reservation (the ASG's two instances are one): 3 reservations.
      DescribeInstances: pages(3, 2),
      DescribeVolumes: volumeCalls,
      DescribeSnapshots: pages(whole.snapshots.length, 1),
      DescribeImages: pages(whole.images.length, 1),
      DescribeLockedSnapshots: 1,
      // The Recycle Bin's rules (none here, so no GetRule): what each delete would leave behind.
      ListRules: 1,
    });
    const volumeProgress = progress.filter((p) => p.resource === 'volumes');
    expect(volumeProgress).toHaveLength(volumeCalls - 1);
    expect(volumeProgress.at(-1)).toEqual({
      account: MOTO_ACCOUNT_ID,
      region,
      resource: 'volumes',
      count: whole.volumes.length,
    });
  });

  it('reads group membership from the tag, and asks Auto Scaling only when told to', async () => {
    // Prepare
    const clients = clientsVia(t.proxy.endpoint);
    await clients.autoScaling.send(
      new AttachInstancesCommand({ AutoScalingGroupName: 'web-asg', InstanceIds: [fleet.web] }),
    );
    t.proxy.resetCounts();

    // Act
    const fromTags = await collectInventory(clients, { account: MOTO_ACCOUNT_ID, region, policyIds: ['p1'] });
    const callsFromTags = t.proxy.counts().DescribeAutoScalingGroups;
    const resolved = await collectInventory(clients, {
      account: MOTO_ACCOUNT_ID,
      region,
      policyIds: ['p1'],
      resolveAsgs: true,
    });

    // Assess
    expect(callsFromTags).toBeUndefined();
    expect(fromTags.instances.filter((i) => i.asg === 'web-asg')).toHaveLength(3);
    expect(resolved.instances.filter((i) => i.asg === 'web-asg')).toHaveLength(3);
    expect(t.proxy.counts().DescribeAutoScalingGroups).toBe(1);
  });

  it('finishes under 30% injected RequestLimitExceeded', async () => {
    // Prepare
    const clients = clientsVia(t.proxy.endpoint);
    t.proxy.configure({ throttleRate: 0.3, pageSize: { DescribeVolumes: 1, DescribeSnapshots: 1 }, seed: 3 });

    // Act
    const inventory = await collectInventory(clients, {
      account: MOTO_ACCOUNT_ID,
      region,
      policyIds: ['p1'],
    });

    // Assess
    expect(inventory.volumes.length).toBeGreaterThan(8);
    expect(Object.values(t.proxy.faultCounts()).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
