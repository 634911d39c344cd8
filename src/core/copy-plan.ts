/**
 * Copies to other regions (`copy_to`, SPEC §6a), planned in the source region: each destination
 * gets one copy of the newest completed snapshot of a series that has no copy there yet, at most
 * 20 in flight per destination (EC2's limit; the rest wait for the next run). The copy carries the
 * tool's tags, its source, and the destination retention's `expires-at`. The copy series then
 * live in the destination region, planned there with the target's own retention.
 */
import type { CopyAction, PlanAction, Reason } from './actions.js';
import { type Inventory, MAX_TAGS, type SnapshotId, TAG, type VolumeId } from './model.js';
import type { CopyTarget, Policy } from './policy/types.js';
import { FLAG, type SeriesTable } from './series.js';
import { copyableTags, mergeWithinLimit } from './tags.js';

/** EC2 allows this many snapshot copies in flight per destination region. */
export const MAX_COPIES_IN_FLIGHT = 20;

/** What copy planning shares across a plan: the destinations' copies, and each one's budget. */
export interface CopyPlanning {
  readonly copied: ReadonlyMap<string, ReadonlySet<string>>;
  /** Destination → copies that may still start in this run. */
  readonly budget: Map<string, number>;
}

/** From the inventory's `copyDestinations`; a destination that was not listed gets no copy. */
export function prepareCopies(inventory: Inventory): CopyPlanning {
  const copied = new Map<string, ReadonlySet<string>>();
  const budget = new Map<string, number>();
  for (const d of inventory.copyDestinations ?? []) {
    copied.set(d.region, new Set(d.copied));
    budget.set(d.region, Math.max(0, MAX_COPIES_IN_FLIGHT - d.inFlight));
  }
  return { copied, budget };
}

export interface CopyContext {
  readonly inventory: Inventory;
  readonly table: SeriesTable;
  readonly copies: CopyPlanning;
  readonly now: number;
  readonly runId: string;
  readonly actions: PlanAction[];
}

/** Plan the copies of own series `k` (already sorted oldest first) of `policy`. */
export function planSeriesCopies(context: CopyContext, policy: Policy, volumeKey: string, k: number): void {
  const p = newestCompleted(context.table, k, context.now);
  if (p < 0) return;
  const { inventory, table } = context;
  const source = table.ids[p]!;
  for (const target of policy.copyTo) {
    const copied = context.copies.copied.get(target.region);
    if (copied === undefined || copied.has(source)) continue;
    const left = context.copies.budget.get(target.region) ?? 0;
    if (left <= 0) {
      const reason: Reason = {
        code: 'copy.limit',
        message: `${MAX_COPIES_IN_FLIGHT} copies in flight to ${target.region}: ${source} is copied by a later run`,
      };
      context.actions.push({
        action: 'skip',
        policy: policy.id,
        account: inventory.account,
        region: target.region,
        volumeId: volumeKey as VolumeId,
        reason,
      });
      continue;
    }
    context.copies.budget.set(target.region, left - 1);
    context.actions.push(
      copyAction(
        context,
        policy,
        target,
        volumeKey,
        source,
        inventory.snapshots[table.source[p]!]?.tags ?? {},
      ),
    );
  }
}

function copyAction(
  context: CopyContext,
  policy: Policy,
  target: CopyTarget,
  volumeKey: string,
  source: SnapshotId,
  sourceTags: Readonly<Record<string, string>>,
): CopyAction {
  const { inventory, now, runId } = context;
  const tool: Record<string, string> = { [TAG.policy]: policy.id, [TAG.volumeId]: volumeKey };
  const instance = sourceTags[TAG.instanceId];
  if (instance !== undefined) tool[TAG.instanceId] = instance;
  const { maxAgeMs } = target.retention;
  if (maxAgeMs !== undefined) tool[TAG.expiresAt] = new Date(now + maxAgeMs).toISOString();
  tool[TAG.runId] = runId;
  tool[TAG.sourceSnapshotId] = source;
  tool[TAG.sourceRegion] = inventory.region;
  const { tags } = mergeWithinLimit(tool, [copyableTags(sourceTags)], MAX_TAGS);
  return {
    action: 'copy',
    policy: policy.id,
    account: inventory.account,
    region: target.region,
    sourceRegion: inventory.region,
    snapshotId: source,
    volumeId: volumeKey as VolumeId,
    tags,
    description: `${policy.id} copy of ${source} from ${inventory.region}`,
    ...(target.kmsKeyId === undefined ? {} : { kmsKeyId: target.kmsKeyId }),
    reason: {
      code: 'due.copy',
      message: `newest completed snapshot ${source} has no copy in ${target.region} yet`,
    },
  };
}

/** The position of the series' newest completed snapshot that started by `now`, -1 if none. */
function newestCompleted(table: SeriesTable, k: number, now: number): number {
  for (let p = table.bounds[k + 1]! - 1; p >= table.bounds[k]!; p--) {
    if ((table.flags[p]! & FLAG.stateMask) === FLAG.completed && table.start[p]! <= now) return p;
  }
  return -1;
}
