/**
 * The volumes of restore drills on the AWS SDK (the port is `app/kit/volume-port.ts`). CreateVolume
 * carries a client token and the drill's tags (TagSpecifications), so a retry never makes a second
 * volume and no volume exists untagged for a moment. Detach, delete and the result's tags go through
 * the clients the deadline never cancels: a drill that is ending ends.
 */
import {
  AttachVolumeCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeVolumeStatusCommand,
  DetachVolumeCommand,
  type EC2Client,
  paginateDescribeVolumes,
  type VolumeStatusItem,
  type VolumeType,
} from '@aws-sdk/client-ec2';
import { PortError } from '../app/kit/ports.js';
import type { Initialization, VolumePort } from '../app/kit/volume-port.js';
import { DRILL_TAG } from '../core/drills/tags.js';
import { type VolumeId, volumeId } from '../core/model.js';
import type { AwsClients } from './clients.js';
import { mapVolume, recordToTags } from './ec2-mappers.js';
import { callAws, missingField } from './errors.js';
import { collectPages } from './paging.js';

/** How many volume ids one DescribeVolumeStatus asks about. */
const STATUS_CHUNK = 100;

/** @example const volumes = createVolumePort(clients); await volumes.listDrillVolumes(); */
export function createVolumePort(clients: AwsClients): VolumePort {
  const { ec2, finish } = clients;
  return {
    async createVolume(request) {
      const output = await callAws('CreateVolume', () =>
        ec2.send(
          new CreateVolumeCommand({
            SnapshotId: request.snapshotId,
            AvailabilityZone: request.availabilityZone,
            VolumeType: request.volumeType as VolumeType,
            ...(request.sizeGiB === undefined ? {} : { Size: request.sizeGiB }),
            TagSpecifications: [{ ResourceType: 'volume', Tags: recordToTags(request.tags) }],
            ClientToken: request.clientToken,
          }),
        ),
      );
      if (!output.VolumeId) throw missingField('CreateVolume', 'VolumeId');
      return volumeId(output.VolumeId);
    },
    listDrillVolumes: (ids) => listDrillVolumes(ec2, ids),
    initialization: (ids) => initialization(ec2, ids),
    async attach(volume, instance, device) {
      await callAws('AttachVolume', () =>
        ec2.send(new AttachVolumeCommand({ VolumeId: volume, InstanceId: instance, Device: device })),
      );
    },
    async detach(volume, instance, force) {
      try {
        // The instance is always named: EC2 does not need it, but moto answers 500 without it.
        await callAws('DetachVolume', () =>
          finish.ec2.send(
            new DetachVolumeCommand({
              VolumeId: volume,
              InstanceId: instance,
              ...(force ? { Force: true } : {}),
            }),
          ),
        );
      } catch (error) {
        // Already detached (a run killed after its detach, say): what was asked is done.
        if (!(error instanceof PortError && DETACHED_CODES.has(error.code))) throw error;
      }
    },
    async deleteVolume(volume) {
      try {
        await callAws('DeleteVolume', () => finish.ec2.send(new DeleteVolumeCommand({ VolumeId: volume })));
      } catch (error) {
        if (!(error instanceof PortError && error.code === 'InvalidVolume.NotFound')) throw error;
      }
    },
    async tagVolume(volume, tags) {
      await callAws('CreateTags', () =>
        ec2.send(new CreateTagsCommand({ Resources: [volume], Tags: recordToTags(tags) })),
      );
    },
    async tagSnapshot(snapshot, tags) {
      await callAws('CreateTags', () =>
        finish.ec2.send(new CreateTagsCommand({ Resources: [snapshot], Tags: recordToTags(tags) })),
      );
    },
  };
}

const DETACHED_CODES: ReadonlySet<string> = new Set(['IncorrectState', 'InvalidAttachment.NotFound']);

/** One paged listing of the drill volumes (500 a page), or of those among `ids`. */
function listDrillVolumes(ec2: EC2Client, ids: readonly VolumeId[] | undefined) {
  const filters = [
    { Name: 'tag-key', Values: [DRILL_TAG.of] },
    // A filter, not VolumeIds: an id that is gone is simply not listed, never an error.
    ...(ids === undefined ? [] : [{ Name: 'volume-id', Values: [...ids] }]),
  ];
  if (ids !== undefined && ids.length === 0) return Promise.resolve([]);
  return collectPages(
    'DescribeVolumes',
    paginateDescribeVolumes({ client: ec2 }, { MaxResults: 500, Filters: filters }),
    (page) => page.Volumes ?? [],
    mapVolume,
  );
}

async function initialization(
  ec2: EC2Client,
  ids: readonly VolumeId[],
): Promise<ReadonlyMap<string, Initialization>> {
  const out = new Map<string, Initialization>();
  for (let start = 0; start < ids.length; start += STATUS_CHUNK) {
    const chunk = ids.slice(start, start + STATUS_CHUNK);
    for (const item of await describeStatus(ec2, chunk)) {
      if (item.VolumeId !== undefined) out.set(item.VolumeId, initializationOf(item));
    }
  }
  return out;
}

/** DescribeVolumeStatus of `ids`; a volume gone meanwhile fails the call, so then each is asked alone. */
async function describeStatus(ec2: EC2Client, ids: readonly VolumeId[]): Promise<VolumeStatusItem[]> {
  const ask = async (volumeIds: readonly VolumeId[]) => {
    const items: VolumeStatusItem[] = [];
    let NextToken: string | undefined;
    do {
      const page = await callAws('DescribeVolumeStatus', () =>
        ec2.send(
          new DescribeVolumeStatusCommand({ VolumeIds: [...volumeIds], ...(NextToken ? { NextToken } : {}) }),
        ),
      );
      items.push(...(page.VolumeStatuses ?? []));
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    return items;
  };
  try {
    return await ask(ids);
  } catch (error) {
    if (!(error instanceof PortError && error.code === 'InvalidVolume.NotFound')) throw error;
    if (ids.length === 1) return [];
    return (await Promise.all(ids.map((id) => describeStatus(ec2, [id])))).flat();
  }
}

/**
 * Initialization as EC2 reports it: `InitializationStatusDetails.Progress` (100 when done) where
 * given, else the `initialization-state` status detail (`initializing` | `completed`).
 */
export function initializationOf(item: VolumeStatusItem): Initialization {
  const progress = item.InitializationStatusDetails?.Progress;
  if (progress !== undefined) return progress >= 100 ? 'done' : 'pending';
  const state = item.VolumeStatus?.Details?.find((d) => d.Name === 'initialization-state')?.Status;
  if (state === 'completed') return 'done';
  if (state === 'initializing') return 'pending';
  return 'unknown';
}
