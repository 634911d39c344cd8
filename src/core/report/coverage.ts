/**
 * The coverage report of one account × region, built from the planner's own parts: the same
 * series table (`groupSnapshots`), the same selection (`compileSelection`, `selectVolumes`) and
 * the same schedule (`decideDue`), so a report never disagrees with what a run would do. No plan
 * actions are made, which keeps a report of a million snapshots cheaper than a plan of them.
 */

import { judgeDrills } from '../drills/in-flight.js';
import type { Inventory } from '../model.js';
import { latestScheduled } from '../plan.js';
import { count as countOf } from '../plural.js';
import type { Policy } from '../policy/types.js';
import { binStorage } from '../recycle-bin/bin-storage.js';
import {
  compileSelection,
  type InventoryIndex,
  indexInventory,
  type SelectedVolume,
  selectVolumes,
} from '../select.js';
import { FLAG, groupSnapshots, type SeriesTable, sortSeries } from '../series.js';
import { type Warning, warning } from '../warnings.js';
import {
  addSizes,
  addSnapshotSize,
  costOf,
  DEFAULT_PRICES,
  emptySizes,
  GIB,
  type Prices,
  type SizeTotals,
} from './cost.js';
import { countUnmanaged, describeOrphan, findUnprotected } from './coverage-leftovers.js';
import { seriesDrills } from './drill-coverage.js';
import { judgeSeries, prepareCoverageClock } from './status.js';
import type { CoverageReport, OrphanSeries, PolicyCoverage, SeriesCoverage } from './types.js';

export interface CoverageOptions {
  /** Epoch ms: the report never reads the clock. */
  readonly now: number;
  /** Default `DEFAULT_PRICES`. */
  readonly prices?: Prices;
}

interface Context {
  readonly inventory: Inventory;
  readonly index: InventoryIndex;
  readonly table: SeriesTable;
  readonly now: number;
  readonly series: SeriesCoverage[];
  readonly orphans: OrphanSeries[];
  readonly warnings: Warning[];
  /** Per inventory position: 1 when the snapshot belongs to a series. */
  readonly managed: Uint8Array;
}

/**
 * Report coverage, sizes and cost of one account × region.
 *
 * @example
 * const report = reportCoverage(inventory, config.policies, { now: Date.now() });
 * report.series.filter((s) => s.status === 'OVERDUE');
 */
export function reportCoverage(
  listed: Inventory,
  policies: readonly Policy[],
  options: CoverageOptions,
): CoverageReport {
  // Restore drills' volumes are the tool's own scratch volumes: neither selected nor unprotected.
  const drillVolumes = judgeDrills(listed, '').volumeIds;
  const inventory =
    drillVolumes.size === 0
      ? listed
      : { ...listed, volumes: listed.volumes.filter((v) => !drillVolumes.has(v.id)) };
  const prices = options.prices ?? DEFAULT_PRICES;
  const byId = new Map<string, Policy>();
  for (const p of policies) if (!byId.has(p.id)) byId.set(p.id, p);
  const amiSnapshots = new Set<string>(inventory.images.flatMap((i) => i.snapshotIds));
  // The same clock as the planner's: a run dated by --now counts from its run's time, so report and
  // plan agree on what is overdue.
  const table = groupSnapshots(inventory, byId, amiSnapshots, undefined, { now: options.now });
  const context: Context = {
    inventory,
    index: indexInventory(inventory),
    table,
    now: options.now,
    series: [],
    orphans: [],
    warnings: [...table.warnings],
    managed: new Uint8Array(inventory.snapshots.length),
  };
  const selected = new Set<string>();
  const summaries: PolicyCoverage[] = [];
  for (const id of [...byId.keys()].sort()) {
    summaries.push(coverPolicy(context, byId.get(id)!, selected, prices));
  }
  context.series.sort(compareRows);
  const unmanaged = countUnmanaged(inventory, context.index, context.managed);
  if (unmanaged.unknown > 0) context.warnings.push(sizesUnknown('unmanaged snapshots', unmanaged.unknown));
  return {
    account: inventory.account,
    region: inventory.region,
    now: options.now,
    prices,
    series: context.series,
    unprotected: findUnprotected(inventory, context.index, selected),
    policies: summaries,
    orphans: context.orphans,
    unmanaged,
    warnings: context.warnings,
    ...(inventory.gaps === undefined ? {} : { gaps: inventory.gaps }),
    ...binOf(inventory, prices),
  };
}

function binOf(inventory: Inventory, prices: Prices): Pick<CoverageReport, 'recycleBin'> {
  const bin = binStorage(inventory, prices);
  return bin === undefined ? {} : { recycleBin: bin };
}

function coverPolicy(
  context: Context,
  policy: Policy,
  selected: Set<string>,
  prices: Prices,
): PolicyCoverage {
  const { table, index, warnings } = context;
  const selection = compileSelection(policy.select);
  for (const problem of selection.problems)
    warnings.push(warning('plan.selection', `policy ${policy.id}: ${problem}; selects nothing`));
  const targets = selectVolumes(selection, index);
  if (targets.length === 0 && selection.problems.length === 0)
    warnings.push(warning('plan.selects-nothing', `policy ${policy.id}: selects no volume`));
  const clock = prepareCoverageClock(policy.schedule, context.now);
  if (clock.due.problem !== undefined)
    warnings.push(warning('plan.schedule', `policy ${policy.id}: ${clock.due.problem}`));
  const series = table.byPolicy.get(policy.id)!;
  let ok = 0;
  for (const target of targets) {
    selected.add(target.volume.id);
    const k = series.own.get(target.volume.id);
    const row = coverTarget(context, policy.id, target, k, (newest, scheduled) =>
      judgeSeries(clock, newest, scheduled),
    );
    if (row.status === 'OK') ok++;
    const drills = k === undefined ? {} : seriesDrills(table, k, context.inventory.snapshots);
    context.series.push({ ...row, ...drills, ...(policy.drill === undefined ? {} : { drilled: true }) });
  }
  const sizes = emptySizes();
  let orphanSeries = 0;
  for (const [key, k] of series.own) {
    const seriesSizes = addSeriesSizes(context, k, sizes, key);
    if (index.volumes.has(key)) continue;
    orphanSeries++;
    context.orphans.push(describeOrphan(table, context.inventory, policy, key, k, seriesSizes));
  }
  for (const k of series.copies.values()) addSeriesSizes(context, k, sizes);
  if (sizes.unknown > 0) warnings.push(sizesUnknown(`policy ${policy.id}`, sizes.unknown));
  return {
    policy: policy.id,
    volumes: targets.length,
    ok,
    overdue: targets.length - ok,
    sizes,
    monthlyCost: costOf(sizes, prices),
    orphanSeries,
  };
}

type Judge = (newest: number | undefined, scheduled: number | undefined) => ReturnType<typeof judgeSeries>;

function coverTarget(
  context: Context,
  policy: string,
  target: SelectedVolume,
  k: number | undefined,
  judge: Judge,
): SeriesCoverage {
  const { table, inventory, now } = context;
  const { volume, instance, device } = target;
  let from = 0;
  let to = 0;
  let newest: SeriesCoverage['newest'];
  // How old the newest is, as the planner counts it: from the run that made it (run --now T dates it T).
  let newestCounted: number | undefined;
  if (k !== undefined) {
    sortSeries(table, k);
    from = table.bounds[k]!;
    to = table.bounds[k + 1]!;
    for (let p = to - 1; p >= from && newest === undefined; p--) {
      if (table.start[p]! <= now && (table.flags[p]! & FLAG.stateMask) === FLAG.completed) {
        newest = { snapshotId: table.ids[p]!, startTime: table.start[p]! };
        newestCounted = table.scheduled[p]!;
      }
    }
  }
  const status = judge(newestCounted, k === undefined ? undefined : latestScheduled(table, k));
  return {
    account: inventory.account,
    region: inventory.region,
    policy,
    volumeId: volume.id,
    ...(volume.tags.Name === undefined ? {} : { volumeName: volume.tags.Name }),
    sizeGiB: volume.sizeGiB,
    ...(instance === undefined ? {} : { instanceId: instance.id }),
    ...(instance?.tags.Name === undefined ? {} : { instanceName: instance.tags.Name }),
    ...(device === undefined ? {} : { device }),
    ...status,
    ...(newest === undefined ? {} : { newest }),
    snapshots: to - from,
    timeline: { start: table.start.subarray(from, to), flags: table.flags.subarray(from, to) },
  };
}

/**
 * Add series `k`'s snapshots to `into` and mark them managed; returns the series' own totals.
 * `volumeKey`: the series' source volume, whose size stands in where a snapshot has none.
 */
function addSeriesSizes(context: Context, k: number, into: SizeTotals, volumeKey?: string): SizeTotals {
  const { table, inventory, managed, index } = context;
  const volume = volumeKey === undefined ? undefined : index.volumes.get(volumeKey);
  const volumeBytes = volume === undefined ? undefined : volume.sizeGiB * GIB;
  const own = emptySizes();
  for (let p = table.bounds[k]!; p < table.bounds[k + 1]!; p++) {
    const i = table.source[p]!;
    managed[i] = 1;
    addSnapshotSize(own, inventory.snapshots[i]!, volumeBytes);
  }
  addSizes(into, own);
  return own;
}

/** Snapshots with no size make a total unknown: said once per policy (and for unmanaged ones). */
export function sizesUnknown(what: string, count: number): Warning {
  return warning(
    'report.sizes-unknown',
    `${what}: ${countOf(count, 'snapshot')} ${count === 1 ? 'has' : 'have'} no size (no FullSnapshotSizeInBytes, no volume size): storage and cost unknown`,
  );
}

const RANK = { OVERDUE: 0, OK: 1 } as const;

function compareRows(a: SeriesCoverage, b: SeriesCoverage): number {
  if (a.status !== b.status) return RANK[a.status] - RANK[b.status];
  if (a.policy !== b.policy) return a.policy < b.policy ? -1 : 1;
  return a.volumeId < b.volumeId ? -1 : a.volumeId > b.volumeId ? 1 : 0;
}
