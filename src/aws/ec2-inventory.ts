/**
 * The inventory of one account × region in ⌈instances/1000⌉ + ⌈volumes/500⌉ + ⌈snapshots/1000⌉ +
 * ⌈images/1000⌉ paged calls (SPEC §8): the four listings run concurrently, each through the SDK's
 * paginator at its largest page size, never one call per volume.
 */
import { paginateDescribeAutoScalingGroups } from '@aws-sdk/client-auto-scaling';
import {
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
} from '@aws-sdk/client-ec2';
import type { CollectProgress } from '../app/ports.js';
import type { Instance, Inventory } from '../core/model.js';
import type { AwsClients } from './clients.js';
import { mapImage, mapInstance, mapSnapshot, mapVolume } from './ec2-mappers.js';
import { toAwsCallError } from './errors.js';
import { collectPages } from './paging.js';

/** Terminated instances have no volumes; asking EC2 to leave them out saves pages. */
export const LIVE_INSTANCE_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'] as const;

export interface CollectOptions {
  readonly account: string;
  readonly region: string;
  readonly onProgress?: (progress: CollectProgress) => void;
  /**
   * Also ask Auto Scaling which instances belong to which group (DescribeAutoScalingGroups,
   * ⌈groups/100⌉ more calls). Off by default: AWS tags every instance of a group, launched or
   * attached, with `aws:autoscaling:groupName` (users cannot edit `aws:` tags), and
   * DescribeInstances already returns it, so the tag is enough. On, the group's answer wins.
   */
  readonly resolveAsgs?: boolean;
}

/**
 * Collects instances (not terminated), volumes, snapshots owned by the account and images owned
 * by the account. moto ignores `OwnerIds: ['self']`; each snapshot keeps its real `ownerId`, and
 * the planner never touches one whose owner is not the account.
 *
 * @example
 * const inventory = await collectInventory(clients, { account, region: 'eu-west-1', onProgress: console.error });
 */
export async function collectInventory(clients: AwsClients, options: CollectOptions): Promise<Inventory> {
  const { ec2 } = clients;
  const report = progressReporter(options);
  const [instances, volumes, snapshots, images, groups] = await Promise.all([
    collectPages(
      'DescribeInstances',
      paginateDescribeInstances(
        { client: ec2 },
        { MaxResults: 1000, Filters: [{ Name: 'instance-state-name', Values: [...LIVE_INSTANCE_STATES] }] },
      ),
      (page) => (page.Reservations ?? []).flatMap((r) => r.Instances ?? []),
      mapInstance,
      report('instances'),
    ),
    collectPages(
      'DescribeVolumes',
      paginateDescribeVolumes({ client: ec2 }, { MaxResults: 500 }),
      (page) => page.Volumes ?? [],
      mapVolume,
      report('volumes'),
    ),
    collectPages(
      'DescribeSnapshots',
      paginateDescribeSnapshots({ client: ec2 }, { OwnerIds: ['self'], MaxResults: 1000 }),
      (page) => page.Snapshots ?? [],
      mapSnapshot,
      report('snapshots'),
    ),
    collectPages(
      'DescribeImages',
      paginateDescribeImages({ client: ec2 }, { Owners: ['self'], MaxResults: 1000, IncludeDisabled: true }),
      (page) => page.Images ?? [],
      mapImage,
      report('images'),
    ),
    options.resolveAsgs ? collectAsgMembership(clients, report('auto-scaling-groups')) : undefined,
  ]);
  return {
    account: options.account,
    region: options.region,
    instances: groups ? instances.map((i) => withGroup(i, groups)) : instances,
    volumes,
    snapshots,
    images,
  };
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
