/**
 * The forecast's state: one policy's series in one account × region, grouped into classes of
 * series whose snapshots are the same (same start times, states, protections). The planner is
 * deterministic and judges every series on its own, so series with the same snapshots stay the
 * same under the same runs: a class is planned once, through one representative series, and
 * counts for all its members. Series that start different (a live fleet's history) become the
 * same once their differing snapshots are deleted, and classes then merge — after one retention
 * period, a year of hourly runs over a thousand volumes plans a handful of series per run.
 */
import type { Plan } from '../actions.js';
import { type Instance, type Inventory, type Snapshot, snapshotId, TAG, type Volume } from '../model.js';
import type { Policy } from '../policy/types.js';
import { compileSelection, type InventoryIndex, indexInventory, selectVolumes } from '../select.js';
import { groupSnapshots, type SeriesTable, sortSeries } from '../series.js';
import { GIB, upperBoundBytes } from './cost.js';
import type { CopyIndex, CopySeries } from './forecast-copies.js';

/** Selected series get snapshots; the others (volume not selected, volume gone, copies) only lose them. */
type SeriesKind = 'selected' | 'unselected' | 'orphan' | 'copy';

export interface SeriesClass {
  readonly kind: SeriesKind;
  /** The representative series' key: its source volume id. */
  readonly key: string;
  /** The representative's volume, and the instances it is attached to (for selection). */
  readonly volume?: Volume;
  readonly instances: readonly Instance[];
  /** How many series the class stands for. */
  members: number;
  /** Σ of the members' volume sizes. */
  volumeBytes: number;
  /** The representative's snapshots, oldest first. */
  snapshots: Snapshot[];
  /**
   * Beside each snapshot that existed when the forecast began: what it counts, added up over the
   * members (the cost model's upper bound, by tier); undefined for a snapshot the forecast made,
   * which the change-rate model counts. Kept in step with `snapshots`.
   */
  cells: (SizeCell | undefined)[];
  /** The copies of its series (`copy_to`), by destination region: they travel with the class. */
  copies: Map<string, CopySeries>;
  /** For a `copy` class: the region its series was copied from. */
  readonly sourceRegion?: string;
}

/** What the members' snapshots at one position count, by tier; `unknown`: members with no size. */
export interface SizeCell {
  standard: number;
  archive: number;
  unknown: number;
}

/** The cell of one existing snapshot (`volumeBytes`: its series' volume, when it exists). */
function cellOf(snapshot: Snapshot, volumeBytes: number | undefined): SizeCell {
  const cell = { standard: 0, archive: 0, unknown: 0 };
  if (snapshot.state === 'error') return cell;
  const bytes = upperBoundBytes(snapshot, volumeBytes);
  if (bytes === undefined) cell.unknown = 1;
  else if (snapshot.storageTier === 'archive') cell.archive = bytes;
  else cell.standard = bytes;
  return cell;
}

/**
 * A policy's series of one inventory, a class each (not merged yet). Snapshots still `pending`
 * are taken as completed: they complete long before the forecast's next run. Own series take
 * their existing copies in the forecast's other regions along (`copies` claims them).
 */
export function buildClasses(
  inventory: Inventory,
  policy: Policy,
  amiSnapshotIds: ReadonlySet<string>,
  now: number,
  copies?: CopyIndex,
): SeriesClass[] {
  // The planner's clock, so the first simulated run sees the series as `plan` does.
  const table = groupSnapshots(inventory, new Map([[policy.id, policy]]), amiSnapshotIds, undefined, { now });
  const index = indexInventory(inventory);
  const series = table.byPolicy.get(policy.id)!;
  const classes: SeriesClass[] = [];
  const seen = new Set<string>();
  for (const { volume } of selectVolumes(compileSelection(policy.select), index)) {
    seen.add(volume.id);
    const k = series.own.get(volume.id);
    const snapshots = k === undefined ? [] : seriesSnapshots(table, k, inventory);
    classes.push(makeClass('selected', volume.id, snapshots, index, volume.sizeGiB * GIB, true));
  }
  for (const [key, k] of series.own) {
    if (seen.has(key)) continue;
    const volume = index.volumes.get(key);
    const snapshots = seriesSnapshots(table, k, inventory);
    const bytes = volume ? volume.sizeGiB * GIB : (upperBoundBytes(snapshots.at(-1)!) ?? 0);
    classes.push(
      makeClass(volume ? 'unselected' : 'orphan', key, snapshots, index, bytes, volume !== undefined),
    );
  }
  for (const [key, k] of series.copies) {
    const snapshots = seriesSnapshots(table, k, inventory);
    const c = makeClass('copy', key, snapshots, index, upperBoundBytes(snapshots.at(-1)!) ?? 0, false);
    classes.push({ ...c, sourceRegion: snapshots[0]!.tags[TAG.sourceRegion] ?? '' });
  }
  if (copies !== undefined && policy.copyTo.length > 0)
    for (const c of classes) if (c.kind !== 'copy') seedCopies(c, inventory, policy, copies);
  return classes;
}

/** The copies a series already has in the destinations that are in the forecast. */
function seedCopies(c: SeriesClass, inventory: Inventory, policy: Policy, index: CopyIndex): void {
  for (const target of policy.copyTo) {
    const existing = index.claim(inventory.account, target.region, inventory.region, c.key);
    if (existing === undefined || existing.length === 0) continue;
    const snapshots = existing.map((s) =>
      s.state === 'pending' ? { ...s, state: 'completed' as const } : s,
    );
    c.copies.set(target.region, { snapshots, cells: snapshots.map((s) => cellOf(s, undefined)) });
  }
}

/** `volumeKnown`: `volumeBytes` is the size of the series' volume, which stands in for a snapshot's. */
function makeClass(
  kind: SeriesKind,
  key: string,
  snapshots: Snapshot[],
  index: InventoryIndex,
  volumeBytes: number,
  volumeKnown: boolean,
): SeriesClass {
  const volume = kind === 'selected' || kind === 'unselected' ? index.volumes.get(key) : undefined;
  const instances = (volume?.attachments ?? []).flatMap((a) => {
    const instance = index.instances.get(a.instanceId);
    return instance ? [instance] : [];
  });
  const cells = snapshots.map((s) => cellOf(s, volumeKnown ? volumeBytes : undefined));
  const copies = new Map<string, CopySeries>();
  return {
    kind,
    key,
    ...(volume ? { volume } : {}),
    instances,
    members: 1,
    volumeBytes,
    snapshots,
    cells,
    copies,
  };
}

function seriesSnapshots(table: SeriesTable, k: number, inventory: Inventory): Snapshot[] {
  sortSeries(table, k);
  const out: Snapshot[] = [];
  for (let p = table.bounds[k]!; p < table.bounds[k + 1]!; p++) {
    const s = inventory.snapshots[table.source[p]!]!;
    out.push(s.state === 'pending' ? { ...s, state: 'completed' } : s);
  }
  return out;
}

/** The inventory one simulated run plans: the representatives, their volumes and instances. */
export function synthesize(inventory: Inventory, classes: readonly SeriesClass[]): Inventory {
  const instances = new Map<string, Instance>();
  const volumes: Volume[] = [];
  const snapshots: Snapshot[] = [];
  for (const c of classes) {
    if (c.volume) volumes.push(c.volume);
    for (const i of c.instances) instances.set(i.id, i);
    for (const s of c.snapshots) snapshots.push(s);
  }
  // The forecast assumes delete safety can be checked: a saved inventory's gaps would hold every delete.
  const { gaps: _gaps, ...rest } = inventory;
  return { ...rest, instances: [...instances.values()], volumes, snapshots };
}

/**
 * Apply a simulated run's plan as a perfect apply would: deletes go, creates complete at once.
 * Returns the snapshot each class got.
 */
export function applyToClasses(
  classes: readonly SeriesClass[],
  plan: Plan,
  account: string,
  serial: { next: number },
): Map<SeriesClass, Snapshot> {
  const made = new Map<SeriesClass, Snapshot>();
  const now = Date.parse(plan.now);
  const deleted = new Set<string>();
  const created = new Map<string, Snapshot>();
  for (const action of plan.actions) {
    if (action.action === 'delete') deleted.add(action.snapshotId);
    else if (action.action === 'create') {
      const id = snapshotId(`snap-forecast-${(serial.next++).toString(16).padStart(8, '0')}`);
      const { volumeId, tags } = action;
      // The tags the planner reads, in one shape: the rest of the label changes nothing here.
      const owned = {
        [TAG.policy]: action.policy,
        [TAG.volumeId]: volumeId,
        [TAG.runId]: tags[TAG.runId] ?? '',
      };
      created.set(volumeId, {
        id,
        volumeId,
        ownerId: account,
        state: 'completed',
        startTime: now,
        tags: owned,
      });
    }
  }
  for (const c of classes) {
    if (deleted.size > 0 && c.snapshots.some((s) => deleted.has(s.id))) {
      const kept = c.snapshots.map((s) => !deleted.has(s.id));
      c.snapshots = c.snapshots.filter((_, i) => kept[i]);
      c.cells = c.cells.filter((_, i) => kept[i]);
    }
    const snapshot = c.kind === 'selected' ? created.get(c.key) : undefined;
    if (snapshot) {
      c.snapshots.push(snapshot);
      c.cells.push(undefined);
      made.set(c, snapshot);
    }
  }
  return made;
}
