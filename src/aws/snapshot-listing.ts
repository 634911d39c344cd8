/**
 * The snapshots the plan needs (SPEC §8): the account's snapshots tagged `ebs-snapper:policy`
 * with a configured policy id — one listing filtered on those ids, cut into chains side by side
 * (split-listing.ts) — mapped page by page as pages arrive. With `unmanaged: 'count'` (reports)
 * the listing is of every snapshot the account owns instead: the managed ones are kept, the
 * others only counted, so no snapshot is asked for twice.
 */
import {
  type EC2Client,
  type Filter,
  paginateDescribeSnapshots,
  type Snapshot as SdkSnapshot,
} from '@aws-sdk/client-ec2';
import type { UnmanagedMode } from '../app/kit/ports.js';
import { isManagedBy, type Snapshot, TAG, type UnmanagedCount } from '../core/model.js';
import { addSizes, addSnapshotSize, emptySizes, type SizeTotals } from '../core/report/cost.js';
import { mapSnapshot } from './ec2-mappers.js';
import { listSplit, type PageSink } from './split-listing.js';
import { createStringPool, type StringPool } from './string-pool.js';

export interface SnapshotListingOptions {
  readonly account: string;
  readonly policyIds: readonly string[];
  readonly unmanaged: UnmanagedMode;
  /** Called after each page with the number of snapshots kept so far. */
  readonly onPage?: (count: number) => void;
  /** Aborted when the collection failed elsewhere: ask for no further page. */
  readonly signal?: AbortSignal;
}

export interface ListedSnapshots {
  readonly snapshots: Snapshot[];
  /** Set with `unmanaged: 'count'`. */
  readonly unmanaged?: UnmanagedCount;
}

/** Policy ids per listing: EC2 takes 200 filter values per call, and the cut needs one more. */
const IDS_PER_LISTING = 100;

/**
 * @example
 * const { snapshots } = await listSnapshots(ec2, { account, policyIds: ['web-daily'], unmanaged: 'skip' });
 */
export async function listSnapshots(
  ec2: EC2Client,
  options: SnapshotListingOptions,
): Promise<ListedSnapshots> {
  const policyIds = new Set(options.policyIds);
  const pool = createStringPool();
  const kept: Snapshot[] = [];
  const counted = emptySizes();
  // Each listing's snapshots are kept apart until it is done, so a listing that must start over
  // forgets only its own.
  const listOne = async (base: readonly Filter[]) => {
    const sink = createSnapshotSink({
      account: options.account,
      policyIds,
      pool,
      onPage: (own) => options.onPage?.(kept.length + own),
    });
    await listSplit(
      {
        operation: 'DescribeSnapshots',
        idFilter: 'snapshot-id',
        idPrefix: 'snap-',
        pages: (extra) =>
          paginateDescribeSnapshots(
            { client: ec2 },
            { OwnerIds: ['self'], MaxResults: 1000, Filters: [...base, ...extra] },
          ),
        itemsOf: (page) => page.Snapshots ?? [],
        idOf: (item: SdkSnapshot) => item.SnapshotId,
      },
      sink,
      options.signal,
    );
    for (const snapshot of sink.own) kept.push(snapshot);
    addSizes(counted, sink.others);
  };
  await Promise.all(listingFilters(options).map(listOne));
  return options.unmanaged === 'count' ? { snapshots: kept, unmanaged: counted } : { snapshots: kept };
}

/** Where the pages of one snapshot listing go: ours kept, the account's others counted. */
export interface SnapshotSink extends PageSink<SdkSnapshot> {
  readonly own: Snapshot[];
  readonly others: SizeTotals;
}

/**
 * Maps each page as it arrives (repeated strings through `pool`) and keeps the snapshots of
 * `policyIds` — the filter AWS applied already, checked again because moto and proxies may not
 * have; the account's other snapshots are only counted.
 *
 * @example const sink = createSnapshotSink({ account, policyIds: new Set(['daily']), pool: createStringPool() });
 */
export function createSnapshotSink(options: {
  readonly account: string;
  readonly policyIds: ReadonlySet<string>;
  readonly pool: StringPool;
  /** Called after each page with the number kept so far. */
  readonly onPage?: (kept: number) => void;
}): SnapshotSink {
  const own: Snapshot[] = [];
  const others = emptySizes();
  return {
    own,
    others,
    add: (items) => {
      for (const item of items) {
        const snapshot = mapSnapshot(item, options.pool);
        if (snapshot === undefined) continue;
        if (isManagedBy(snapshot, options.policyIds)) own.push(snapshot);
        else if (snapshot.ownerId === options.account) addSnapshotSize(others, snapshot);
      }
      options.onPage?.(own.length);
    },
    clear: () => {
      own.length = 0;
      Object.assign(others, emptySizes());
    },
  };
}

/** The listings to run: every owned snapshot (count), or the configured ids, 100 a listing (skip). */
function listingFilters(options: SnapshotListingOptions): Filter[][] {
  if (options.unmanaged === 'count') return [[]];
  const ids = [...new Set(options.policyIds)].sort();
  const listings: Filter[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_LISTING) {
    listings.push([{ Name: `tag:${TAG.policy}`, Values: ids.slice(i, i + IDS_PER_LISTING) }]);
  }
  return listings;
}
