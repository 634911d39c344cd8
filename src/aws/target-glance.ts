/**
 * The empty check of a deployed worker (SPEC §16) on the AWS SDK: two small pages, asked side by
 * side — any volume at all, and any snapshot of the account carrying one of the configured policy
 * ids. The snapshot filter is the one collection uses, so "none" here means collection would list
 * none either; volumes are not filtered (drill volumes, stopped or frozen instances' volumes and
 * volumes no policy selects yet all count), so a target with any volume is never called empty.
 */
import { DescribeSnapshotsCommand, DescribeVolumesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { PageGlance, TargetGlance } from '../app/kit/ports.js';
import { TAG } from '../core/model.js';
import { callAws } from './errors.js';

/**
 * One volume is enough to know a target is not empty; a page of 100 also tells a small target
 * (all its volumes on the page, no NextToken) that can be worked on beside others. An empty
 * region's page is as cheap as the smallest.
 */
export const VOLUME_PAGE = 100;
/**
 * A full page for snapshots: EC2 may apply the tag filter after paging, so a large page lets a
 * region holding many snapshots of other tools still be decided in one call, and tells a small
 * target (fewer than 1,000 snapshots of the policies) from a large one.
 */
export const SNAPSHOT_PAGE = 1000;
/** EC2 takes at most this many values in one filter; more policies fall back to the tag key. */
const MAX_FILTER_VALUES = 200;

/** @example await glanceTarget(clients.ec2, ['web-daily']) // { volumes: { seen: 0, more: false }, ... } */
export async function glanceTarget(ec2: EC2Client, policyIds: readonly string[]): Promise<TargetGlance> {
  const policyFilter =
    policyIds.length > 0 && policyIds.length <= MAX_FILTER_VALUES
      ? { Name: `tag:${TAG.policy}`, Values: [...policyIds] }
      : { Name: 'tag-key', Values: [TAG.policy] };
  const [volumes, snapshots] = await Promise.all([
    callAws('DescribeVolumes', () => ec2.send(new DescribeVolumesCommand({ MaxResults: VOLUME_PAGE }))),
    callAws('DescribeSnapshots', () =>
      ec2.send(
        new DescribeSnapshotsCommand({
          OwnerIds: ['self'],
          Filters: [policyFilter],
          MaxResults: SNAPSHOT_PAGE,
        }),
      ),
    ),
  ]);
  return {
    volumes: pageOf(volumes.Volumes, volumes.NextToken),
    managedSnapshots: pageOf(snapshots.Snapshots, snapshots.NextToken),
  };
}

const pageOf = (items: readonly unknown[] | undefined, next: string | undefined): PageGlance => ({
  seen: items?.length ?? 0,
  more: next !== undefined && next !== '',
});
