/**
 * `forecast --output json`: one document (docs/report.md) with every policy's daily points and
 * steady state, and the totals day by day.
 */
import type { Forecast, ForecastPoint, PolicyForecast } from '../../core/report/forecast.js';
import type { UnreadTarget } from '../../core/report/types.js';
import { pricesToJson, usd } from './report-json.js';

const FORECAST_FORMAT_VERSION = 1;

/** Bytes and cost of a point, or null when a kept snapshot's size is unknown (never a zero that is not). */
const known = (p: ForecastPoint, value: number): number | null => (p.unknownSizes > 0 ? null : value);

function pointToJson(p: ForecastPoint): Record<string, unknown> {
  return {
    day: p.day,
    time: new Date(p.time).toISOString(),
    snapshots: p.snapshots,
    stored_bytes: known(p, Math.round(p.storedBytes)),
    standard_bytes: known(p, Math.round(p.standardBytes)),
    archive_bytes: known(p, Math.round(p.archiveBytes)),
    snapshots_size_unknown: p.unknownSizes,
    // The Recycle Bin's share of the cost (SPEC §14): deleted snapshots a rule still keeps.
    ...(p.recycleBinBytes === undefined ? {} : { recycle_bin_bytes: Math.round(p.recycleBinBytes) }),
    monthly_cost_usd: known(p, usd(p.monthlyCost)),
    ...(p.fewestPerSeries === undefined ? {} : { fewest_per_series: p.fewestPerSeries }),
  };
}

function policyToJson(f: PolicyForecast): Record<string, unknown> {
  const end = f.points.at(-1)!;
  return {
    policy: f.policy,
    series: f.series,
    other_series: f.otherSeries,
    volume_bytes: f.volumeBytes,
    runs: f.runs,
    steady: {
      snapshots: f.steady.snapshots,
      snapshots_per_series:
        f.series + f.otherSeries === 0 ? null : f.steady.snapshots / (f.series + f.otherSeries),
      min: f.steady.min,
      max: f.steady.max,
      reached_day: f.steady.reachedDay,
      settled: f.steady.settled,
      stored_bytes: known(end, Math.round(end.storedBytes)),
      recycle_bin_bytes: Math.round(end.recycleBinBytes ?? 0),
      monthly_cost_usd: known(end, usd(end.monthlyCost)),
    },
    points: f.points.map(pointToJson),
  };
}

/** The forecast document; `unread` are the targets it could not read (and so leaves out). */
export function forecastDocument(
  forecast: Forecast,
  inventories: number,
  unread: readonly UnreadTarget[] = [],
): Record<string, unknown> {
  return {
    version: FORECAST_FORMAT_VERSION,
    kind: 'forecast',
    now: new Date(forecast.now).toISOString(),
    days: forecast.days,
    change_rate: forecast.changeRate,
    prices: pricesToJson(forecast.prices),
    targets: inventories,
    // Targets that could not be read: their volumes and snapshots are not in any figure below.
    complete: unread.length === 0,
    targets_unknown: unread.map((u) => ({
      account: u.account ?? null,
      region: u.region ?? null,
      status: 'UNKNOWN',
      error: u.error,
    })),
    policies: forecast.policies.map(policyToJson),
    totals: forecast.totals.map(pointToJson),
    warnings: forecast.warnings,
  };
}
