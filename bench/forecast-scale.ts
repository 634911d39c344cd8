/**
 * Forecast bench (issue 9): `forecast --days 365` of 1,000 volumes (334 instances, 33,000
 * snapshots of history, the planner bench's three policies: an hourly, a daily cron in
 * Europe/Berlin with calendar tiers, a weekly), in process, in a fresh child process.
 *
 * Run alone with `npx tsx bench/forecast-scale.ts`; `bench/index.ts` runs it as `forecast`.
 */
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { forecastPolicies } from '../src/core/report/forecast.js';
import { generateFleet } from './generate-fleet.js';
import {
  isBenchChild,
  isEntryPoint,
  printChildFigures,
  runInChild,
  runStandalone,
} from './support/process.js';
import type { BenchDefinition, Figures } from './support/report.js';

const FLEET = {
  instances: 334,
  volumes: 1000,
  snapshots: 33_000,
  now: Date.parse('2024-05-10T12:00:00Z'),
  seed: 42,
};
const DAYS = 365;

function measure(): Figures {
  const { inventory, policies } = generateFleet(FLEET);
  // Warm up the planner's code paths on a short forecast first.
  forecastPolicies([inventory], policies, { now: FLEET.now, days: 7 });
  const start = performance.now();
  const forecast = forecastPolicies([inventory], policies, { now: FLEET.now, days: DAYS });
  const ms = performance.now() - start;
  const figures: Figures = {
    fleet: `${FLEET.instances} instances, ${FLEET.volumes} volumes, ${FLEET.snapshots} snapshots, ${policies.length} policies`,
    'forecast --days 365 (s)': Math.round(ms / 100) / 10,
  };
  for (const p of forecast.policies) {
    figures[`  ${p.policy}`] =
      `${p.runs} runs, ${p.series} series (+${p.otherSeries} other), ${p.points[0]!.snapshots} → ${p.steady.snapshots} snapshots`;
  }
  figures['peak RSS (MiB)'] = Math.round(process.resourceUsage().maxRSS / 1024);
  return figures;
}

export const FORECAST_BENCH: BenchDefinition = {
  name: 'forecast',
  title: `Forecast: ${DAYS} days of simulated runs over ${FLEET.volumes} volumes`,
  checks: [
    {
      label: 'forecast --days 365, 1,000 volumes',
      key: 'forecast --days 365 (s)',
      kind: 'at-most',
      limit: 10,
      unit: 's',
    },
  ],
  run: () => runInChild(fileURLToPath(import.meta.url)),
};

if (isEntryPoint(import.meta.url)) {
  if (isBenchChild()) printChildFigures(measure());
  else runStandalone(FORECAST_BENCH);
}
