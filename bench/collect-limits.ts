/**
 * P5 inside the deployed worker (issue 19): the largest account × region of the scale targets —
 * 10,000 instances, 30,000 volumes, 1,000,000 snapshots of the bench policies — collected and
 * planned by a process held to the worker's Lambda limits: the heap flags Lambda's Node.js
 * runtime starts with at the worker's MemorySize, and its CPU share (one vCPU at 1,769 MB)
 * imposed from outside with SIGSTOP/SIGCONT (cpu-quota.ts). The fake EC2 is a process of its own
 * over HTTP (fake-ec2-server.ts), 250 ms a page, so neither its data nor its work is charged to
 * the worker; the worker uses the SDK's own HTTP handler, paginators and parser, under EC2's
 * Describe bucket (100 burst, 20 a second per action).
 *
 * Targets at the template's worker MemorySize: collection ÷ the bucket's floor ≤ 1.3, and the
 * process's peak RSS (everything: the runtime, the SDK, the inventory, the plan) ≤ 80% of the
 * MemorySize. A machine shared with other work gives the child less than its share, so each size
 * is also projected on a quiet vCPU: the machine's speed is measured before and after (a bare
 * parse of a page, unthrottled) and the collection's CPU scaled back to a quiet machine's. `BENCH_MEMORY_SIZES=1024,1536,2048` measures other sizes too (the fleet is built
 * once); `BENCH_SCALE=0.1` scales the fleet as collect-scale does.
 *
 * Run alone with `npx tsx bench/collect-limits.ts`.
 */
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { WORKER_MEMORY_MB } from '../src/templates/hub-functions.js';
import { p5Fleet } from './collect-scale.js';
import { lambdaCpuShare, lambdaHeapFlags, type Throttle, throttleProcess } from './support/cpu-quota.js';
import { startFakeEc2Server } from './support/fake-ec2-server-process.js';
import { isEntryPoint, runInChild, runStandalone } from './support/process.js';
import type { BenchDefinition, Figures } from './support/report.js';
import { floorSeconds } from './support/throughput.js';

const LATENCY_MS = 250;
/**
 * A bare DescribeSnapshotsCommand's parse of a page of 1,000 snapshots on this machine when
 * quiet (collect-scale (d), 19.5 ms): the yardstick a loaded run's CPU is scaled back to.
 */
const QUIET_PARSE_MS = 19.5;
const REFILL_PER_SECOND = 20;
/** Peak memory may use this share of the MemorySize: the rest is headroom. */
const MEMORY_SHARE_LIMIT = 0.8;
const KEYS = {
  ratio: `collection ÷ bucket floor at ${WORKER_MEMORY_MB} MB`,
  projected: `projected on a quiet vCPU: collection ÷ bucket floor at ${WORKER_MEMORY_MB} MB`,
  memory: `peak RSS ÷ MemorySize at ${WORKER_MEMORY_MB} MB`,
} as const;

function readSizes(): number[] {
  const listed = (process.env.BENCH_MEMORY_SIZES ?? '').split(',').filter((s) => s.trim() !== '');
  const sizes = listed.map(Number);
  if (sizes.some((n) => !(n >= 128))) throw new RangeError(`BENCH_MEMORY_SIZES: ${listed.join(',')}`);
  return [...new Set([WORKER_MEMORY_MB, ...sizes])];
}

function readScale(): number {
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  if (!(scale > 0)) throw new RangeError(`BENCH_SCALE must be a positive number`);
  return scale;
}

const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

const CHILD = fileURLToPath(new URL('./support/limited-collection.ts', import.meta.url));

/** The machine's speed now: CPU ms of a bare parse of a page, in an unthrottled child. */
async function calibrate(): Promise<number> {
  const figures = await runInChild(CHILD, [], ['0', 'calibrate']);
  return figures['bare parse (CPU ms/page)'] as number;
}

/**
 * The collection on a quiet vCPU at `share`: its CPU, scaled from this run's machine speed to a
 * quiet one's, spread over the run, and never below the bucket's floor.
 */
export function projectedSeconds(
  cpuSeconds: number,
  parseMsNow: number,
  share: number,
  floor: number,
): number {
  return Math.max(floor, (cpuSeconds * (QUIET_PARSE_MS / parseMsNow)) / Math.min(1, share));
}

/** One size: a fresh worker process under that size's limits, against the running fake. */
async function measureSize(memoryMb: number, port: number, bucketCapacity: number): Promise<Figures> {
  const share = lambdaCpuShare(memoryMb);
  let throttle: Throttle | undefined;
  const child = await runInChild(
    CHILD,
    lambdaHeapFlags(memoryMb),
    [String(port), String(bucketCapacity)],
    (spawned) => {
      if (spawned.pid !== undefined) throttle = throttleProcess(spawned.pid, share);
    },
  );
  const held = throttle?.stop();
  const figures: Figures = {
    'CPU share (vCPU)': round(share, 3),
    'heap flags': lambdaHeapFlags(memoryMb).join(' '),
    ...child,
  };
  if (held !== undefined) figures['time held stopped (s)'] = round(held.stoppedMs / 1000, 1);
  return figures;
}

/**
 * Builds the fleet once in the fake's process, then measures each size in turn.
 *
 * @example const figures = await runCollectLimitsBench(); // { 'collection ÷ bucket floor at 1024 MB': 1.1, ... }
 */
export async function runCollectLimitsBench(): Promise<Figures> {
  const scale = readScale();
  const bucket = { capacity: Math.max(1, Math.round(100 * scale)), refillPerSecond: REFILL_PER_SECOND };
  const server = await startFakeEc2Server(p5Fleet(scale, false), LATENCY_MS);
  const figures: Figures = {
    fleet: `${server.ready.instances} instances, ${server.ready.volumes} volumes, ${server.ready.snapshots} snapshots`,
    'service time per page (ms)': LATENCY_MS,
    'Describe bucket (per action)': `${bucket.capacity} burst + ${bucket.refillPerSecond}/s`,
  };
  try {
    for (const memoryMb of readSizes()) {
      const before = await calibrate();
      await server.stats(true);
      const measured = await measureSize(memoryMb, server.ready.port, bucket.capacity);
      const { calls, servingMs } = await server.stats(false);
      const parseMs = (before + (await calibrate())) / 2;
      const floor = floorSeconds(calls, bucket);
      const ratio = round((measured['collection (s)'] as number) / floor, 3);
      const peakMiB = measured['peak RSS, collecting + planning (MiB)'] as number;
      // MemorySize is in MB as Lambda counts them: mebibytes.
      const memoryShare = round(peakMiB / memoryMb, 3);
      const pages = Object.values(calls).reduce((a, b) => a + b, 0);
      const cpu = measured['CPU while collecting (s)'] as number;
      const projected = round(projectedSeconds(cpu, parseMs, lambdaCpuShare(memoryMb), floor) / floor, 3);
      Object.assign(figures, prefixed(memoryMb, measured), {
        [`[${memoryMb} MB] pages`]: pages,
        [`[${memoryMb} MB] machine now: bare parse (CPU ms/page; ${QUIET_PARSE_MS} when quiet)`]: round(
          parseMs,
          1,
        ),
        [`[${memoryMb} MB] CPU per page ÷ bare parse`]: round((cpu * 1000) / pages / parseMs, 2),
        [`[${memoryMb} MB] bucket floor (s)`]: round(floor, 2),
        [`[${memoryMb} MB] fake EC2 writing pages, its own process (s)`]: round(servingMs / 1000, 1),
        [`[${memoryMb} MB] collection ÷ bucket floor`]: ratio,
        [`[${memoryMb} MB] peak RSS ÷ MemorySize`]: memoryShare,
        [`[${memoryMb} MB] projected on a quiet vCPU: collection ÷ bucket floor`]: projected,
      });
      // Each size takes minutes: say where it stands as it goes.
      console.error(
        `  collect-limits: ${memoryMb} MB: ÷ floor ${ratio}, peak RSS ÷ MemorySize ${memoryShare}`,
      );
      if (memoryMb === WORKER_MEMORY_MB)
        Object.assign(figures, {
          [KEYS.ratio]: ratio,
          [KEYS.projected]: projected,
          [KEYS.memory]: memoryShare,
        });
    }
  } finally {
    server.stop();
  }
  return figures;
}

const prefixed = (memoryMb: number, figures: Figures): Figures =>
  Object.fromEntries(Object.entries(figures).map(([key, value]) => [`[${memoryMb} MB] ${key}`, value]));

export const COLLECT_LIMITS_BENCH: BenchDefinition = {
  name: 'collect-limits',
  title: `P5 inside the deployed worker: 1,000,000 snapshots collected + planned under ${WORKER_MEMORY_MB} MB's heap flags and CPU share`,
  checks: [
    { label: 'collection ÷ bucket floor, as measured', key: KEYS.ratio, kind: 'at-most', limit: 1.3 },
    { label: 'collection ÷ bucket floor, on a quiet vCPU', key: KEYS.projected, kind: 'at-most', limit: 1.3 },
    { label: 'peak RSS ÷ MemorySize', key: KEYS.memory, kind: 'at-most', limit: MEMORY_SHARE_LIMIT },
  ],
  run: runCollectLimitsBench,
};

if (isEntryPoint(import.meta.url)) runStandalone(COLLECT_LIMITS_BENCH);
