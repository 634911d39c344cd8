/**
 * Collection at fleet scale (issue 3, 7c): 10,000 instances, 30,000 volumes and 1,000,000
 * snapshots served in process by the fake EC2 request handler (test/support/fake-ec2.ts), so the
 * SDK's real serializers, paginators and XML parser run; collected through the EC2 port, then
 * planned. Prints collection and planning time, peak RSS, and calls per action vs SPEC §8.
 *
 * The client-side buckets are raised: EC2's Describe* bucket (100 burst, 20/s) would make this
 * run 1,000+ pages wait ~50 s on the clock, which measures the bucket, not the code.
 * `BENCH_SCALE=0.1` scales the fleet for a quick run. The measuring runs in a fresh child
 * process, so its peak RSS is its own.
 *
 * Run alone with `npx tsx bench/collect-scale.ts`; `bench/index.ts` calls `runCollectScaleBench()`.
 */
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { createAwsClients } from '../src/aws/clients.js';
import { createEc2Port } from '../src/aws/ec2-port.js';
import { ThrottleRegistry } from '../src/aws/throttle.js';
import { planSnapshots } from '../src/core/plan.js';
import { createFakeEc2, type FakeEc2 } from '../test/support/fake-ec2.js';
import { type FleetOptions, generateFleet } from './generate-fleet.js';
import { compareCalls, minimumInventoryCalls, ratioOf, totalCalls } from './support/minimum.js';
import {
  isBenchChild,
  isEntryPoint,
  printChildFigures,
  quietSdkNotice,
  runInChild,
  runStandalone,
} from './support/process.js';
import type { BenchDefinition, Figures } from './support/report.js';

const FULL = { instances: 10_000, volumes: 30_000, snapshots: 1_000_000 } as const;
const UNLIMITED = { capacity: 1_000_000, refillPerSecond: 1_000_000 };
const MiB = 2 ** 20;

/** The fleet at `BENCH_SCALE` (default 1). */
export function scaledFleet(scale: number): FleetOptions {
  const at = (n: number) => Math.max(1, Math.round(n * scale));
  return {
    instances: at(FULL.instances),
    volumes: at(FULL.volumes),
    snapshots: at(FULL.snapshots),
    now: Date.parse('2024-05-10T12:00:00Z'),
    seed: 42,
  };
}

function readScale(): number {
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  if (!(scale > 0))
    throw new RangeError(`BENCH_SCALE must be a positive number, not ${process.env.BENCH_SCALE}`);
  return scale;
}

/** The child's work: generate, serve, collect, plan, measure. */
async function measure(): Promise<Figures> {
  const fleet = scaledFleet(readScale());
  const { inventory: source, policies } = generateFleet(fleet);
  collectGarbage();
  const rssBefore = process.memoryUsage().rss;
  const fake = createFakeEc2([source]);
  let servingMs = 0;
  // The fake's own work (selecting and writing XML pages) is not the tool's: time it apart.
  const timedFake: FakeEc2 = {
    ...fake,
    handle: async (request) => {
      const start = performance.now();
      try {
        return await fake.handle(request);
      } finally {
        servingMs += performance.now() - start;
      }
    },
  };
  const clients = createAwsClients({
    region: source.region,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestHandler: timedFake,
  });
  const throttle = new ThrottleRegistry({ describe: UNLIMITED, fallback: UNLIMITED });
  const port = createEc2Port(clients, { account: source.account, region: source.region, throttle });
  const started = performance.now();
  const inventory = await port.collectInventory({ policyIds: policies.map((p) => p.id) });
  const collected = performance.now();
  const plan = planSnapshots(inventory, policies, { now: fleet.now, runId: 'bench' });
  const planned = performance.now();
  const peak = process.resourceUsage().maxRSS * 1024;
  const listed = {
    instances: inventory.instances.length,
    volumes: inventory.volumes.length,
    snapshots: inventory.snapshots.length,
    images: inventory.images.length,
  };
  const calls = fake.counts();
  const minimum = minimumInventoryCalls(listed);
  const figures: Figures = {
    fleet: `${fleet.instances} instances, ${fleet.volumes} volumes, ${fleet.snapshots} snapshots`,
    collected: `${listed.instances} instances (not terminated), ${listed.volumes} volumes, ${listed.snapshots} snapshots (own), ${listed.images} images`,
    'client buckets': 'raised to 1,000,000/s (in process; throttling would dominate)',
    'collection (ms)': Math.round(collected - started),
    '  of which the fake writing XML (ms)': Math.round(servingMs),
    'planning (ms)': Math.round(planned - collected),
    'collection + planning (ms)': Math.round(planned - started),
    plan: `+${plan.summary.create} -${plan.summary.delete} =${plan.summary.keep} skip ${plan.summary.skip}`,
    'RSS before collecting (MiB; the fake’s data)': Math.round(rssBefore / MiB),
    'peak RSS (MiB)': Math.round(peak / MiB),
    'peak RSS − RSS before (MiB)': Math.round((peak - rssBefore) / MiB),
  };
  for (const [action, count, least] of compareCalls(calls, minimum)) {
    figures[`calls ${action}`] = `${count} (minimum ${least})`;
  }
  figures['calls ÷ minimum'] = ratioOf(totalCalls(calls), totalCalls(minimum));
  return figures;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Measure in a fresh Node process (peak RSS is then this bench's alone).
 *
 * @example const figures = await runCollectScaleBench(); // { 'collection (ms)': 31000, ... }
 */
export function runCollectScaleBench(): Promise<Figures> {
  // Node's default heap limits, as the CLI runs; --expose-gc only for one collection before measuring.
  return runInChild(fileURLToPath(import.meta.url), ['--expose-gc']);
}

export const COLLECT_SCALE_BENCH: BenchDefinition = {
  name: 'collect-scale',
  title:
    'Collection at scale: fake EC2 request handler in process, real SDK paginators and parser, then plan',
  checks: [
    { label: 'inventory calls ÷ minimum', key: 'calls ÷ minimum', kind: 'at-most', limit: 1.05 },
    {
      label: 'peak RSS beyond the fake’s data',
      key: 'peak RSS − RSS before (MiB)',
      kind: 'at-most',
      limit: 1024,
      unit: 'MiB',
    },
  ],
  run: runCollectScaleBench,
};

if (isEntryPoint(import.meta.url)) {
  if (isBenchChild()) {
    quietSdkNotice();
    measure().then(printChildFigures, (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
  } else {
    runStandalone(COLLECT_SCALE_BENCH);
  }
}
