/** Small SDK helpers the end-to-end tests use to set up and inspect a local AWS. */
import {
  CreateImageCommand,
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { snapshotVolume } from '../../scripts/seed-ec2.js';
import { tagsToRecord } from '../../src/aws/ec2-mappers.js';
import type { Tags } from '../../src/core/model.js';
import { motoClientConfig } from '../support/moto/moto.js';

export function ec2Client(endpoint: string, region = 'us-east-1'): EC2Client {
  return new EC2Client(motoClientConfig(endpoint, region));
}

export function tagsOf(snapshot: Snapshot): Tags {
  return tagsToRecord(snapshot.Tags);
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
export function snapshotByHand(
  ec2: EC2Client,
  volumeId: string,
  tags: Record<string, string> = {},
): Promise<string> {
  return snapshotVolume(ec2, volumeId, { description: 'by hand', tags });
}

/**
 * Make an AMI of an instance (CreateImage) and return the snapshot behind it, tagged as one of
 * `policy`'s: moto's RegisterImage ignores the snapshot it is given, CreateImage really uses one.
 */
export async function imageSnapshotOf(ec2: EC2Client, instanceId: string, policy: string): Promise<string> {
  const { ImageId } = await ec2.send(
    new CreateImageCommand({ InstanceId: instanceId, Name: `image-of-${instanceId}` }),
  );
  const images = await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }));
  const mapping = images.Images![0]!.BlockDeviceMappings!.find((m) => m.Ebs?.SnapshotId !== undefined)!;
  const snapshotId = mapping.Ebs!.SnapshotId!;
  const { Snapshots } = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }));
  await ec2.send(
    new CreateTagsCommand({
      Resources: [snapshotId],
      Tags: [
        { Key: 'ebs-snapper:policy', Value: policy },
        { Key: 'ebs-snapper:volume-id', Value: Snapshots![0]!.VolumeId! },
      ],
    }),
  );
  return snapshotId;
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
