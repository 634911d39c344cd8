/**
 * `npm run bench`: the planner bench (issue 2), then the API benches of issue 3 — calls of one
 * run against moto (a), apply throughput under EC2-shaped buckets (b) — P5, collection at fleet
 * scale under the Describe bucket (issue 10, `collect-scale`), report and forecast at scale
 * (issue 9), saved inventories written and read back at that scale (`inventory-file`) and P4, work
 * per worker invocation (issue 6), restore drills' calls per run (issue 16, `drills`), the fan-out at
 * organization scale (issue 19, `fanout-scale`), P5 inside the deployed worker's memory and CPU share
 * (issue 19, `collect-limits`) and the deployment's own monthly bill (issue 19, `cost`) — one after
 * the other, each printed as it ends, then a summary of every target.
 *
 * `npm run bench -- plan api-calls` runs only the named benches. Exit code 1 when a bench could
 * not run; a missed target is reported as MISS, not as a failure of the command.
 */
import process from 'node:process';
import { API_CALLS_BENCH } from './api-calls.js';
import { API_THROUGHPUT_BENCH } from './api-throughput.js';
import { COLLECT_LIMITS_BENCH } from './collect-limits.js';
import { COLLECT_SCALE_BENCH } from './collect-scale.js';
import { COST_BENCH } from './cost.js';
import { DEPLOY_BENCH } from './deploy.js';
import { DRILLS_BENCH } from './drills.js';
import { EMPTY_TARGET_BENCH } from './empty-target.js';
import { FANOUT_SCALE_BENCH } from './fanout-scale.js';
import { FORECAST_BENCH } from './forecast-scale.js';
import { FREEZE_BENCH } from './freeze.js';
import { INVENTORY_FILE_BENCH } from './inventory-file.js';
import { PLAN_BENCH_FLEET, runPlanBench } from './plan.js';
import { REPORT_BENCH } from './report-scale.js';
import { STARTUP_BENCH } from './startup.js';
import {
  allPassed,
  type BenchDefinition,
  type BenchOutcome,
  formatOutcome,
  formatSummary,
} from './support/report.js';
import { selectBenches } from './support/select.js';
import { WORKER_BENCH } from './worker-invocation.js';

const PLAN_BENCH: BenchDefinition = {
  name: 'plan',
  title: `Planner: ${PLAN_BENCH_FLEET.instances} instances, ${PLAN_BENCH_FLEET.volumes} volumes, ${PLAN_BENCH_FLEET.snapshots} snapshots`,
  checks: [
    { label: 'planning time', key: 'planMs', kind: 'at-most', limit: 2000, unit: 'ms' },
    { label: 'peak RSS (generate + plan)', key: 'rssMiB', kind: 'at-most', limit: 1024, unit: 'MiB' },
    { label: 'planning ÷ JSON.parse', key: 'ratio', kind: 'at-most', limit: 1.0 },
  ],
  run: runPlanBench,
};

export const SUITE: readonly BenchDefinition[] = [
  PLAN_BENCH,
  API_CALLS_BENCH,
  API_THROUGHPUT_BENCH,
  COLLECT_SCALE_BENCH,
  COLLECT_LIMITS_BENCH,
  WORKER_BENCH,
  REPORT_BENCH,
  FORECAST_BENCH,
  INVENTORY_FILE_BENCH,
  DEPLOY_BENCH,
  STARTUP_BENCH,
  FREEZE_BENCH,
  DRILLS_BENCH,
  FANOUT_SCALE_BENCH,
  EMPTY_TARGET_BENCH,
  COST_BENCH,
];

async function runOne(bench: BenchDefinition): Promise<BenchOutcome> {
  console.log(`\n▶ ${bench.name} …`);
  const started = performance.now();
  try {
    const figures = await bench.run();
    return { bench, figures, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { bench, error: message, seconds: (performance.now() - started) / 1000 };
  }
}

async function main(names: readonly string[]): Promise<number> {
  const benches = selectBenches(names, SUITE);
  const outcomes: BenchOutcome[] = [];
  for (const bench of benches) {
    const outcome = await runOne(bench);
    outcomes.push(outcome);
    console.log(formatOutcome(outcome));
  }
  console.log(`\n${formatSummary(outcomes)}`);
  console.log(
    allPassed(outcomes) ? '  every target met' : '  some targets missed (MISS) or could not be measured',
  );
  return outcomes.some((o) => o.figures === undefined) ? 1 : 0;
}

main(process.argv.slice(2).filter((arg) => !arg.startsWith('-'))).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
