/**
 * Reports and forecasts (SPEC §12): coverage, sizes and cost of what is there, and what the
 * policies will keep and cost, from the planner's own parts.
 *
 * @example
 * const report = reportCoverage(inventory, config.policies, { now: Date.now() });
 * const forecast = forecastPolicies([inventory], config.policies, { now: Date.now(), days: 365 });
 */
export * from './cost.js';
export { type CoverageOptions, reportCoverage } from './coverage.js';
export {
  FORECAST_DEFAULTS,
  type Forecast,
  type ForecastOptions,
  type ForecastPoint,
  forecastPolicies,
  type PolicyForecast,
  runTimes,
} from './forecast.js';
export { seriesBytes } from './forecast-storage.js';
export {
  COVERAGE_CODES,
  COVERAGE_STATUSES,
  type CoverageCode,
  type CoverageReason,
  type CoverageStatus,
} from './status.js';
export { STEADY_WINDOW_DAYS, type SteadyState, steadyStateOf } from './steady.js';
export {
  type CoverageSummary,
  type CoverageTotals,
  type ReportStatus,
  summarizeCoverage,
} from './summary.js';
export type * from './types.js';
export { unreadLabel } from './types.js';
