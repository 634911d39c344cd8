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
export { type Forecast, type ForecastOptions, forecastPolicies, type PolicyForecast } from './forecast.js';
export type { CoverageStatus } from './status.js';
export type * from './types.js';
