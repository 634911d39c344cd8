/**
 * Sizes and prices (SPEC §12). EBS bills snapshot storage per GB-month, where AWS's GB is 2^30
 * bytes; the standard tier is incremental, the archive tier stores each snapshot in full.
 */
import type { Snapshot, StorageTier, UnmanagedCount } from '../model.js';

/** Bytes in one GiB, the unit EBS prices are quoted in ("GB-month"). */
export const GIB = 2 ** 30;

/** USD per GB-month, per storage tier. */
export interface Prices {
  readonly standard: number;
  readonly archive: number;
}

/** Public us-east-1 prices: standard $0.05, archive $0.0125 per GB-month. */
export const DEFAULT_PRICES: Prices = { standard: 0.05, archive: 0.0125 };

/**
 * What a snapshot stores at most: `FullSnapshotSizeInBytes` where EC2 gives it, else the source
 * volume's size (`VolumeSize`), which is larger still. Zero when neither is known.
 *
 * @example upperBoundBytes({ ..., fullSizeBytes: 5e9 }) // 5e9
 */
export function upperBoundBytes(snapshot: Snapshot): number {
  if (snapshot.fullSizeBytes !== undefined) return snapshot.fullSizeBytes;
  return (snapshot.sizeGiB ?? 0) * GIB;
}

/**
 * Monthly cost of `bytes` in a tier.
 *
 * @example monthlyCost(100 * GIB, 'standard', DEFAULT_PRICES) // 5
 */
export function monthlyCost(bytes: number, tier: StorageTier, prices: Prices): number {
  return (bytes / GIB) * prices[tier];
}

/**
 * Bytes by storage tier, with how many snapshots had a size from EC2 and how many did not: the
 * running (mutable) form of the model's {@link UnmanagedCount}.
 */
export type SizeTotals = { -readonly [K in keyof UnmanagedCount]: UnmanagedCount[K] };

export const emptySizes = (): SizeTotals => ({
  count: 0,
  fullSizeBytes: 0,
  unsized: 0,
  standardBytes: 0,
  archiveBytes: 0,
});

/** Add one snapshot to running totals. */
export function addSnapshotSize(totals: SizeTotals, snapshot: Snapshot): void {
  totals.count++;
  if (snapshot.fullSizeBytes !== undefined) totals.fullSizeBytes += snapshot.fullSizeBytes;
  else totals.unsized++;
  const bytes = upperBoundBytes(snapshot);
  if (snapshot.storageTier === 'archive') totals.archiveBytes += bytes;
  else totals.standardBytes += bytes;
}

/** Add `b` into `a`. */
export function addSizes(a: SizeTotals, b: SizeTotals): void {
  a.count += b.count;
  a.fullSizeBytes += b.fullSizeBytes;
  a.unsized += b.unsized;
  a.standardBytes += b.standardBytes;
  a.archiveBytes += b.archiveBytes;
}

/** Monthly cost of sized totals: each tier at its price. */
export function costOf(totals: SizeTotals, prices: Prices): number {
  return (
    monthlyCost(totals.standardBytes, 'standard', prices) +
    monthlyCost(totals.archiveBytes, 'archive', prices)
  );
}

/** The upper bound of what sized totals store, both tiers. */
export const upperBoundOf = (totals: SizeTotals): number => totals.standardBytes + totals.archiveBytes;
