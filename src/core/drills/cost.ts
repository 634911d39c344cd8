/**
 * What a drill volume costs. EBS bills a volume per second (at least a minute) at its type's
 * GB-month price; a drill volume lives at most its timeout plus one run, so the plan shows the
 * timeout's worth as an upper bound.
 */

/** The drill volume's type: the cheapest general-purpose SSD; the drill proves the restore, not speed. */
export const DRILL_VOLUME_TYPE = 'gp3';

/** USD per GB-month in us-east-1 (other regions differ by a few cents; the estimate is a bound). */
const PRICE_PER_GB_MONTH: Readonly<Record<string, number>> = {
  gp3: 0.08,
  gp2: 0.1,
  io1: 0.125,
  io2: 0.125,
  st1: 0.045,
  sc1: 0.015,
  standard: 0.05,
};

const HOURS_PER_MONTH = 730;

/**
 * @example drillCostUsd(100, 'gp3', 2 * 3_600_000) // 0.0219…: 100 GiB for 2 hours
 */
export function drillCostUsd(sizeGiB: number, volumeType: string, durationMs: number): number {
  const price = PRICE_PER_GB_MONTH[volumeType] ?? PRICE_PER_GB_MONTH[DRILL_VOLUME_TYPE]!;
  const hours = Math.max(durationMs, 60_000) / 3_600_000;
  return (sizeGiB * price * hours) / HOURS_PER_MONTH;
}
