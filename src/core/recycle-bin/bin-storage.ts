/**
 * What the Recycle Bin stores (SPEC §14, §12), in the one cost model (`report/cost.ts`): a snapshot
 * in the bin is billed as a standard-tier snapshot until it leaves. EC2 does not describe a binned
 * snapshot, so its size is its volume's (an upper bound, as for any snapshot without
 * `FullSnapshotSizeInBytes`) when that volume still exists, else unknown — and then so is the cost.
 */
import type { Inventory } from '../model.js';
import { costOf, emptySizes, GIB, type Prices, type SizeTotals } from '../report/cost.js';
import { describeRules } from './rules.js';

/** The bin of one account × region, as a report shows it. */
export interface BinStorage {
  /** The rules in a line (`2 rules: Region-level 7 days; …`, or `unknown (…)`). */
  readonly rules: string;
  /** Snapshots in the bin now and their sizes; undefined when its contents were not listed. */
  readonly sizes?: SizeTotals;
  /** USD per month for them; undefined when a size (or the contents) is unknown. */
  readonly monthlyCost?: number;
}

/**
 * The bin of `inventory`; undefined when its rules were not read (an inventory from elsewhere).
 *
 * @example binStorage(inventory, DEFAULT_PRICES) // { rules: '1 rule: Region-level 7 days', sizes, monthlyCost: 0.4 }
 */
export function binStorage(inventory: Inventory, prices: Prices): BinStorage | undefined {
  if (inventory.recycleBin === undefined) return undefined;
  const rules = describeRules(inventory.recycleBin);
  if (inventory.binned === undefined) return { rules };
  const volumes = new Map(inventory.volumes.map((v) => [v.id as string, v.sizeGiB * GIB]));
  const sizes = emptySizes();
  for (const b of inventory.binned) {
    sizes.count++;
    sizes.unsized++;
    const bytes = b.volumeId === undefined ? undefined : volumes.get(b.volumeId);
    if (bytes === undefined) sizes.unknown++;
    else sizes.standardBytes += bytes;
  }
  const monthlyCost = costOf(sizes, prices);
  return { rules, sizes, ...(monthlyCost === undefined ? {} : { monthlyCost }) };
}
