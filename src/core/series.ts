/**
 * Series (SPEC §4): the snapshots of one (policy, source volume). One pass over the inventory
 * puts every snapshot in its series, or sets it aside as not ours (another account's, or without
 * a policy the current config knows), which the planner keeps and never counts.
 *
 * Layout, chosen for a million snapshots: a counting sort by series in two sequential passes
 * over the inventory copies what the keep rules read (id, start time, state, lock, AMI) into
 * arrays ordered by series, so each series is a contiguous slice and judging it reads memory in
 * order instead of chasing a million objects scattered through the heap.
 */
import type { KeepAction, Reason } from './actions.js';
import { type Inventory, type Snapshot, type SnapshotId, TAG, type VolumeId } from './model.js';
import { count } from './plural.js';
import type { Policy } from './policy/types.js';
import { type Warning, warning } from './warnings.js';

/** `flags` bits: the state class in the low two bits, then protections. */
export const FLAG = {
  completed: 0,
  /** pending, recoverable, recovering: not completed yet, never counted, never deleted. */
  unfinished: 1,
  error: 2,
  stateMask: 3,
  locked: 4,
  ami: 8,
  /** In the archive tier and not yet 90 days there (see `ARCHIVE_MINIMUM_MS`). */
  archive: 16,
} as const;

/** One policy's series: source volume id ('' when a snapshot names none) → series number. */
export interface PolicySeries {
  /** Snapshots taken in this region. */
  readonly own: Map<string, number>;
  /**
   * Copies made into this region from another (`ebs-snapper:source-region`), and vault copies made
   * into this account from another (`ebs-snapper:source-account`).
   */
  readonly copies: Map<string, number>;
}

/**
 * The managed snapshots, grouped by series: series k is positions `bounds[k] .. bounds[k + 1] - 1`
 * of the parallel arrays `ids`, `start`, `scheduled`, `flags` and `source`.
 */
export interface SeriesTable {
  readonly ids: SnapshotId[];
  /**
   * Index of the snapshot in `inventory.snapshots`: what the keep rules do not need (sizes, storage
   * tier) is read from there by reports, without a second map from id to snapshot.
   */
  readonly source: Int32Array;
  readonly start: Float64Array;
  /** When the snapshot counts for the schedule (see `PlanClock`). */
  readonly scheduled: Float64Array;
  /** `FLAG` bits. */
  readonly flags: Uint8Array;
  readonly bounds: Int32Array;
  /** Every configured policy has an entry, possibly empty. */
  readonly byPolicy: ReadonlyMap<string, PolicySeries>;
  /** Keep actions for snapshots that are not ours, in a stable order. */
  readonly unowned: KeepAction[];
  /** Snapshots that are ours: owned by the account and tagged with a configured policy. */
  readonly managed: number;
  readonly warnings: Warning[];
}

/**
 * The plan's clock, which decides when a snapshot counts for the schedule. A snapshot counts from
 * the time of the run that made it (the time in its `ebs-snapper:run-id`, which is that run's
 * `now`, `--now` when given), so:
 * - a run that took long to create its snapshots (throttling, a big fleet) never makes the next
 *   run skip a slot;
 * - `run --now T` twice makes nothing the second time, though EC2 dates the snapshots by its own
 *   clock: the series was snapshotted "at T";
 * - a snapshot of the plan's own run counts from its own start: a run continued by later
 *   invocations under the same run id (planned later than its id's time) never snapshots a series
 *   again before a whole interval has passed since it did.
 * A run dated after the plan's `now` (a what-if run ahead of the clock, or a plan for an earlier
 * time) cannot vouch for anything yet: its snapshots count from their own start, never later, so
 * such a run never holds the real schedule back. Without a clock, every
 * snapshot counts from the earlier of its run's time and its own start.
 */
export interface PlanClock {
  readonly now: number;
  readonly runId?: string;
}

const NO_POLICY: Reason = { code: 'protected.unmanaged', message: 'no ebs-snapper:policy tag' };

const NONE: ReadonlySet<string> = new Set();

/**
 * Group snapshots by series. The source volume is the `ebs-snapper:volume-id` tag when present
 * (copies report a placeholder volume id), else the snapshot's volume id. `amiSnapshotIds` and
 * `archiveHeld` (archived less than 90 days) set the `FLAG.ami` and `FLAG.archive` bits.
 */
export function groupSnapshots(
  inventory: Inventory,
  policies: ReadonlyMap<string, Policy>,
  amiSnapshotIds: ReadonlySet<string>,
  archiveHeld: ReadonlySet<string> = NONE,
  clock?: PlanClock,
): SeriesTable {
  const { account, region, snapshots } = inventory;
  const n = snapshots.length;
  const byPolicy = new Map<string, PolicySeries>();
  for (const id of policies.keys()) byPolicy.set(id, { own: new Map(), copies: new Map() });
  const seriesOf = new Int32Array(n);
  const counts: number[] = [];
  const foreign: Snapshot[] = [];
  const unmanaged: Snapshot[] = [];
  const unknown = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const s = snapshots[i]!;
    seriesOf[i] = -1;
    if (s.ownerId !== account) {
      foreign.push(s);
      continue;
    }
    const tags = s.tags;
    const policy = tags[TAG.policy];
    const group = policy === undefined ? undefined : byPolicy.get(policy);
    if (group === undefined) {
      if (policy !== undefined) unknown.set(policy, (unknown.get(policy) ?? 0) + 1);
      unmanaged.push(s);
      continue;
    }
    const source = tags[TAG.sourceRegion];
    // A vault copy (SPEC §14) comes from another account, maybe from this very region.
    const fromAccount = tags[TAG.sourceAccount];
    const copied =
      (source !== undefined && source !== region) || (fromAccount !== undefined && fromAccount !== account);
    const series = copied ? group.copies : group.own;
    const volume = tags[TAG.volumeId] ?? s.volumeId ?? '';
    let k = series.get(volume);
    if (k === undefined) {
      k = counts.length;
      counts.push(0);
      series.set(volume, k);
    }
    counts[k]!++;
    seriesOf[i] = k;
  }
  const table = fillSeries(snapshots, seriesOf, counts, { amiSnapshotIds, archiveHeld, clock });
  const warnings = [...unknown.keys()]
    .sort()
    .map((id) =>
      warning(
        'plan.unknown-policy',
        `${count(unknown.get(id) ?? 0, 'snapshot')} tagged with policy "${id}", which is not configured: kept as unmanaged`,
      ),
    );
  const unowned = [
    ...keepAll(inventory, foreign, (s) => ({
      code: 'protected.foreign',
      message: `owned by account ${s.ownerId}, not ${account}`,
    })),
    ...keepAll(inventory, unmanaged, (s) => {
      const policy = s.tags[TAG.policy];
      return policy === undefined ? NO_POLICY : unknownPolicy(policy);
    }),
  ];
  return { ...table, byPolicy, unowned, managed: table.ids.length, warnings };
}

function stateClass(state: Snapshot['state']): number {
  if (state === 'completed') return FLAG.completed;
  return state === 'error' ? FLAG.error : FLAG.unfinished;
}

/** Second pass of the counting sort: copy each managed snapshot's facts to its series' slice. */
function fillSeries(
  snapshots: readonly Snapshot[],
  seriesOf: Int32Array,
  counts: readonly number[],
  facts: {
    readonly amiSnapshotIds: ReadonlySet<string>;
    readonly archiveHeld: ReadonlySet<string>;
    readonly clock: PlanClock | undefined;
  },
) {
  const { amiSnapshotIds, archiveHeld, clock } = facts;
  const bounds = new Int32Array(counts.length + 1);
  for (let k = 0; k < counts.length; k++) bounds[k + 1] = bounds[k]! + counts[k]!;
  const total = bounds[counts.length]!;
  const cursor = bounds.slice(0, counts.length);
  const ids: SnapshotId[] = new Array(total);
  const source = new Int32Array(total);
  const start = new Float64Array(total);
  const scheduled = new Float64Array(total);
  const runStarts = new Map<string, number>();
  const flags = new Uint8Array(total);
  const checkAmi = amiSnapshotIds.size > 0;
  const checkArchive = archiveHeld.size > 0;
  for (let i = 0; i < seriesOf.length; i++) {
    const k = seriesOf[i]!;
    if (k < 0) continue;
    const s = snapshots[i]!;
    const p = cursor[k]!++;
    ids[p] = s.id;
    source[p] = i;
    start[p] = s.startTime;
    const runId = s.tags[TAG.runId];
    scheduled[p] = runId === undefined ? s.startTime : scheduledAt(s.startTime, runId, runStarts, clock);
    flags[p] =
      stateClass(s.state) |
      (s.locked === true ? FLAG.locked : 0) |
      (checkAmi && amiSnapshotIds.has(s.id) ? FLAG.ami : 0) |
      (checkArchive && archiveHeld.has(s.id) ? FLAG.archive : 0);
  }
  return { ids, source, start, scheduled, flags, bounds };
}

/** When a snapshot made by run `runId`, started at `start`, counts for the schedule (see `PlanClock`). */
function scheduledAt(
  start: number,
  runId: string,
  runStarts: Map<string, number>,
  clock: PlanClock | undefined,
): number {
  if (clock === undefined) return Math.min(start, runStartOf(runId, runStarts));
  if (runId === clock.runId) return start;
  const run = runStartOf(runId, runStarts);
  return run <= clock.now ? run : Math.min(start, run);
}

/**
 * The start time a run id records (`20261125T170312Z-3f9a2c`, see `newRunId`), cached per id:
 * a million snapshots share a few hundred runs. Anything else reads as +∞ (no earlier time).
 */
function runStartOf(runId: string, cache: Map<string, number>): number {
  let time = cache.get(runId);
  if (time === undefined) {
    const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z(?:-|$)/.exec(runId);
    time = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.POSITIVE_INFINITY;
    cache.set(runId, time);
  }
  return time;
}

const unknownPolicy = (id: string): Reason => ({
  code: 'protected.unmanaged',
  message: `policy "${id}" is not in the current config`,
});

function keepAll(
  inventory: Inventory,
  snapshots: Snapshot[],
  reasonOf: (s: Snapshot) => Reason,
): KeepAction[] {
  snapshots.sort(compareUnowned);
  return snapshots.map((s) => ({
    action: 'keep',
    account: inventory.account,
    region: inventory.region,
    ...(s.volumeId !== undefined ? { volumeId: s.volumeId as VolumeId } : {}),
    snapshotId: s.id,
    reason: reasonOf(s),
  }));
}

function compareUnowned(a: Snapshot, b: Snapshot): number {
  const va = a.volumeId ?? '';
  const vb = b.volumeId ?? '';
  if (va !== vb) return va < vb ? -1 : 1;
  return a.startTime - b.startTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Sort series `k` oldest first, in place (ties by snapshot id). Listings usually come newest or
 * oldest first, so an ordered run is detected in one pass, and reversed if need be, before any
 * general sort.
 */
export function sortSeries(table: SeriesTable, k: number): void {
  const { ids, source, start, scheduled, flags } = table;
  const from = table.bounds[k]!;
  const to = table.bounds[k + 1]!;
  let ascending = true;
  let descending = true;
  for (let p = from + 1; p < to && (ascending || descending); p++) {
    const c = start[p - 1]! - start[p]! || compareIds(ids[p - 1]!, ids[p]!);
    if (c > 0) ascending = false;
    else if (c < 0) descending = false;
  }
  if (ascending) return;
  if (descending) {
    reverseRange(ids, from, to);
    source.subarray(from, to).reverse();
    start.subarray(from, to).reverse();
    scheduled.subarray(from, to).reverse();
    flags.subarray(from, to).reverse();
    return;
  }
  const positions = Array.from({ length: to - from }, (_, j) => from + j);
  positions.sort((a, b) => start[a]! - start[b]! || compareIds(ids[a]!, ids[b]!));
  const sortedIds = positions.map((p) => ids[p]!);
  const sortedSource = positions.map((p) => source[p]!);
  const sortedStart = positions.map((p) => start[p]!);
  const sortedScheduled = positions.map((p) => scheduled[p]!);
  const sortedFlags = positions.map((p) => flags[p]!);
  for (let j = 0; j < positions.length; j++) {
    ids[from + j] = sortedIds[j]!;
    source[from + j] = sortedSource[j]!;
    start[from + j] = sortedStart[j]!;
    scheduled[from + j] = sortedScheduled[j]!;
    flags[from + j] = sortedFlags[j]!;
  }
}

function reverseRange<T>(items: T[], from: number, to: number): void {
  for (let a = from, b = to - 1; a < b; a++, b--) {
    const t = items[a]!;
    items[a] = items[b]!;
    items[b] = t;
  }
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
