/**
 * The listings only delete safety needs: AMIs of the account (their snapshots are never deleted),
 * snapshot locks, and when archived snapshots reached the archive tier. A failure of one of these
 * (no permission, say) does not stop the run: it becomes an inventory gap, which holds every
 * delete of the account × region while creates go ahead (SPEC §7, issue 11).
 */
import {
  DescribeLockedSnapshotsCommand,
  type DescribeLockedSnapshotsResult,
  type EC2Client,
  paginateDescribeImages,
  paginateDescribeSnapshotTierStatus,
} from '@aws-sdk/client-ec2';
import { PortError } from '../app/kit/ports.js';
import type { Image, InventoryGap } from '../core/model.js';
import { mapImage } from './ec2-mappers.js';
import { callAws } from './errors.js';
import { collectPages } from './paging.js';

/** A listing's items, or the gap its failure leaves. */
export type Listed<T> = { readonly items: T } | { readonly gap: InventoryGap };

/** Lock states in which a snapshot cannot be deleted (`expired` is the one that can). */
const LOCKED_STATES = ['compliance-cooloff', 'governance', 'compliance'] as const;

/**
 * Error codes that say the action does not exist where it was called (a partition without snapshot
 * locks): no snapshot there can be locked, so that is an empty answer, not a gap.
 */
const NOT_OFFERED = new Set(['InvalidAction', 'UnsupportedOperation', 'NotImplemented']);

/** EC2 takes at most 200 filter values in one call. */
const IDS_PER_CALL = 200;

/** Runs a listing; any failure (after the SDK's retries) becomes a gap naming the call and its code. */
async function orGap<T>(resource: string, list: () => Promise<T>): Promise<Listed<T>> {
  try {
    return { items: await list() };
  } catch (error) {
    if (!(error instanceof PortError)) throw error;
    return { gap: { resource, error: `${error.operation}: ${error.code}` } };
  }
}

/** The account's own images (disabled ones too), 1,000 a page. */
export function listImages(ec2: EC2Client, onPage?: (count: number) => void): Promise<Listed<Image[]>> {
  return orGap('images', () =>
    collectPages(
      'DescribeImages',
      paginateDescribeImages({ client: ec2 }, { Owners: ['self'], MaxResults: 1000, IncludeDisabled: true }),
      (page) => page.Images ?? [],
      mapImage,
      onPage,
    ),
  );
}

/**
 * Ids of the account's snapshots under a lock that is in force, 1,000 a page (the SDK has no
 * paginator for DescribeLockedSnapshots).
 */
export function listLockedSnapshotIds(
  ec2: EC2Client,
  onPage?: (count: number) => void,
): Promise<Listed<Set<string>>> {
  return orGap('locked-snapshots', async () => {
    const locked = new Set<string>();
    let token: string | undefined;
    do {
      const page = await lockedPage(ec2, token);
      for (const info of page.Snapshots ?? []) if (info.SnapshotId) locked.add(info.SnapshotId);
      onPage?.(locked.size);
      token = page.NextToken || undefined;
    } while (token !== undefined);
    return locked;
  });
}

async function lockedPage(ec2: EC2Client, token: string | undefined): Promise<DescribeLockedSnapshotsResult> {
  try {
    return await callAws('DescribeLockedSnapshots', () =>
      ec2.send(
        new DescribeLockedSnapshotsCommand({
          MaxResults: 1000,
          Filters: [{ Name: 'lock-state', Values: [...LOCKED_STATES] }],
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      ),
    );
  } catch (error) {
    if (error instanceof PortError && NOT_OFFERED.has(error.code)) return {};
    throw error;
  }
}

/**
 * When each of `ids` (archived snapshots) last completed its move to the archive tier, epoch ms,
 * asked 200 ids a call. No call at all when there is no archived snapshot.
 */
export function listArchivedTimes(
  ec2: EC2Client,
  ids: readonly string[],
  onPage?: (count: number) => void,
): Promise<Listed<Map<string, number>>> {
  return orGap('archive-tier', async () => {
    const times = new Map<string, number>();
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_CALL) chunks.push(ids.slice(i, i + IDS_PER_CALL));
    await Promise.all(
      chunks.map((chunk) =>
        collectPages(
          'DescribeSnapshotTierStatus',
          paginateDescribeSnapshotTierStatus(
            { client: ec2 },
            { MaxResults: 1000, Filters: [{ Name: 'snapshot-id', Values: chunk }] },
          ),
          (page) => page.SnapshotTierStatuses ?? [],
          (status) => {
            const at = status.ArchivalCompleteTime?.getTime();
            if (status.SnapshotId && at !== undefined) times.set(status.SnapshotId, at);
            return undefined;
          },
          () => onPage?.(times.size),
        ),
      ),
    );
    return times;
  });
}
