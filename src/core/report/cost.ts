/**
 * The one storage and cost model of `report` and `forecast` (SPEC §12). EBS bills snapshot
 * storage per GB-month, where AWS's GB is 2^30 bytes, at the price of the tier a snapshot is in.
 *
 * - A snapshot that exists counts what EC2 says it holds: `FullSnapshotSizeInBytes` where EC2
 *   gives it, else the source volume's size (the snapshot's `VolumeSize`, else the size of the
 *   series' volume when it still exists). Both are upper bounds of what is stored (standard-tier
 *   snapshots are incremental; an archived one is stored in full, so there the bound is the bill).
 *   With neither, its size is unknown, and so is any total that includes it.
 * - A snapshot a forecast adds counts the change-rate model (see `futureBytes`): the first of a
 *   series the whole volume, each later one what changed since the one before it.
 * - A snapshot in `error` holds nothing. Each tier at its own price.
 *
 * So a report and the first day of a forecast count the same fleet the same way.
 */
import type { Snapshot, StorageTier, UnmanagedCount } from '../model.js';

/** Bytes in one GiB, the unit EBS prices are quoted in ("GB-month"). */
export const GIB = 2 ** 30;

const DAY = 86_400_000;

/** USD per GB-month, per storage tier. */
export interface Prices {
  readonly standard: number;
  readonly archive: number;
}

/** Public us-east-1 prices: standard $0.05, archive $0.0125 per GB-month. */
export const DEFAULT_PRICES: Prices = { standard: 0.05, archive: 0.0125 };

/**
 * Bytes by storage tier, with how many snapshots had a size from EC2, how many had only their
 * volume's size, and how many had no size at all: running (mutable) totals.
 */
export interface SizeTotals {
  count: number;
  /** Σ `FullSnapshotSizeInBytes` where EC2 gives it. */
  fullSizeBytes: number;
  /** Snapshots without `FullSnapshotSizeInBytes` (a volume size stood in, or nothing did). */
  unsized: number;
  /** Snapshots with no size at all: the totals below leave them out, so they are not bounds. */
  unknown: number;
  standardBytes: number;
  archiveBytes: number;
}

export const emptySizes = (): SizeTotals => ({
  count: 0,
  fullSizeBytes: 0,
  unsized: 0,
  unknown: 0,
  standardBytes: 0,
  archiveBytes: 0,
});

/**
 * What an existing snapshot counts: `FullSnapshotSizeInBytes`, else its `VolumeSize`, else the
 * size of its series' volume (`volumeBytes`, when the volume still exists); undefined when none
 * is known.
 *
 * @example upperBoundBytes({ ..., fullSizeBytes: 5e9 }) // 5e9
 */
export function upperBoundBytes(snapshot: Snapshot, volumeBytes?: number): number | undefined {
  if (snapshot.fullSizeBytes !== undefined) return snapshot.fullSizeBytes;
  if (snapshot.sizeGiB !== undefined) return snapshot.sizeGiB * GIB;
  return volumeBytes;
}

/**
 * What a snapshot a forecast adds stores by the change-rate model: the whole volume when it is
 * the series' first (no `previous`), else `min(1, rate × days since previous)` of it.
 *
 * @example futureBytes(100, 0.03, 0, DAY) // 3
 */
export function futureBytes(
  volumeBytes: number,
  changeRate: number,
  previous: number | undefined,
  startTime: number,
): number {
  if (previous === undefined) return volumeBytes;
  return Math.min(1, (changeRate * (startTime - previous)) / DAY) * volumeBytes;
}

/** Add `bytes` (or an unknown size) in `tier` to running totals, for `members` series at once. */
function addBytes(
  totals: SizeTotals,
  bytes: number | undefined,
  tier: StorageTier | undefined,
  members = 1,
): void {
  if (bytes === undefined) totals.unknown += members;
  else if (tier === 'archive') totals.archiveBytes += bytes * members;
  else totals.standardBytes += bytes * members;
}

/** Add one existing snapshot to running totals (`volumeBytes`: its series' volume, when known). */
export function addSnapshotSize(totals: SizeTotals, snapshot: Snapshot, volumeBytes?: number): void {
  totals.count++;
  if (snapshot.fullSizeBytes !== undefined) totals.fullSizeBytes += snapshot.fullSizeBytes;
  else totals.unsized++;
  if (snapshot.state === 'error') return;
  addBytes(totals, upperBoundBytes(snapshot, volumeBytes), snapshot.storageTier);
}

/** Add `b` into `a` (a collector's count of unmanaged snapshots has no `unknown`). */
export function addSizes(a: SizeTotals, b: SizeTotals | UnmanagedCount): void {
  a.count += b.count;
  a.fullSizeBytes += b.fullSizeBytes;
  a.unsized += b.unsized;
  a.unknown += 'unknown' in b ? (b.unknown as number) : 0;
  a.standardBytes += b.standardBytes;
  a.archiveBytes += b.archiveBytes;
}

/**
 * Monthly cost of `bytes` in a tier.
 *
 * @example monthlyCost(100 * GIB, 'standard', DEFAULT_PRICES) // 5
 */
export function monthlyCost(bytes: number, tier: StorageTier, prices: Prices): number {
  return (bytes / GIB) * prices[tier];
}

/** Monthly cost of sized totals, each tier at its price; undefined when a size is unknown. */
export function costOf(totals: SizeTotals, prices: Prices): number | undefined {
  if (totals.unknown > 0) return undefined;
  return (
    monthlyCost(totals.standardBytes, 'standard', prices) +
    monthlyCost(totals.archiveBytes, 'archive', prices)
  );
}

/** What sized totals store, both tiers; undefined when a size is unknown. */
export const upperBoundOf = (totals: SizeTotals): number | undefined =>
  totals.unknown > 0 ? undefined : totals.standardBytes + totals.archiveBytes;
