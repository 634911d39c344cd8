/**
 * The forecast's numbers: what one account × region's simulation keeps after each run (a
 * tally), sampled once a day and added up over every target, per policy and in total.
 */
import { monthlyCost, type Prices } from './cost.js';
import type { ForecastPoint, PolicyForecast } from './forecast.js';
import type { SeriesClass } from './forecast-classes.js';
import { seriesBytes } from './forecast-storage.js';
import { steadyStateOf } from './steady.js';

const DAY = 86_400_000;

/** What is kept after one run (or at the start). */
export interface Tally {
  readonly time: number;
  readonly snapshots: number;
  readonly storedBytes: number;
  readonly fewest?: number;
}

/** One policy's simulation of one account × region. */
export interface Simulation {
  readonly tallies: readonly Tally[];
  readonly series: number;
  readonly otherSeries: number;
  readonly volumeBytes: number;
}

/** Count what the classes keep, and the storage by the change rate. */
export function tally(
  active: readonly SeriesClass[],
  settled: readonly SeriesClass[],
  time: number,
  changeRate: number,
): Tally {
  let snapshots = 0;
  let storedBytes = 0;
  let fewest: number | undefined;
  for (const c of active.concat(settled)) {
    snapshots += c.members * c.snapshots.length;
    storedBytes += seriesBytes(c.snapshots, c.volumeBytes, changeRate);
    if (c.kind === 'selected') fewest = Math.min(fewest ?? Number.POSITIVE_INFINITY, c.snapshots.length);
  }
  return { time, snapshots, storedBytes, ...(fewest === undefined ? {} : { fewest }) };
}

export interface Span {
  readonly now: number;
  readonly days: number;
  readonly prices: Prices;
}

/** One policy's simulations of several targets, sampled once a day and added up. */
export function combine(
  policy: string,
  simulations: readonly Simulation[],
  runs: number,
  span: Span,
): PolicyForecast {
  const points: ForecastPoint[] = [];
  const cursors = simulations.map(() => 0);
  for (let day = 0; day <= span.days; day++) {
    const time = span.now + day * DAY;
    let snapshots = 0;
    let storedBytes = 0;
    let fewest: number | undefined;
    simulations.forEach((simulation, i) => {
      // Day 0 is the inventory as collected; later days, what the last run before them left.
      const tallies = simulation.tallies;
      while (day > 0 && cursors[i]! + 1 < tallies.length && tallies[cursors[i]! + 1]!.time <= time)
        cursors[i]!++;
      const t = tallies[cursors[i]!]!;
      snapshots += t.snapshots;
      storedBytes += t.storedBytes;
      if (t.fewest !== undefined) fewest = Math.min(fewest ?? Number.POSITIVE_INFINITY, t.fewest);
    });
    const cost = monthlyCost(storedBytes, 'standard', span.prices);
    points.push({
      day,
      time,
      snapshots,
      storedBytes,
      monthlyCost: cost,
      ...(fewest === undefined ? {} : { fewestPerSeries: fewest }),
    });
  }
  return {
    policy,
    series: simulations.reduce((n, s) => n + s.series, 0),
    otherSeries: simulations.reduce((n, s) => n + s.otherSeries, 0),
    volumeBytes: simulations.reduce((n, s) => n + s.volumeBytes, 0),
    runs,
    points,
    steady: steadyStateOf(points.map((p) => p.snapshots)),
  };
}

/** Every policy added up, day by day. */
export function addUp(
  forecasts: readonly PolicyForecast[],
  now: number,
  days: number,
  prices: Prices,
): ForecastPoint[] {
  return Array.from({ length: days + 1 }, (_, day) => {
    let snapshots = 0;
    let storedBytes = 0;
    for (const f of forecasts) {
      snapshots += f.points[day]!.snapshots;
      storedBytes += f.points[day]!.storedBytes;
    }
    return {
      day,
      time: now + day * DAY,
      snapshots,
      storedBytes,
      monthlyCost: monthlyCost(storedBytes, 'standard', prices),
    };
  });
}
