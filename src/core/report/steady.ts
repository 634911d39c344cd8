/**
 * The steady state of a forecast: where the count of snapshots ends up. Calendar tiers make it
 * wobble with the day of the week or the length of the month, so it is a range — the lowest and
 * highest count of the last window (the second half of the forecast, at least 30 days) — and the
 * day from which the count never left that range.
 */

/** The shortest window the range is taken over, in days. */
const STEADY_WINDOW_DAYS = 30;

export interface SteadyState {
  /** Count at the end of the forecast. */
  readonly snapshots: number;
  /** The lowest and highest count of the last window. */
  readonly min: number;
  readonly max: number;
  /** First day from which every count lies within [min, max]. */
  readonly reachedDay: number;
  /**
   * True when the count was already in the range before the window began: it has settled. False
   * means it still grows or shrinks at the end (a yearly tier, say): forecast more days.
   */
  readonly settled: boolean;
}

/**
 * The steady state of daily counts (`counts[d]` is day d's, day 0 first).
 *
 * @example steadyStateOf([0, ...Array(40).fill(3)]) // { snapshots: 3, min: 3, max: 3, reachedDay: 1, settled: true }
 */
export function steadyStateOf(counts: readonly number[]): SteadyState {
  const last = counts.length - 1;
  if (last < 0) return { snapshots: 0, min: 0, max: 0, reachedDay: 0, settled: false };
  const from = Math.max(0, last - Math.max(STEADY_WINDOW_DAYS, Math.floor(last / 2)));
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let d = from; d <= last; d++) {
    min = Math.min(min, counts[d]!);
    max = Math.max(max, counts[d]!);
  }
  let reachedDay = from;
  while (reachedDay > 0 && counts[reachedDay - 1]! >= min && counts[reachedDay - 1]! <= max) reachedDay--;
  return { snapshots: counts[last]!, min, max, reachedDay, settled: reachedDay < from };
}
