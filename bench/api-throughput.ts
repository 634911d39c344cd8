/**
 * Apply-throughput benchmark (issue 3, 7b): the proxy in front of moto enforces EC2-shaped token
 * buckets of 100 burst and 50/s on CreateSnapshot and DeleteSnapshot, and the tool's client-side
 * buckets are set the same, so a run of 600 creates and 600 deletes should proceed at the limit:
 * creates + deletes per second of the apply phase ÷ 50 (target ≥ 0.85), with 0 failed actions.
 *
 * Run alone with `npx tsx bench/api-throughput.ts`; `bench/index.ts` calls `runApiThroughputBench()`.
 */
import { applyPlan } from '../src/app/run/apply.js';
import { newRunId, planTarget } from '../src/app/run/run.js';
import { createEc2Port } from '../src/aws/ec2-port.js';
import { ThrottleRegistry } from '../src/aws/throttle.js';
import { MOTO_ACCOUNT_ID } from '../test/support/moto/moto.js';
import { PAGE_SIZES, ratioOf } from './support/minimum.js';
import { seedMotoFleet } from './support/moto-fleet.js';
import { BENCH_REGION, BENCH_TAGS, benchConfig, DAY_MS, withMotoTarget } from './support/moto-target.js';
import { isEntryPoint, runStandalone } from './support/process.js';
import type { BenchDefinition, Figures } from './support/report.js';
import { idealSeconds } from './support/throughput.js';

/** 200 instances × 3 volumes: 600 creates; 2 snapshots a volume, minimum 1: 600 deletes. */
const INSTANCES = 200;
const SNAPSHOTS_PER_VOLUME = 2;
const POLICY = 'bench-daily';
const BUCKET = { capacity: 100, refillPerSecond: 50 } as const;
const LIMITED = { CreateSnapshot: BUCKET, DeleteSnapshot: BUCKET };
/** Enough calls in flight that the bucket, not moto's latency, sets the pace. */
const CONCURRENCY = 32;

/**
 * Seed, plan (not timed), then time the apply phase against the bucket-enforcing proxy.
 *
 * @example const figures = await runApiThroughputBench(); // { 'rate ÷ 50/s': 1.18, ... }
 */
export async function runApiThroughputBench(): Promise<Figures> {
  return withMotoTarget(async (target) => {
    const fleet = await seedMotoFleet(target.direct, {
      instances: INSTANCES,
      policy: POLICY,
      snapshotsPerVolume: SNAPSHOTS_PER_VOLUME,
      tags: BENCH_TAGS,
    });
    // Both sides' buckets start full on first use, which is the first create.
    target.proxy.configure({ pageSize: PAGE_SIZES, buckets: LIMITED });
    const throttle = new ThrottleRegistry({ buckets: LIMITED });
    const port = createEc2Port(target.connect(), {
      account: MOTO_ACCOUNT_ID,
      region: BENCH_REGION,
      throttle,
    });
    const now = Date.now() + 3 * DAY_MS;
    const { inventory, plan } = await planTarget(port, benchConfig(POLICY, SNAPSHOTS_PER_VOLUME - 1), {
      now,
      runId: newRunId(now),
    });
    const { create: creates, delete: deletes } = plan.summary;
    target.proxy.resetCounts();
    const started = performance.now();
    const { results } = await applyPlan(plan, port, { concurrency: CONCURRENCY }, inventory);
    const seconds = (performance.now() - started) / 1000;
    const done = results.filter((r) => r.status === 'done').length;
    const calls = target.proxy.counts();
    const faults = target.proxy.faultCounts();
    const ideal = idealSeconds([creates, deletes], BUCKET);
    return {
      fleet: `${fleet.instanceIds.length} instances, ${fleet.volumeIds.length} volumes, ${fleet.snapshotIds.length} snapshots`,
      'seed time (s)': round(fleet.seedSeconds, 1),
      buckets: `proxy and tool: ${BUCKET.capacity} burst, ${BUCKET.refillPerSecond}/s on CreateSnapshot and DeleteSnapshot`,
      concurrency: CONCURRENCY,
      workload: `+${creates} -${deletes}`,
      'apply time (s)': round(seconds, 2),
      'actions done': done,
      'failed actions': results.filter((r) => r.status === 'failed').length,
      'other outcomes (deferred, skipped)':
        results.length - done - results.filter((r) => r.status === 'failed').length,
      'actions per second': round(done / seconds, 1),
      // Creates and deletes run side by side, each under its own bucket: 2 × 50/s at best.
      'rate ÷ 2 × 50/s': ratioOf(done / seconds, 2 * BUCKET.refillPerSecond),
      'ideal apply time (s)': round(ideal, 2),
      'ideal ÷ measured time': ratioOf(ideal, seconds),
      'CreateSnapshot calls': calls.CreateSnapshot ?? 0,
      'DeleteSnapshot calls': calls.DeleteSnapshot ?? 0,
      'RequestLimitExceeded answered': (faults.CreateSnapshot ?? 0) + (faults.DeleteSnapshot ?? 0),
    };
  });
}

const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

export const API_THROUGHPUT_BENCH: BenchDefinition = {
  name: 'api-throughput',
  title: `Apply throughput: moto behind a proxy enforcing ${BUCKET.capacity} burst + ${BUCKET.refillPerSecond}/s per action`,
  checks: [
    { label: 'creates+deletes per s ÷ 2 × 50', key: 'rate ÷ 2 × 50/s', kind: 'at-least', limit: 0.85 },
    { label: 'ideal ÷ measured apply time', key: 'ideal ÷ measured time', kind: 'at-least', limit: 0.85 },
    { label: 'failed actions', key: 'failed actions', kind: 'at-most', limit: 0 },
  ],
  run: runApiThroughputBench,
};

if (isEntryPoint(import.meta.url)) runStandalone(API_THROUGHPUT_BENCH);
