/**
 * The forecast (SPEC §12): the planner run forward. From the live inventory, each policy's runs
 * are simulated on its schedule — at `now`, then every `every` or at each cron slot — for `days`;
 * each run's plan (from `planSnapshots` itself, not a second model of retention) is applied as a
 * perfect apply would (creates complete at once, deletes go). What the policy keeps is counted
 * after every run and sampled once a day; storage follows `seriesBytes`.
 *
 * Runs assume every series is snapshotted when due, and no guard, lock or failure interferes.
 */
import type { Inventory } from '../model.js';
import { planSnapshots } from '../plan.js';
import type { Policy, Schedule } from '../policy/types.js';
import { BinLedger } from '../recycle-bin/forecast-bin.js';
import { prepareSchedule } from '../schedule.js';
import { DEFAULT_PRICES, type Prices } from './cost.js';
import { sizesUnknown } from './coverage.js';
import { applyToClasses, buildClasses, type SeriesClass, synthesize } from './forecast-classes.js';
import { CopyIndex, keepCopies, makeCopies } from './forecast-copies.js';
import { mergeClasses, settledClasses } from './forecast-merge.js';
import { addKept, addUp, combine, NOTHING_KEPT, type Simulation, tally } from './forecast-points.js';
import type { SteadyState } from './steady.js';
import type { TargetWarning } from './types.js';

const DAY = 86_400_000;

export const FORECAST_DEFAULTS = { days: 365, changeRate: 0.03 } as const;

export interface ForecastOptions {
  /** Epoch ms the forecast starts at. */
  readonly now: number;
  /** Days to simulate, default 365. */
  readonly days?: number;
  /** Fraction of a volume that changes per day, default 0.03. */
  readonly changeRate?: number;
  readonly prices?: Prices;
}

/** One day of a forecast: what is kept at `time` (day 0 is the inventory as it is). */
export interface ForecastPoint {
  readonly day: number;
  readonly time: number;
  readonly snapshots: number;
  /** Standard and archive bytes, by the one storage model (`cost.ts`). */
  readonly storedBytes: number;
  readonly standardBytes: number;
  readonly archiveBytes: number;
  /** Snapshots kept whose size is unknown: bytes and cost leave them out (so they are no bound). */
  readonly unknownSizes: number;
  /** What the Recycle Bin holds of the simulated deletes (SPEC §14); absent when nothing. */
  readonly recycleBinBytes?: number;
  /** Each tier at its price, the Recycle Bin's storage included (as standard). */
  readonly monthlyCost: number;
  /** The fewest snapshots any selected series has (absent when the policy selects nothing). */
  readonly fewestPerSeries?: number;
}

export interface PolicyForecast {
  readonly policy: string;
  /** Series of the volumes it selects. */
  readonly series: number;
  /** Its other series: volumes it no longer selects, volumes gone, copies from other regions. */
  readonly otherSeries: number;
  /** Σ size of the selected volumes. */
  readonly volumeBytes: number;
  /** Simulated runs per account × region. */
  readonly runs: number;
  /** One per day, days + 1 in all. */
  readonly points: readonly ForecastPoint[];
  readonly steady: SteadyState;
}

export interface Forecast {
  readonly now: number;
  readonly days: number;
  readonly changeRate: number;
  readonly prices: Prices;
  /** By policy id. */
  readonly policies: readonly PolicyForecast[];
  /** Every policy added up, day by day (no `fewestPerSeries`). */
  readonly totals: readonly ForecastPoint[];
  /** Snapshots with no size, per policy and account × region (their storage and cost are unknown). */
  readonly warnings: readonly TargetWarning[];
}

/**
 * Forecast what the policies keep and cost over the next days, over every inventory given.
 *
 * @example
 * const forecast = forecastPolicies([inventory], config.policies, { now: Date.now(), days: 90 });
 * forecast.policies[0].steady.snapshots;
 */
export function forecastPolicies(
  inventories: readonly Inventory[],
  policies: readonly Policy[],
  options: ForecastOptions,
): Forecast {
  const days = options.days ?? FORECAST_DEFAULTS.days;
  const changeRate = options.changeRate ?? FORECAST_DEFAULTS.changeRate;
  const prices = options.prices ?? DEFAULT_PRICES;
  const { now } = options;
  const byId = new Map<string, Policy>();
  for (const p of policies) if (!byId.has(p.id)) byId.set(p.id, p);
  const warnings: TargetWarning[] = [];
  const forecasts = [...byId.keys()].sort().map((id) => {
    const policy = byId.get(id)!;
    const runs = runTimes(policy.schedule, now, now + days * DAY);
    // Every inventory's classes first: a source claims its copies in the others before they simulate.
    const copies = new CopyIndex(inventories, policy);
    const built = inventories.map((inventory) =>
      buildClasses(inventory, policy, amiSnapshotsOf(inventory), now, copies),
    );
    const simulations = inventories.map((inventory, i) => {
      const unknown = built[i]!.reduce(
        (n, c) => n + c.cells.reduce((m, cell) => m + (cell?.unknown ?? 0), 0),
        0,
      );
      if (unknown > 0)
        warnings.push({ ...sizesUnknown(`policy ${policy.id}`, unknown), ...whereOf(inventory) });
      const { account, region } = inventory;
      const own = built[i]!.filter(
        (c) => c.kind !== 'copy' || !copies.isClaimed(account, region, c.sourceRegion ?? '', c.key),
      );
      return simulate(inventory, policy, runs, changeRate, own);
    });
    return combine(policy.id, simulations, runs.length, { now, days, prices });
  });
  const totals = addUp(forecasts, now, days, prices);
  return { now, days, changeRate, prices, policies: forecasts, totals, warnings };
}

/**
 * When a policy's runs happen: at `now`, then every `every` or at each cron slot up to `end`.
 *
 * @example runTimes({ kind: 'every', everyMs: DAY, ... }, now, now + 2 * DAY) // [now, now + DAY, now + 2 * DAY]
 */
export function runTimes(schedule: Schedule, now: number, end: number): number[] {
  const times = [now];
  if (schedule.kind === 'every') {
    for (let t = now + schedule.everyMs; t <= end; t += schedule.everyMs) times.push(t);
    return times;
  }
  const clock = prepareSchedule(schedule, now);
  if (clock.problem !== undefined) return times;
  for (let t = clock.slotAfter(now); t !== undefined && t <= end; t = clock.slotAfter(t)) times.push(t);
  return times;
}

const whereOf = ({ account, region }: Inventory) => ({ account, region });

const amiSnapshotsOf = (inventory: Inventory): Set<string> =>
  new Set<string>(inventory.images.flatMap((i) => i.snapshotIds));

function simulate(
  inventory: Inventory,
  policy: Policy,
  runs: readonly number[],
  changeRate: number,
  classes: SeriesClass[],
): Simulation {
  const amiSnapshotIds = amiSnapshotsOf(inventory);
  let active = mergeClasses(classes, amiSnapshotIds);
  const selected = active.filter((c) => c.kind === 'selected');
  const series = selected.reduce((n, c) => n + c.members, 0);
  const volumeBytes = selected.reduce((n, c) => n + c.volumeBytes, 0);
  const all = active.reduce((n, c) => n + c.members, 0);
  let settled = NOTHING_KEPT;
  const tallies = [tally(active, settled, runs[0]!, changeRate)];
  const serial = { next: 0 };
  const bin = new BinLedger();
  for (const time of runs) {
    if (active.length === 0) break;
    const plan = planSnapshots(synthesize(inventory, active), [policy], { now: time, runId: 'forecast' });
    bin.add(plan, active, changeRate);
    const made = applyToClasses(active, plan, inventory.account, serial);
    if (policy.copyTo.length > 0) {
      makeCopies(active, made, policy, serial);
      keepCopies(active, policy, inventory, time);
    }
    const done = settledClasses(active, plan, policy);
    if (done.size > 0) {
      settled = addKept(settled, tally([...done], NOTHING_KEPT, time, changeRate));
      active = active.filter((c) => !done.has(c));
    }
    active = mergeClasses(active, amiSnapshotIds);
    const inBin = bin.bytesAt(time);
    tallies.push({ ...tally(active, settled, time, changeRate), ...(inBin > 0 ? { binBytes: inBin } : {}) });
  }
  return { tallies, series, otherSeries: all - series, volumeBytes };
}
