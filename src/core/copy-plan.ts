/**
 * Copies to other regions (`copy_to`, SPEC §6a), planned in the source region: each destination
 * gets one copy of the newest completed snapshot of a series that has no copy there yet — unless
 * the target's retention would not keep it (`keepsAsNewest`: a copy that expired is not made
 * again) — at most 20 in flight per destination (EC2's limit; the rest wait for the next run). The
 * copy carries the tool's tags, its source, and the destination retention's `expires-at`. The copy
 * series then live in the destination region, planned there with the target's own retention.
 */
import type { CopyAction, CopyIntent, CreateAction, PlanAction, Reason } from './actions.js';
import { buildCopy, copyIntent, copyOfCreated } from './copy-actions.js';
import type { Inventory, SnapshotId, VolumeId } from './model.js';
import type { CopyTarget, Policy, Retention } from './policy/types.js';
import { DELETE_CODES } from './retention.js';
import { FLAG, type SeriesTable } from './series.js';

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
    if (d.error !== undefined) continue;
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
  /** The series' retention reasons just decided (by position from its start). */
  readonly reasons: readonly Reason[];
}

/** Plan the copies of own series `k` (already sorted oldest first) of `policy`. */
export function planSeriesCopies(context: CopyContext, policy: Policy, volumeKey: string, k: number): void {
  const p = newestKeptCompleted(context, k);
  if (p < 0) return;
  const { inventory, table } = context;
  const source = table.ids[p]!;
  for (const target of policy.copyTo) {
    const copied = context.copies.copied.get(target.region);
    if (copied === undefined || copied.has(source)) continue;
    if (!keepsAsNewest(target.retention, table.start[p]!, context.now)) continue;
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
  return buildCopy({
    policy: policy.id,
    account: inventory.account,
    sourceRegion: inventory.region,
    intent: copyIntent(target, now),
    volumeKey,
    source,
    sourceTags,
    runId,
    reason: {
      code: 'due.copy',
      message: `newest completed snapshot ${source} has no copy in ${target.region} yet`,
    },
  });
}

/**
 * The destinations a new snapshot of `policy` may be copied to in this run: those whose copies
 * were listed (a destination that could not be listed gets no copy).
 */
export function copyIntentsFor(copies: CopyPlanning, policy: Policy, now: number): readonly CopyIntent[] {
  return policy.copyTo.filter((t) => copies.copied.has(t.region)).map((t) => copyIntent(t, now));
}

/**
 * The position of the series' newest completed snapshot that started by `now` and that this plan
 * keeps, -1 if none: a snapshot the plan deletes is never copied (the delete and the copy would
 * race, and the copy would fail).
 */
export function newestKeptCompleted(
  context: Pick<CopyContext, 'table' | 'now' | 'reasons'>,
  k: number,
): number {
  const { table, now, reasons } = context;
  const from = table.bounds[k]!;
  for (let p = table.bounds[k + 1]! - 1; p >= from; p--) {
    if ((table.flags[p]! & FLAG.stateMask) !== FLAG.completed || table.start[p]! > now) continue;
    return DELETE_CODES.has(reasons[p - from]!.code) ? -1 : p;
  }
  return -1;
}

/**
 * Whether a copy series with `retention` keeps a copy of a snapshot that started at `start` when
 * it is the series' newest: always with a `minimum` or a calendar tier (the newest copy is the
 * newest of its period), else — `minimum: 0` with `max_age` alone — only while the source is
 * younger than `max_age`.
 *
 * A copy stands for its source's point in time, so an older source is not copied: its copy would
 * be deleted by the target's retention as soon as it aged, the source (still the newest, on a
 * schedule longer than `max_age`) would have no copy again, and every run past `max_age` would
 * copy it once more — a copy-delete loop that pays for a transfer each time. The planner cannot
 * see a deleted copy; it needs no memory of it either, since this rule gives the same answer
 * every time.
 */
export function keepsAsNewest(retention: Retention, start: number, now: number): boolean {
  if (retention.minimum > 0) return true;
  if (retention.keepDaily + retention.keepWeekly + retention.keepMonthly + retention.keepYearly > 0)
    return true;
  return retention.maxAgeMs !== undefined && start > now - retention.maxAgeMs;
}

/** The destinations whose copies could not be listed, as `region (error)`; undefined when none. */
export function unlistedDestinations(inventory: Inventory): string[] | undefined {
  const held = (inventory.copyDestinations ?? []).flatMap((d) =>
    d.error === undefined ? [] : [`${d.region} (${d.error})`],
  );
  return held.length === 0 ? undefined : held;
}

/** A create of this run whose snapshot EC2 reported `completed` at once. */
export interface CompletedCreate {
  readonly action: CreateAction;
  readonly snapshotId: SnapshotId;
}

/**
 * The copies of this run's new snapshots that are `completed` already, within what each
 * destination's budget has left after the plan's own copies; the others wait for the next run.
 *
 * @example const more = copiesOfCreated(inventory, plan.actions, [{ action, snapshotId }], plan.runId);
 */
export function copiesOfCreated(
  inventory: Inventory,
  planned: readonly PlanAction[],
  created: readonly CompletedCreate[],
  runId: string,
): CopyAction[] {
  const { budget } = prepareCopies(inventory);
  // One copy per series and destination in a run: the plan's own copy of an older snapshot wins.
  const copiedSeries = new Set<string>();
  for (const a of planned) {
    if (a.action !== 'copy') continue;
    budget.set(a.region, (budget.get(a.region) ?? 0) - 1);
    copiedSeries.add(`${a.policy} ${a.volumeId} ${a.region}`);
  }
  const copies: CopyAction[] = [];
  for (const { action, snapshotId } of created) {
    for (const intent of action.copyTo ?? []) {
      if (copiedSeries.has(`${action.policy} ${action.volumeId} ${intent.region}`)) continue;
      const left = budget.get(intent.region) ?? 0;
      if (left <= 0) continue;
      budget.set(intent.region, left - 1);
      copies.push(copyOfCreated(action, intent, snapshotId, runId));
    }
  }
  return copies;
}
