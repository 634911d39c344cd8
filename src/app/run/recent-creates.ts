/**
 * The journal of recent creates: what a run made in its account × region (snapshots, and copies
 * into `copy_to` regions) that EC2's listings may not show yet. EC2's DescribeSnapshots lags its
 * creates by seconds, rarely minutes; a run that starts in that window (the schedule firing twice,
 * a manual run, a redelivered message) would find the series due and make a second set. So each
 * run records its creates beside its exclusivity (the CLI's lock file, the worker's lease table)
 * and the next run adds the ones the listing does not show yet to its inventory, as `pending`
 * snapshots: they make their series not due, are never deleted and never count toward `minimum`,
 * exactly as if the listing showed them pending.
 *
 * This file is pure (no I/O, no clock): the journal's shape, its codec, and the merge.
 */
import {
  type CopyDestination,
  type Inventory,
  type Snapshot,
  type SnapshotId,
  snapshotId,
  TAG,
  volumeId,
} from '../../core/model.js';

/**
 * How long an entry stands for its snapshot when the listing never shows it (a person deleted it,
 * say). It only has to outlast EC2's listing lag — seconds, rarely minutes — since an entry the
 * listing shows is forgotten at once; an hour leaves a wide margin, for continuations and
 * redeliveries too. A long bound costs little: an entry keeps its series from being due only until
 * the series' next slot anyway, so a vanished snapshot is made again within min(an hour, its
 * schedule).
 */
export const RECENT_CREATE_BOUND_MS = 60 * 60_000;

/** One create (or copy) a run made, as the journal keeps it. */
export interface RecentCreate {
  /** The snapshot made: for a copy, the copy (in `region`). */
  readonly snapshotId: SnapshotId;
  /** Where the snapshot is: the run's region, or a copy's destination. */
  readonly region: string;
  readonly policy: string;
  /** The series' source volume (`ebs-snapper:volume-id`). */
  readonly volumeId: string;
  readonly runId: string;
  /** Epoch ms EC2 answered the create: about the snapshot's `StartTime`. */
  readonly startedAt: number;
  /** Copies only: the snapshot copied, in the run's own region. */
  readonly sourceSnapshotId?: SnapshotId;
}

/** The journal entries the listing does not show yet, and those to forget. */
export interface RecalledCreates {
  /** The inventory with the kept entries in it: snapshots as `pending`, copies in their destination. */
  readonly inventory: Inventory;
  readonly kept: readonly RecentCreate[];
  /** Shown by the listing now, or older than the bound: the journal forgets them. */
  readonly forgotten: readonly RecentCreate[];
}

/**
 * Add the journal's entries that the listing does not show yet to a collected inventory. An entry
 * the listing shows, or older than `boundMs` at `now`, is forgotten; so is a copy entry whose
 * destination was listed and shows the copy. Entries of policies not in `policyIds` are kept in
 * the journal but not added (the planner would only call them unmanaged).
 *
 * @example const { inventory } = recallRecentCreates(collected, journal, { now, policyIds: new Set(['web']) });
 */
export function recallRecentCreates(
  collected: Inventory,
  entries: readonly RecentCreate[],
  options: { readonly now: number; readonly policyIds: ReadonlySet<string>; readonly boundMs?: number },
): RecalledCreates {
  const bound = options.boundMs ?? RECENT_CREATE_BOUND_MS;
  const listed = listedOf(collected, entries);
  // A destination that could not be listed says nothing: its copy entries stay.
  const copiedIn = new Map(
    (collected.copyDestinations ?? []).flatMap((d) =>
      d.error === undefined ? [[d.region, new Set<string>(d.copied)] as const] : [],
    ),
  );
  const kept: RecentCreate[] = [];
  const forgotten: RecentCreate[] = [];
  const seen = new Set<string>();
  // One entry per snapshot, the earliest: the same journal in any order gives the same inventory.
  for (const entry of [...entries].sort(compareEntries)) {
    if (seen.has(entry.snapshotId)) continue;
    seen.add(entry.snapshotId);
    const shown = isCopy(entry, collected.region)
      ? copiedIn.get(entry.region)?.has(entry.sourceSnapshotId!) === true
      : entry.region === collected.region && listed.has(entry.snapshotId);
    if (shown || options.now - entry.startedAt >= bound) forgotten.push(entry);
    else kept.push(entry);
  }
  const merged = kept.filter((e) => options.policyIds.has(e.policy));
  return { inventory: withRecalled(collected, merged), kept, forgotten };
}

/**
 * Which of the entries' snapshots the listing shows: one pass over the inventory against the
 * journal's few ids, instead of a set of a million listed ids.
 */
function listedOf(collected: Inventory, entries: readonly RecentCreate[]): Set<string> {
  const ids = new Set<string>(entries.map((e) => e.snapshotId));
  const listed = new Set<string>();
  for (const s of collected.snapshots) if (ids.has(s.id)) listed.add(s.id);
  return listed;
}

const ORDER = ['snapshotId', 'region', 'policy', 'volumeId', 'runId', 'sourceSnapshotId'] as const;

function compareEntries(a: RecentCreate, b: RecentCreate): number {
  if (a.startedAt !== b.startedAt) return a.startedAt - b.startedAt;
  for (const field of ORDER) {
    const x = a[field] ?? '';
    const y = b[field] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

const isCopy = (entry: RecentCreate, region: string): boolean =>
  entry.sourceSnapshotId !== undefined && entry.region !== region;

function withRecalled(collected: Inventory, entries: readonly RecentCreate[]): Inventory {
  const own = entries.filter((e) => !isCopy(e, collected.region) && e.region === collected.region);
  const copies = entries.filter((e) => isCopy(e, collected.region));
  if (own.length === 0 && copies.length === 0) return collected;
  const pending = own.map((e) => asPending(e, collected.account));
  const snapshots = pending.length === 0 ? collected.snapshots : [...collected.snapshots, ...pending];
  const destinations = collected.copyDestinations;
  if (copies.length === 0 || destinations === undefined) return { ...collected, snapshots };
  return { ...collected, snapshots, copyDestinations: destinations.map((d) => withCopies(d, copies)) };
}

/** The snapshot as the listing will show it: pending, the tool's tags, started when EC2 answered. */
function asPending(entry: RecentCreate, account: string): Snapshot {
  return {
    id: entry.snapshotId,
    volumeId: volumeId(entry.volumeId),
    ownerId: account,
    state: 'pending',
    startTime: entry.startedAt,
    tags: { [TAG.policy]: entry.policy, [TAG.volumeId]: entry.volumeId, [TAG.runId]: entry.runId },
  };
}

/** A copy not listed yet is one more copy of its source there, and one more in flight. */
function withCopies(destination: CopyDestination, copies: readonly RecentCreate[]): CopyDestination {
  if (destination.error !== undefined) return destination;
  const copied = new Set(destination.copied);
  const added: string[] = [];
  for (const c of copies) {
    if (c.region !== destination.region || copied.has(c.sourceSnapshotId!)) continue;
    copied.add(c.sourceSnapshotId!);
    added.push(c.sourceSnapshotId!);
  }
  if (added.length === 0) return destination;
  return {
    ...destination,
    copied: [...destination.copied, ...added],
    inFlight: destination.inFlight + added.length,
  };
}

/**
 * An entry as the journal stores it (a JSON object with snake_case keys, one per line in the CLI's
 * file, a list in the table's items).
 */
export function encodeRecentCreate(entry: RecentCreate): Record<string, string | number> {
  return {
    snapshot_id: entry.snapshotId,
    region: entry.region,
    policy: entry.policy,
    volume_id: entry.volumeId,
    run_id: entry.runId,
    started_at: entry.startedAt,
    ...(entry.sourceSnapshotId === undefined ? {} : { source_snapshot_id: entry.sourceSnapshotId }),
  };
}

/** The entry a stored object holds, or undefined when it is not one (a torn line, a hand edit). */
export function decodeRecentCreate(value: unknown): RecentCreate | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const text = (key: string) =>
    typeof v[key] === 'string' && v[key] !== '' ? (v[key] as string) : undefined;
  const [id, region, policy, runId] = ['snapshot_id', 'region', 'policy', 'run_id'].map(text);
  // A copy of a snapshot that named no volume has an empty series key.
  const volume = typeof v.volume_id === 'string' ? v.volume_id : undefined;
  const startedAt = v.started_at;
  if (id === undefined || region === undefined || policy === undefined || volume === undefined)
    return undefined;
  if (runId === undefined || typeof startedAt !== 'number' || !Number.isFinite(startedAt)) return undefined;
  const source = text('source_snapshot_id');
  return {
    snapshotId: snapshotId(id),
    region,
    policy,
    volumeId: volume,
    runId,
    startedAt,
    ...(source === undefined ? {} : { sourceSnapshotId: snapshotId(source) }),
  };
}
