/** Small SDK helpers the end-to-end tests use to set up and inspect a local AWS. */
import {
  CreateSnapshotCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RegisterImageCommand,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { motoClientConfig } from '../support/moto.js';

export function ec2Client(endpoint: string, region = 'us-east-1'): EC2Client {
  return new EC2Client(motoClientConfig(endpoint, region));
}

export function tagsOf(snapshot: Snapshot): Record<string, string> {
  return Object.fromEntries((snapshot.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

/** Every snapshot owned by the account (moto ignores OwnerIds, so filter here too). */
export async function listSnapshots(ec2: EC2Client): Promise<Snapshot[]> {
  const response = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
  return (response.Snapshots ?? []).filter((s) => s.OwnerId === '123456789012');
}

/** Snapshots carrying `ebs-snapper:policy = policy`. */
export async function policySnapshots(ec2: EC2Client, policy: string): Promise<Snapshot[]> {
  return (await listSnapshots(ec2)).filter((s) => tagsOf(s)['ebs-snapper:policy'] === policy);
}

/** A snapshot made "by hand", optionally carrying tags (e.g. to pose as an earlier run's). */
export async function snapshotByHand(ec2: EC2Client, volumeId: string, tags: Record<string, string> = {}) {
  const entries = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  const response = await ec2.send(
    new CreateSnapshotCommand({
      VolumeId: volumeId,
      Description: 'by hand',
      ...(entries.length === 0 ? {} : { TagSpecifications: [{ ResourceType: 'snapshot', Tags: entries }] }),
    }),
  );
  return response.SnapshotId!;
}

/** Register an AMI whose root device is `snapshotId` (moto does not protect these itself). */
export async function registerImageOf(ec2: EC2Client, snapshotId: string): Promise<string> {
  const response = await ec2.send(
    new RegisterImageCommand({
      Name: `image-of-${snapshotId}`,
      RootDeviceName: '/dev/sda1',
      BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { SnapshotId: snapshotId } }],
    }),
  );
  return response.ImageId!;
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
