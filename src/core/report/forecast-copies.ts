/**
 * Copies in the forecast (`copy_to`, SPEC §6a): each new snapshot of a selected series gets a copy
 * in every destination region, and the copies there follow the target's own retention — planned
 * by the planner itself (`copiesOnly`, as a run plans a destination), not a second model.
 *
 * A series' copies travel with its class (`SeriesClass.copies`): a class stands for series with
 * the same snapshots, and their copies are made by the same runs. Copies that already exist in a
 * destination join their series' copies when the destination's inventory is in the forecast too
 * (the copies are then "claimed" by the source, and the destination does not simulate them again).
 * Where the source is not in the forecast, a destination simulates its copies as they are.
 */
import type { Plan } from '../actions.js';
import { type Inventory, type Snapshot, snapshotId, TAG } from '../model.js';
import { planSnapshots } from '../plan.js';
import type { Policy } from '../policy/types.js';
import type { SeriesClass, SizeCell } from './forecast-classes.js';

/** The copies of a series in one destination region, oldest first, with their sizes (see `cells`). */
export interface CopySeries {
  snapshots: Snapshot[];
  cells: (SizeCell | undefined)[];
}

const where = (account: string, region: string, source: string, key: string) =>
  `${account}|${region}|${source}|${key}`;

/** The policy's copies across every inventory of the forecast, and which a source claims. */
export class CopyIndex {
  private readonly existing = new Map<string, Snapshot[]>();
  private readonly regions = new Set<string>();
  private readonly claims = new Set<string>();

  constructor(inventories: readonly Inventory[], policy: Policy) {
    for (const inventory of inventories) {
      this.regions.add(`${inventory.account}|${inventory.region}`);
      for (const s of inventory.snapshots) {
        const source = s.tags[TAG.sourceRegion];
        if (s.tags[TAG.policy] !== policy.id || source === undefined || source === inventory.region) continue;
        const at = where(
          inventory.account,
          inventory.region,
          source,
          s.tags[TAG.volumeId] ?? s.volumeId ?? '',
        );
        const list = this.existing.get(at);
        if (list === undefined) this.existing.set(at, [s]);
        else list.push(s);
      }
    }
  }

  /**
   * The copies of series `key` of `source` in `region` that already exist, oldest first — or
   * undefined when `region` is not in the forecast. Asking claims them for the source.
   */
  claim(account: string, region: string, source: string, key: string): Snapshot[] | undefined {
    if (!this.regions.has(`${account}|${region}`)) return undefined;
    const at = where(account, region, source, key);
    this.claims.add(at);
    return [...(this.existing.get(at) ?? [])].sort((a, b) => a.startTime - b.startTime);
  }

  /** True when a source's simulation counts these copies (so their own region must not). */
  isClaimed(account: string, region: string, source: string, key: string): boolean {
    return this.claims.has(where(account, region, source, key));
  }
}

/** Each new snapshot of a selected class (`made`) copied at once to every destination. */
export function makeCopies(
  classes: readonly SeriesClass[],
  made: ReadonlyMap<SeriesClass, Snapshot>,
  policy: Policy,
  serial: { next: number },
): void {
  if (policy.copyTo.length === 0) return;
  for (const c of classes) {
    const source = made.get(c);
    if (source === undefined) continue;
    for (const target of policy.copyTo) {
      const id = snapshotId(`snap-forecast-copy-${(serial.next++).toString(16).padStart(8, '0')}`);
      const copy: Snapshot = { ...source, id, tags: { ...source.tags, [TAG.sourceSnapshotId]: source.id } };
      const series = c.copies.get(target.region) ?? { snapshots: [], cells: [] };
      series.snapshots.push(copy);
      series.cells.push(undefined);
      c.copies.set(target.region, series);
    }
  }
}

/**
 * Plan the copies in each destination with the target's retention, as a run in that region
 * would (`copiesOnly`), and let go of what it deletes.
 */
export function keepCopies(
  classes: readonly SeriesClass[],
  policy: Policy,
  source: { account: string; region: string },
  now: number,
): void {
  for (const target of policy.copyTo) {
    const snapshots: Snapshot[] = [];
    for (const c of classes) {
      const copies = c.copies.get(target.region);
      if (copies === undefined) continue;
      for (const s of copies.snapshots) snapshots.push(asCopyOf(s, c.key, source.region));
    }
    if (snapshots.length === 0) continue;
    const inventory: Inventory = {
      account: source.account,
      region: target.region,
      instances: [],
      volumes: [],
      snapshots,
      images: [],
    };
    const plan = planSnapshots(inventory, [policy], { now, runId: 'forecast', copiesOnly: true });
    dropDeleted(classes, target.region, plan);
  }
}

/** A copy as the destination's planner reads it: its series (policy, source volume, source region). */
function asCopyOf(s: Snapshot, key: string, sourceRegion: string): Snapshot {
  if (s.tags[TAG.sourceRegion] === sourceRegion && s.tags[TAG.volumeId] === key) return s;
  return { ...s, tags: { ...s.tags, [TAG.volumeId]: key, [TAG.sourceRegion]: sourceRegion } };
}

function dropDeleted(classes: readonly SeriesClass[], region: string, plan: Plan): void {
  const deleted = new Set<string>();
  for (const action of plan.actions) if (action.action === 'delete') deleted.add(action.snapshotId);
  if (deleted.size === 0) return;
  for (const c of classes) {
    const copies = c.copies.get(region);
    if (copies === undefined || !copies.snapshots.some((s) => deleted.has(s.id))) continue;
    const kept = copies.snapshots.map((s) => !deleted.has(s.id));
    copies.snapshots = copies.snapshots.filter((_, i) => kept[i]);
    copies.cells = copies.cells.filter((_, i) => kept[i]);
  }
}
