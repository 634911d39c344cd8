/**
 * P5, collection at fleet scale inside one Lambda's budget (issue 10): 10,000 instances, 30,000
 * volumes and 1,000,000 snapshots of the three bench policies, served by the in-process fake EC2
 * on a worker thread (fake-ec2-worker.ts) with 250 ms of service time per page, collected through
 * the EC2 port — the SDK's real paginators and XML parser — under EC2's Describe bucket (100
 * burst, 20 a second per action), then planned.
 *
 * (a) collection wall time ÷ the bucket's floor (pages ÷ 20 a second, less the burst) ≤ 1.3;
 * (b) the same fleet plus 900,000 snapshots of other tools: collection time grows ≤ 10%;
 * (c) peak RSS of the tool, the fake's data apart, ≤ 1 GiB; calls ÷ the minimum ≤ 1.05;
 * (d) parse cost of a page, ours against a bare DescribeSnapshotsCommand (parse-cost.ts).
 * Each part measures in a fresh child process. `BENCH_SCALE=0.1` scales the fleet, and the burst
 * with it (so the same share of pages waits for the refill).
 *
 * Run alone with `npx tsx bench/collect-scale.ts`; `bench/index.ts` calls `runCollectScaleBench()`.
 */
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { createAwsClients } from '../src/aws/clients.js';
import { createEc2Port } from '../src/aws/ec2-port.js';
import { ThrottleRegistry } from '../src/aws/throttle.js';
import { planSnapshots } from '../src/core/plan.js';
import { benchPolicies } from './generate-fleet.js';
import {
  compareCalls,
  MINIMUM_IN_SPEC_TERMS,
  minimumInventoryCalls,
  ratioOf,
  totalCalls,
} from './support/minimum.js';
import type { P5FleetOptions } from './support/p5-fleet.js';
import { measureParseCost } from './support/parse-cost.js';
import {
  isBenchChild,
  isEntryPoint,
  printChildFigures,
  runInChild,
  runStandalone,
} from './support/process.js';
import type { BenchDefinition, Figures } from './support/report.js';
import { floorSeconds } from './support/throughput.js';
import { startWorkerEc2 } from './support/worker-ec2.js';

const FULL = {
  instances: 10_000,
  volumes: 30_000,
  managed: 1_000_000,
  unmanaged: 900_000,
  locked: 1_000,
  archived: 2_000,
};
const NOW = Date.parse('2024-05-10T12:00:00Z');
const LATENCY_MS = 250;
const REFILL_PER_SECOND = 20;
const MiB = 2 ** 20;
const KEYS = {
  ratio: '(a) collection ÷ bucket floor',
  growth: '(b) growth with the other tools’ snapshots',
  rss: '(c) peak RSS − RSS before (MiB)',
  calls: '(c) calls ÷ minimum',
} as const;

function readScale(): number {
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  if (!(scale > 0))
    throw new RangeError(`BENCH_SCALE must be a positive number, not ${process.env.BENCH_SCALE}`);
  return scale;
}

/** The fleet at `scale`, with or without the other tools' snapshots. */
export function p5Fleet(scale: number, withOthers: boolean): P5FleetOptions {
  const at = (n: number) => Math.max(1, Math.round(n * scale));
  return {
    instances: at(FULL.instances),
    volumes: at(FULL.volumes),
    managed: at(FULL.managed),
    unmanaged: withOthers ? at(FULL.unmanaged) : 0,
    locked: at(FULL.locked),
    archived: at(FULL.archived),
    now: NOW,
  };
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** One child's work for (a) or (b): serve, collect, plan, measure. */
async function measureCollection(withOthers: boolean): Promise<Figures> {
  const scale = readScale();
  const fleet = p5Fleet(scale, withOthers);
  const ec2 = await startWorkerEc2(fleet, LATENCY_MS);
  gc();
  const rssBefore = process.memoryUsage().rss;
  const bucket = { capacity: Math.max(1, Math.round(100 * scale)), refillPerSecond: REFILL_PER_SECOND };
  const region = 'eu-west-1';
  const account = '111122223333';
  const clients = createAwsClients({
    region,
    credentials: { accessKeyId: 'b', secretAccessKey: 'b' },
    requestHandler: ec2.handler,
  });
  const port = createEc2Port(clients, {
    account,
    region,
    throttle: new ThrottleRegistry({ describe: bucket }),
  });
  const policies = benchPolicies();
  const busy = performance.eventLoopUtilization();
  const started = performance.now();
  const inventory = await port.collectInventory({ policyIds: policies.map((p) => p.id) });
  const seconds = (performance.now() - started) / 1000;
  const mainThread = performance.eventLoopUtilization(busy);
  const peakCollecting = process.resourceUsage().maxRSS * 1024;
  const plan = planSnapshots(inventory, policies, { now: NOW, runId: 'bench' });
  const planningMs = performance.now() - started - seconds * 1000;
  const peak = process.resourceUsage().maxRSS * 1024;
  const calls = ec2.counts();
  const listed = {
    instances: inventory.instances.length,
    volumes: inventory.volumes.length,
    snapshots: inventory.snapshots.length,
    images: inventory.images.length,
    locked: inventory.snapshots.filter((s) => s.locked).length,
    archived: inventory.snapshots.filter((s) => s.storageTier === 'archive').length,
  };
  const minimum = minimumInventoryCalls(listed);
  const floor = floorSeconds(calls, bucket);
  const servingMs = await ec2.servingMs();
  await ec2.stop();
  const pages = totalCalls(calls);
  const figures: Figures = {
    fleet: `${ec2.fleet.instances} instances, ${ec2.fleet.volumes} volumes, ${fleet.managed} snapshots of the policies (${fleet.locked} locked, ${fleet.archived} archived), ${fleet.unmanaged} of other tools`,
    collected: `${listed.instances} instances, ${listed.volumes} volumes, ${listed.snapshots} snapshots (${listed.locked} locked, ${listed.archived} archived), ${listed.images} images; gaps: ${inventory.gaps?.length ?? 0}`,
    'service time per page (ms)': LATENCY_MS,
    'Describe bucket (per action)': `${bucket.capacity} burst + ${bucket.refillPerSecond}/s`,
    'collection (s)': round(seconds, 2),
    'bucket floor (s): the busiest action’s pages less the burst, at 20/s': round(floor, 2),
    'collection ÷ floor': round(seconds / floor, 3),
    'main thread busy while collecting (s)': round(mainThread.active / 1000, 2),
    'main thread busy per page (ms)': round(mainThread.active / pages, 1),
    'fake EC2 writing pages, on its worker (s)': round(servingMs / 1000, 2),
    'planning (ms)': Math.round(planningMs),
    plan: `+${plan.summary.create} -${plan.summary.delete} =${plan.summary.keep} skip ${plan.summary.skip}`,
    'RSS before collecting (MiB; the fake’s data)': Math.round(rssBefore / MiB),
    'peak RSS − RSS before, collecting (MiB)': Math.round((peakCollecting - rssBefore) / MiB),
    'peak RSS − RSS before, collecting + planning (MiB)': Math.round((peak - rssBefore) / MiB),
  };
  for (const [action, count, least] of compareCalls(calls, minimum))
    figures[`calls ${action}`] = `${count} (minimum ${least})`;
  figures['minimum, SPEC §8 terms'] = MINIMUM_IN_SPEC_TERMS;
  figures['calls ÷ minimum'] = ratioOf(pages, totalCalls(minimum));
  return figures;
}

const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Figures of one part, each key prefixed with the part's letter. */
const part = (letter: string, figures: Figures): Figures =>
  Object.fromEntries(Object.entries(figures).map(([key, value]) => [`(${letter}) ${key}`, value]));

/**
 * Measure (a), (b) and (d), each in a fresh Node process (peak RSS is then that part's alone).
 *
 * @example const figures = await runCollectScaleBench(); // { '(a) collection ÷ bucket floor': 1.04, ... }
 */
export async function runCollectScaleBench(): Promise<Figures> {
  const file = fileURLToPath(import.meta.url);
  // Node's default heap limits, as the CLI runs; --expose-gc only for one collection before measuring.
  const managed = await runInChild(file, ['--expose-gc'], ['managed']);
  const withOthers = await runInChild(file, ['--expose-gc'], ['with-others']);
  const parse = await runInChild(file, [], ['parse']);
  const a = managed['collection (s)'] as number;
  const b = withOthers['collection (s)'] as number;
  return {
    ...part('a', managed),
    ...part('b', withOthers),
    ...part('d', parse),
    [KEYS.ratio]: managed['collection ÷ floor'] as number,
    [KEYS.growth]: round(b / a - 1, 3),
    [KEYS.rss]: Math.max(
      managed['peak RSS − RSS before, collecting + planning (MiB)'] as number,
      withOthers['peak RSS − RSS before, collecting + planning (MiB)'] as number,
    ),
    [KEYS.calls]: managed['calls ÷ minimum'] as number,
  };
}

export const COLLECT_SCALE_BENCH: BenchDefinition = {
  name: 'collect-scale',
  title:
    'P5 collection at scale: fake EC2 on a worker (250 ms a page), real SDK paginators and parser, Describe bucket 100 + 20/s',
  checks: [
    { label: 'collection ÷ bucket floor', key: KEYS.ratio, kind: 'at-most', limit: 1.3 },
    { label: 'growth with 900,000 other snapshots', key: KEYS.growth, kind: 'at-most', limit: 0.1 },
    { label: 'peak RSS beyond the fake’s data', key: KEYS.rss, kind: 'at-most', limit: 1024, unit: 'MiB' },
    { label: 'inventory calls ÷ minimum', key: KEYS.calls, kind: 'at-most', limit: 1.05 },
  ],
  run: runCollectScaleBench,
};

if (isEntryPoint(import.meta.url)) {
  if (isBenchChild()) {
    const which = process.argv.at(-1);
    const work = which === 'parse' ? measureParseCost() : measureCollection(which === 'with-others');
    work.then(printChildFigures, (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
  } else {
    runStandalone(COLLECT_SCALE_BENCH);
  }
}
