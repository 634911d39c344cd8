/**
 * `copy_to` (SPEC §6a) on the AWS SDK: the copies of one source region's snapshots in a destination
 * region, and CopySnapshot, called in the destination. Each destination gets its own clients
 * (the source's credentials) whose calls take tokens of the destination's buckets.
 */
import { CopySnapshotCommand, type EC2Client, paginateDescribeSnapshots } from '@aws-sdk/client-ec2';
import type { CopySnapshotRequest } from '../app/kit/ports.js';
import { type CopyDestination, type SnapshotId, snapshotId, TAG } from '../core/model.js';
import type { AwsClients } from './clients.js';
import { recordToTags } from './ec2-mappers.js';
import { callAws, missingField } from './errors.js';
import { collectPages } from './paging.js';

export interface CopyPort {
  listCopies(destination: string): Promise<CopyDestination>;
  copySnapshot(request: CopySnapshotRequest): Promise<SnapshotId>;
}

/**
 * @param clientsIn the clients of a destination region, same account and credentials; called once
 *   per destination.
 * @example const copies = createCopyPort(account, 'us-east-1', (region) => createAwsClients({ region, credentials }));
 */
export function createCopyPort(
  account: string,
  sourceRegion: string,
  clientsIn: (region: string) => AwsClients,
): CopyPort {
  const clients = new Map<string, AwsClients>();
  const inRegion = (region: string): AwsClients => {
    let found = clients.get(region);
    if (found === undefined) {
      found = clientsIn(region);
      clients.set(region, found);
    }
    return found;
  };
  return {
    listCopies: (destination) => listCopies(inRegion(destination).ec2, account, sourceRegion, destination),
    // ec2Create retries throttling only: a 5xx may hide a copy that was made.
    copySnapshot: (request) => copySnapshot(inRegion(request.destination).ec2Create, request),
  };
}

/** One listing of the tool's copies in `destination` (any source region): ours by source, pending by state. */
async function listCopies(
  ec2: EC2Client,
  account: string,
  sourceRegion: string,
  destination: string,
): Promise<CopyDestination> {
  const pages = paginateDescribeSnapshots(
    { client: ec2 },
    {
      OwnerIds: ['self'],
      MaxResults: 1000,
      Filters: [{ Name: 'tag-key', Values: [TAG.sourceSnapshotId] }],
    },
  );
  const copied: string[] = [];
  let inFlight = 0;
  await collectPages(
    'DescribeSnapshots',
    pages,
    (page) => page.Snapshots ?? [],
    (item) => {
      if (item.OwnerId !== undefined && item.OwnerId !== account) return undefined;
      const tags = new Map((item.Tags ?? []).map((t) => [t.Key, t.Value]));
      const source = tags.get(TAG.sourceSnapshotId);
      if (source === undefined) return undefined;
      if (item.State === 'pending') inFlight += 1;
      // A copy in error is no copy: the next run makes another.
      if (tags.get(TAG.sourceRegion) === sourceRegion && item.State !== 'error') copied.push(source);
      return undefined;
    },
  );
  return { region: destination, copied, inFlight };
}

/** CopySnapshot into `ec2`'s region, with every tag at creation; the vault's copies go through it too. */
export async function copySnapshot(ec2: EC2Client, request: CopySnapshotRequest): Promise<SnapshotId> {
  const output = await callAws('CopySnapshot', () =>
    ec2.send(
      new CopySnapshotCommand({
        SourceRegion: request.sourceRegion,
        SourceSnapshotId: request.sourceSnapshotId,
        Description: request.description,
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: recordToTags(request.tags) }],
        ...(request.kmsKeyId === undefined ? {} : { Encrypted: true, KmsKeyId: request.kmsKeyId }),
      }),
    ),
  );
  if (!output.SnapshotId) throw missingField('CopySnapshot', 'SnapshotId');
  return snapshotId(output.SnapshotId);
}
