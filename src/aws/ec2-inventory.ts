/**
 * The inventory of one account × region (SPEC §8), every listing at its largest page size and
 * all side by side under the Describe buckets, pages mapped as they arrive: instances (not
 * terminated), volumes and the snapshots of the configured policies (each cut into 16 chains when
 * it has more than one page, split-listing.ts), the account's images and snapshot locks, then —
 * only when some listed snapshot is archived — when those reached the archive tier.
 */
import { paginateDescribeAutoScalingGroups } from '@aws-sdk/client-auto-scaling';
import {
  paginateDescribeInstances,
  paginateDescribeVolumes,
  type Volume as SdkVolume,
} from '@aws-sdk/client-ec2';
import type { CollectProgress, UnmanagedMode } from '../app/kit/ports.js';
import type { Instance, Inventory, InventoryGap, Snapshot, Volume } from '../core/model.js';
import type { AwsClients } from './clients.js';
import { mapInstance, mapVolume } from './ec2-mappers.js';
import { toAwsCallError } from './errors.js';
import { collectPages } from './paging.js';
import { listBinned, readBinRules } from './recycle-bin.js';
import { type Listed, listArchivedTimes, listImages, listLockedSnapshotIds } from './safety-listings.js';
import { listSnapshots } from './snapshot-listing.js';
import { listSplit } from './split-listing.js';

/** Terminated instances have no volumes; asking EC2 to leave them out saves pages. */
const LIVE_INSTANCE_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'] as const;

export interface CollectOptions {
  readonly account: string;
  readonly region: string;
  /** The configured policy ids: only their snapshots are listed (see `CollectInventoryOptions`). */
  readonly policyIds: readonly string[];
  /** Default `skip`. */
  readonly unmanaged?: UnmanagedMode;
  readonly onProgress?: (progress: CollectProgress) => void;
  /**
   * Also ask Auto Scaling which instances belong to which group (DescribeAutoScalingGroups,
   * ⌈groups/100⌉ more calls). Off by default: AWS tags every instance of a group, launched or
   * attached, with `aws:autoscaling:groupName` (users cannot edit `aws:` tags), and
   * DescribeInstances already returns it, so the tag is enough. On, the group's answer wins.
   */
  readonly resolveAsgs?: boolean;
  /** Also list the Recycle Bin's contents (reports). */
  readonly binContents?: boolean;
}

/**
 * Collects what the planner needs of one account × region. moto ignores `OwnerIds: ['self']`;
 * each snapshot keeps its real `ownerId`, and the planner never touches one whose owner is not
 * the account. Throws when instances, volumes or snapshots cannot be listed; a listing only
 * delete safety needs that fails is an `Inventory.gaps` entry instead.
 *
 * @example
 * const inventory = await collectInventory(clients, { account, region: 'eu-west-1', policyIds: ['web-daily'] });
 */
export async function collectInventory(clients: AwsClients, options: CollectOptions): Promise<Inventory> {
  const { ec2 } = clients;
  const report = progressReporter(options);
  // When one listing the plan cannot do without fails, the others stop asking for pages: at
  // scale they would otherwise page on for a minute after the collection has failed.
  const failed = new AbortController();
  const required = <T>(listing: Promise<T>): Promise<T> =>
    listing.catch((error: unknown) => {
      failed.abort();
      throw error;
    });
  const { signal } = failed;
  const [instances, volumes, listed, images, locked, groups, recycleBin, binned] = await Promise.all([
    required(
      collectPages(
        'DescribeInstances',
        paginateDescribeInstances(
          { client: ec2 },
          { MaxResults: 1000, Filters: [{ Name: 'instance-state-name', Values: [...LIVE_INSTANCE_STATES] }] },
        ),
        (page) => (page.Reservations ?? []).flatMap((r) => r.Instances ?? []),
        mapInstance,
        report('instances'),
        signal,
      ),
    ),
    required(listVolumes(clients, report('volumes'), signal)),
    required(
      listSnapshots(ec2, {
        account: options.account,
        policyIds: options.policyIds,
        unmanaged: options.unmanaged ?? 'skip',
        onPage: report('snapshots'),
        signal,
      }),
    ),
    listImages(ec2, report('images')),
    listLockedSnapshotIds(ec2, report('locked-snapshots')),
    options.resolveAsgs ? collectAsgMembership(clients, report('auto-scaling-groups')) : undefined,
    // SPEC §14: what the bin keeps of each delete; unreadable rules are said so, never taken as none.
    readBinRules(clients.rbin),
    options.binContents === true ? listBinned(ec2).catch(() => undefined) : undefined,
  ]);
  const archived = listed.snapshots.filter((s) => s.storageTier === 'archive').map((s) => s.id);
  const archivedAt =
    archived.length === 0 ? undefined : await listArchivedTimes(ec2, archived, report('archive-tier'));
  const gaps = [images, locked, archivedAt].flatMap(gapOf);
  return {
    account: options.account,
    region: options.region,
    instances: groups ? instances.map((i) => withGroup(i, groups)) : instances,
    volumes,
    snapshots: markProtections(listed.snapshots, itemsOf(locked), itemsOf(archivedAt)),
    images: itemsOf(images) ?? [],
    ...(gaps.length > 0 && { gaps }),
    ...(listed.unmanaged !== undefined && { unmanaged: listed.unmanaged }),
    recycleBin,
    ...(binned !== undefined && { binned }),
  };
}

/** Volumes, 500 a page, cut into chains by id when there is more than one page. */
async function listVolumes(
  clients: AwsClients,
  onPage: (count: number) => void,
  signal: AbortSignal,
): Promise<Volume[]> {
  const volumes: Volume[] = [];
  await listSplit(
    {
      operation: 'DescribeVolumes',
      idFilter: 'volume-id',
      idPrefix: 'vol-',
      pages: (extra) =>
        paginateDescribeVolumes(
          { client: clients.ec2 },
          { MaxResults: 500, ...(extra.length > 0 && { Filters: [...extra] }) },
        ),
      itemsOf: (page) => page.Volumes ?? [],
      idOf: (item: SdkVolume) => item.VolumeId,
    },
    {
      add: (items) => {
        for (const item of items) {
          const volume = mapVolume(item);
          if (volume !== undefined) volumes.push(volume);
        }
        onPage(volumes.length);
      },
      clear: () => {
        volumes.length = 0;
      },
    },
    signal,
  );
  return volumes;
}

const gapOf = (listed: Listed<unknown> | undefined): InventoryGap[] =>
  listed !== undefined && 'gap' in listed ? [listed.gap] : [];

const itemsOf = <T>(listed: Listed<T> | undefined): T | undefined =>
  listed !== undefined && 'items' in listed ? listed.items : undefined;

/** Sets `locked` and `archivedAt` on the few snapshots they apply to (the rest are left as they are). */
function markProtections(
  snapshots: Snapshot[],
  locked: ReadonlySet<string> | undefined,
  archivedAt: ReadonlyMap<string, number> | undefined,
): Snapshot[] {
  if ((locked === undefined || locked.size === 0) && (archivedAt === undefined || archivedAt.size === 0)) {
    return snapshots;
  }
  for (let i = 0; i < snapshots.length; i++) {
    const s = snapshots[i]!;
    const isLocked = locked?.has(s.id) === true;
    const at = s.storageTier === 'archive' ? archivedAt?.get(s.id) : undefined;
    if (!isLocked && at === undefined) continue;
    snapshots[i] = { ...s, ...(isLocked && { locked: true }), ...(at !== undefined && { archivedAt: at }) };
  }
  return snapshots;
}

function progressReporter(options: CollectOptions) {
  return (resource: CollectProgress['resource']) => (count: number) =>
    options.onProgress?.({ account: options.account, region: options.region, resource, count });
}

function withGroup(instance: Instance, groups: ReadonlyMap<string, string>): Instance {
  const asg = groups.get(instance.id);
  return asg === undefined || asg === instance.asg ? instance : { ...instance, asg };
}

/** Instance id → Auto Scaling group name, 100 groups a page (the API's maximum). */
async function collectAsgMembership(
  clients: AwsClients,
  onPage: (count: number) => void,
): Promise<ReadonlyMap<string, string>> {
  const members = new Map<string, string>();
  let groups = 0;
  try {
    for await (const page of paginateDescribeAutoScalingGroups(
      { client: clients.autoScaling },
      { MaxRecords: 100 },
    )) {
      for (const group of page.AutoScalingGroups ?? []) {
        groups += 1;
        for (const instance of group.Instances ?? []) {
          if (instance.InstanceId && group.AutoScalingGroupName) {
            members.set(instance.InstanceId, group.AutoScalingGroupName);
          }
        }
      }
      onPage(groups);
    }
  } catch (error) {
    throw toAwsCallError('DescribeAutoScalingGroups', error);
  }
  return members;
}
