/**
 * Report at fleet scale (issue 9): the 10,000-instance, 30,000-volume, 1,000,000-snapshot fleet
 * of the planner bench, in process. Measures `report` (coverage, sizes, cost) against `plan` of
 * the same inventory (best of 3 each, alternated), and the size of the HTML page and of the JSON
 * document. Runs in a fresh child process.
 *
 * Run alone with `npx tsx bench/report-scale.ts`; `bench/index.ts` runs it as `report`.
 */
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { renderReportPage } from '../src/cli/render/html/report-page.js';
import { reportDocument } from '../src/cli/render/report-json.js';
import { planSnapshots } from '../src/core/plan.js';
import { DEFAULT_PRICES } from '../src/core/report/cost.js';
import { reportCoverage } from '../src/core/report/coverage.js';
import { summarizeCoverage } from '../src/core/report/summary.js';
import { generateFleet } from './generate-fleet.js';
import { PLAN_BENCH_FLEET } from './plan.js';
import {
  isBenchChild,
  isEntryPoint,
  printChildFigures,
  runInChild,
  runStandalone,
} from './support/process.js';
import type { BenchDefinition, Figures } from './support/report.js';

const RUNS = 3;
const MiB = 2 ** 20;

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function timed<T>(work: () => T): { value: T; ms: number } {
  collectGarbage();
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
}

function measure(): Figures {
  const fleet = PLAN_BENCH_FLEET;
  const { inventory, policies } = generateFleet(fleet);
  const now = fleet.now;
  const plan = () => planSnapshots(inventory, policies, { now, runId: 'bench' });
  const report = () => reportCoverage(inventory, policies, { now, prices: DEFAULT_PRICES });
  plan();
  report();
  let planMs = Number.POSITIVE_INFINITY;
  let reportMs = Number.POSITIVE_INFINITY;
  let last = report();
  for (let i = 0; i < RUNS; i++) {
    planMs = Math.min(planMs, timed(plan).ms);
    const r = timed(report);
    reportMs = Math.min(reportMs, r.ms);
    last = r.value;
  }
  const reports = [last];
  const summary = summarizeCoverage(reports, DEFAULT_PRICES);
  const json = timed(() => JSON.stringify(reportDocument(reports, summary, now, DEFAULT_PRICES)));
  const html = timed(() =>
    renderReportPage(reports, summary, {
      now,
      prices: DEFAULT_PRICES,
      document: reportDocument(reports, summary, now, DEFAULT_PRICES),
    }),
  );
  const rows = last.series.length + last.unprotected.length;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    fleet: `${fleet.instances} instances, ${fleet.volumes} volumes, ${fleet.snapshots} snapshots, ${policies.length} policies`,
    'plan (ms, best of 3)': Math.round(planMs),
    'report (ms, best of 3)': Math.round(reportMs),
    'report ÷ plan': Math.round((reportMs / planMs) * 100) / 100,
    coverage: `${summary.totals.series} series (${summary.totals.overdue} OVERDUE), ${summary.totals.unprotected} UNPROTECTED, ${summary.totals.unmanaged.count} unmanaged`,
    'JSON document (MiB)': round(Buffer.byteLength(json.value) / MiB),
    'JSON document (ms)': Math.round(json.ms),
    'HTML page (MiB)': round(Buffer.byteLength(html.value) / MiB),
    'HTML page (ms, with its JSON)': Math.round(html.ms),
    'HTML rows shown': `${Math.min(rows, 5000)} of ${rows} (table), ${Math.min(200, last.series.length)} of ${last.series.length} timelines`,
    'peak RSS (MiB)': Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

export const REPORT_BENCH: BenchDefinition = {
  name: 'report',
  title: `Report: ${PLAN_BENCH_FLEET.volumes} volumes, ${PLAN_BENCH_FLEET.snapshots} snapshots, against plan of the same inventory`,
  checks: [
    { label: 'report time ÷ plan time', key: 'report ÷ plan', kind: 'at-most', limit: 1.5 },
    { label: 'HTML page size', key: 'HTML page (MiB)', kind: 'at-most', limit: 20, unit: 'MiB' },
  ],
  run: () => runInChild(fileURLToPath(import.meta.url), ['--expose-gc', '--max-old-space-size=4096']),
};

if (isEntryPoint(import.meta.url)) {
  if (isBenchChild()) printChildFigures(measure());
  else runStandalone(REPORT_BENCH);
}
