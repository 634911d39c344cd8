/**
 * What a coverage report lists beside its series: orphaned series, the volumes no policy selects,
 * and the account's unmanaged snapshots.
 */
import type { Inventory } from '../model.js';
import type { Policy } from '../policy/types.js';
import type { InventoryIndex } from '../select.js';
import type { SeriesTable } from '../series.js';
import { addSizes, addSnapshotSize, emptySizes, GIB, type SizeTotals } from './cost.js';
import type { OrphanSeries, UnprotectedVolume } from './types.js';

/** An orphaned series (its source volume is gone), with its span and what the policy does with it. */
export function describeOrphan(
  table: SeriesTable,
  inventory: Inventory,
  policy: Policy,
  key: string,
  k: number,
  sizes: SizeTotals,
): OrphanSeries {
  let oldest = Number.POSITIVE_INFINITY;
  let newest = Number.NEGATIVE_INFINITY;
  for (let p = table.bounds[k]!; p < table.bounds[k + 1]!; p++) {
    oldest = Math.min(oldest, table.start[p]!);
    newest = Math.max(newest, table.start[p]!);
  }
  const orphaned = policy.retention.orphaned;
  return {
    account: inventory.account,
    region: inventory.region,
    policy: policy.id,
    volumeId: key,
    snapshots: sizes.count,
    ...(sizes.count > 0 ? { oldest, newest } : {}),
    sizes,
    ...(orphaned.kind === 'expire-after' ? { expireAfterMs: orphaned.afterMs } : {}),
  };
}

/** The volumes no policy selects (not in `selected`), with their instance and tags, by volume id. */
export function findUnprotected(
  inventory: Inventory,
  index: InventoryIndex,
  selected: ReadonlySet<string>,
): UnprotectedVolume[] {
  const out: UnprotectedVolume[] = [];
  for (const volume of inventory.volumes) {
    if (selected.has(volume.id)) continue;
    const attachment = volume.attachments.find((a) => index.instances.has(a.instanceId));
    const instance = attachment && index.instances.get(attachment.instanceId);
    out.push({
      account: inventory.account,
      region: inventory.region,
      status: 'UNPROTECTED',
      reason: { code: 'coverage.unselected', message: 'no policy selects this volume' },
      volumeId: volume.id,
      ...(volume.tags.Name === undefined ? {} : { volumeName: volume.tags.Name }),
      sizeGiB: volume.sizeGiB,
      ...(volume.state === undefined ? {} : { state: volume.state }),
      tags: volume.tags,
      ...(instance === undefined ? {} : { instanceId: instance.id }),
      ...(instance?.tags.Name === undefined ? {} : { instanceName: instance.tags.Name }),
      ...(attachment === undefined ? {} : { device: attachment.device }),
    });
  }
  return out.sort((a, b) => (a.volumeId < b.volumeId ? -1 : a.volumeId > b.volumeId ? 1 : 0));
}

/**
 * The account's snapshots that belong to no series (no `ebs-snapper:policy` tag, or a policy not
 * configured), plus those a collector only counted (`inventory.unmanaged`, when present).
 */
export function countUnmanaged(inventory: Inventory, index: InventoryIndex, managed: Uint8Array): SizeTotals {
  const totals = emptySizes();
  inventory.snapshots.forEach((s, i) => {
    if (managed[i] !== 0 || s.ownerId !== inventory.account) return;
    const volume = s.volumeId === undefined ? undefined : index.volumes.get(s.volumeId);
    addSnapshotSize(totals, s, volume === undefined ? undefined : volume.sizeGiB * GIB);
  });
  const counted = inventory.unmanaged;
  if (counted !== undefined) addSizes(totals, counted);
  return totals;
}
