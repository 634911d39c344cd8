/**
 * The forecast's numbers: what one account × region's simulation keeps after each run (a
 * tally), sampled once a day and added up over every target, per policy and in total.
 */

import type { Snapshot } from '../model.js';
import { futureBytes, monthlyCost, type Prices } from './cost.js';
import type { ForecastPoint, PolicyForecast } from './forecast.js';
import type { SeriesClass, SizeCell } from './forecast-classes.js';
import { steadyStateOf } from './steady.js';

const DAY = 86_400_000;

/** What is kept after one run (or at the start). */
export interface Tally {
  readonly time: number;
  readonly snapshots: number;
  readonly standardBytes: number;
  readonly archiveBytes: number;
  /** Snapshots kept whose size is not known (the bytes leave them out). */
  readonly unknownSizes: number;
  readonly fewest?: number;
  /** What the Recycle Bin holds of the deletes so far (standard tier; SPEC §14). */
  readonly binBytes?: number;
}

/** One policy's simulation of one account × region. */
export interface Simulation {
  readonly tallies: readonly Tally[];
  readonly series: number;
  readonly otherSeries: number;
  readonly volumeBytes: number;
}

/** What settled classes keep: it never changes, so it is counted once (`tally` adds it). */
export type Kept = Pick<Tally, 'snapshots' | 'standardBytes' | 'archiveBytes' | 'unknownSizes'>;

export const NOTHING_KEPT: Kept = { snapshots: 0, standardBytes: 0, archiveBytes: 0, unknownSizes: 0 };

/** `a` and `b` added up. */
export const addKept = (a: Kept, b: Kept): Kept => ({
  snapshots: a.snapshots + b.snapshots,
  standardBytes: a.standardBytes + b.standardBytes,
  archiveBytes: a.archiveBytes + b.archiveBytes,
  unknownSizes: a.unknownSizes + b.unknownSizes,
});

/**
 * Count what the active classes keep and what it stores, by the one model (`cost.ts`), plus
 * what the settled ones keep: snapshots that existed at the start count their upper bound in
 * their tier, the forecast's own the change rate.
 */
export function tally(
  active: readonly SeriesClass[],
  settled: Kept,
  time: number,
  changeRate: number,
): Tally {
  let snapshots = settled.snapshots;
  let standardBytes = settled.standardBytes;
  let archiveBytes = settled.archiveBytes;
  let unknownSizes = settled.unknownSizes;
  let fewest: number | undefined;
  // One series of a class's snapshots (its own, or its copies in one region), by the one model.
  const count = (c: SeriesClass, list: readonly Snapshot[], cells: readonly (SizeCell | undefined)[]) => {
    snapshots += c.members * list.length;
    let previous: number | undefined;
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      if (s.state === 'error') continue;
      const cell = cells[i];
      if (cell === undefined) standardBytes += futureBytes(c.volumeBytes, changeRate, previous, s.startTime);
      else {
        standardBytes += cell.standard;
        archiveBytes += cell.archive;
        unknownSizes += cell.unknown;
      }
      previous = s.startTime;
    }
  };
  for (const c of active) {
    count(c, c.snapshots, c.cells);
    // Copies are counted where they are stored: a destination's series, its own first in full.
    if (c.copies.size > 0) for (const copies of c.copies.values()) count(c, copies.snapshots, copies.cells);
    if (c.kind === 'selected') fewest = Math.min(fewest ?? Number.POSITIVE_INFINITY, c.snapshots.length);
  }
  return {
    time,
    snapshots,
    standardBytes,
    archiveBytes,
    unknownSizes,
    ...(fewest === undefined ? {} : { fewest }),
  };
}

/** A point's storage and cost from its bytes by tier: each tier at its price. */
function pointOf(
  day: number,
  time: number,
  snapshots: number,
  bytes: { standard: number; archive: number; unknown: number; bin?: number },
  prices: Prices,
): ForecastPoint {
  const bin = bytes.bin ?? 0;
  return {
    day,
    time,
    snapshots,
    storedBytes: bytes.standard + bytes.archive,
    standardBytes: bytes.standard,
    archiveBytes: bytes.archive,
    unknownSizes: bytes.unknown,
    // The bin's snapshots are billed as standard ones: in the cost, apart from what is kept.
    ...(bin > 0 ? { recycleBinBytes: bin } : {}),
    monthlyCost:
      monthlyCost(bytes.standard + bin, 'standard', prices) + monthlyCost(bytes.archive, 'archive', prices),
  };
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
    const bytes = { standard: 0, archive: 0, unknown: 0, bin: 0 };
    let fewest: number | undefined;
    simulations.forEach((simulation, i) => {
      // Day 0 is the inventory as collected; later days, what the last run before them left.
      const tallies = simulation.tallies;
      while (day > 0 && cursors[i]! + 1 < tallies.length && tallies[cursors[i]! + 1]!.time <= time)
        cursors[i]!++;
      const t = tallies[cursors[i]!]!;
      snapshots += t.snapshots;
      bytes.standard += t.standardBytes;
      bytes.archive += t.archiveBytes;
      bytes.unknown += t.unknownSizes;
      bytes.bin += t.binBytes ?? 0;
      if (t.fewest !== undefined) fewest = Math.min(fewest ?? Number.POSITIVE_INFINITY, t.fewest);
    });
    points.push({
      ...pointOf(day, time, snapshots, bytes, span.prices),
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
    const bytes = { standard: 0, archive: 0, unknown: 0, bin: 0 };
    for (const f of forecasts) {
      const p = f.points[day]!;
      snapshots += p.snapshots;
      bytes.standard += p.standardBytes;
      bytes.archive += p.archiveBytes;
      bytes.unknown += p.unknownSizes;
      bytes.bin += p.recycleBinBytes ?? 0;
    }
    return pointOf(day, now + day * DAY, snapshots, bytes, prices);
  });
}
