/**
 * Planner benchmark (issue 2): one account × region with 10,000 instances, 30,000 volumes and
 * 1,000,000 snapshots. Measures planning wall time (best of several runs after a warm-up), the
 * peak RSS of a process that only generates the fleet and plans, and the ratio of planning time
 * to `JSON.parse` of the same inventory as JSON, measured in a separate process so the JSON text
 * does not count toward the planner's memory.
 *
 * Run on its own with `npx tsx bench/plan.ts`; `bench/index.ts` calls `runPlanBench()`.
 */
import { spawn } from 'node:child_process';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { planSnapshots } from '../src/core/plan.js';
import { type FleetOptions, generateFleet } from './generate-fleet.js';

export const PLAN_BENCH_FLEET: FleetOptions = {
  instances: 10_000,
  volumes: 30_000,
  snapshots: 1_000_000,
  now: Date.parse('2024-05-10T12:00:00Z'),
  seed: 42,
};
const RUNS = 5;
const TARGETS = { planMs: 2000, rssMiB: 1024, ratio: 1.0 };

type Measures = Record<string, number | string>;

/** Child: generate, warm up, plan RUNS times; report the best time and peak RSS. */
function measurePlanning(fleet: FleetOptions): Measures {
  const { inventory, policies } = generateFleet(fleet);
  const options = { now: fleet.now, runId: 'bench' };
  let plan = planSnapshots(inventory, policies, options);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    collectGarbage();
    const start = performance.now();
    plan = planSnapshots(inventory, policies, options);
    best = Math.min(best, performance.now() - start);
  }
  const { create, delete: deletes, keep, skip } = plan.summary;
  return {
    planMs: round(best),
    rssMiB: round(process.resourceUsage().maxRSS / 1024),
    actions: plan.actions.length,
    create,
    delete: deletes,
    keep,
    skip,
  };
}

/** Child: serialize the same inventory, then JSON.parse it RUNS times; report the best time. */
function measureJsonParse(fleet: FleetOptions): Measures {
  const text = JSON.stringify(generateFleet(fleet).inventory);
  JSON.parse(text);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    collectGarbage();
    const start = performance.now();
    JSON.parse(text);
    best = Math.min(best, performance.now() - start);
  }
  return { parseMs: round(best), jsonMiB: round(Buffer.byteLength(text) / 2 ** 20) };
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** Run this file in a fresh Node process in `mode` and return what it printed as JSON. */
function runChild(mode: 'plan' | 'json'): Promise<Measures> {
  const file = fileURLToPath(import.meta.url);
  const args = ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', file, `--child=${mode}`];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`bench child ${mode} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Measures);
    });
  });
}

/**
 * Measure the planner at fleet scale; each measurement runs in its own process.
 *
 * @example const figures = await runPlanBench(); // { planMs, rssMiB, parseMs, ratio, ... }
 */
export async function runPlanBench(): Promise<Measures> {
  const planning = await runChild('plan');
  const json = await runChild('json');
  const ratio = Math.round((Number(planning.planMs) / Number(json.parseMs)) * 100) / 100;
  return { ...planning, ...json, ratio };
}

function printTable(m: Measures): void {
  const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');
  const rows: [string, string, string, string][] = [
    [
      'planning time (best of 5)',
      `${m.planMs} ms`,
      `≤ ${TARGETS.planMs} ms`,
      ok(Number(m.planMs) <= TARGETS.planMs),
    ],
    [
      'peak RSS (generate + plan)',
      `${m.rssMiB} MiB`,
      `≤ ${TARGETS.rssMiB} MiB`,
      ok(Number(m.rssMiB) <= TARGETS.rssMiB),
    ],
    ['JSON.parse of the inventory', `${m.parseMs} ms (${m.jsonMiB} MiB)`, '', ''],
    ['planning ÷ JSON.parse', String(m.ratio), `≤ ${TARGETS.ratio}`, ok(Number(m.ratio) <= TARGETS.ratio)],
    ['actions', `${m.actions}: +${m.create} -${m.delete} =${m.keep} skip ${m.skip}`, '', ''],
  ];
  const fleet = PLAN_BENCH_FLEET;
  console.log(
    `planner: ${fleet.instances} instances, ${fleet.volumes} volumes, ${fleet.snapshots} snapshots`,
  );
  for (const [label, value, target, verdict] of rows) {
    console.log(`  ${label.padEnd(30)} ${value.padEnd(34)} ${target.padEnd(12)} ${verdict}`);
  }
}

async function main(): Promise<void> {
  const child = process.argv.find((a) => a.startsWith('--child='))?.slice('--child='.length);
  if (child === 'plan') console.log(JSON.stringify(measurePlanning(PLAN_BENCH_FLEET)));
  else if (child === 'json') console.log(JSON.stringify(measureJsonParse(PLAN_BENCH_FLEET)));
  else printTable(await runPlanBench());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
