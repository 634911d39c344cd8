/**
 * The deployment's own monthly bill (issue 19): per-target figures measured here — one typical
 * non-empty target (50 volumes on a daily policy) and one empty target, each run through the
 * real worker handler in process (target-run.ts) — fed to the cost model (support/cost-model.ts)
 * for 10, 100 and 1,000 accounts × 17 regions, hourly and daily.
 *
 * The empty-target path is measured by bench/empty-target.ts's own harness (1,000 empty targets
 * through the real worker in batches), run here; the fan-out ({@link FANOUT}) and the cold start
 * ({@link COLD_START}) are constants taken from bench/fanout-scale.ts and bench/startup.ts.
 *
 * Run alone with `npx tsx bench/cost.ts`.
 */
import { type Inventory, type Snapshot, snapshotId, TAG, type Volume, volumeId } from '../src/core/model.js';
import type { Runtime } from '../src/lambda/runtime.js';
import { WORK_BATCH_SIZE, WORKER_MEMORY_MB } from '../src/templates/hub-functions.js';
import { memoryTargetMemory } from '../test/support/fakes/exclusive.js';
import { type EmptyTargetMeasure, measureEmptyTargets } from './empty-target.js';
import { fakePortFor, memoryDeployment } from './support/bench-deployment.js';
import { type Fleet, PRICES_AS_OF, type TargetFigures } from './support/cost-model.js';
import { costTable, fleetBill, fleetsOf } from './support/cost-table.js';
import { lambdaCpuShare } from './support/cpu-quota.js';
import { createMutableFakeEc2 } from './support/mutable-fake-ec2.js';
import { isEntryPoint, runStandalone } from './support/process.js';
import type { BenchDefinition, Figures } from './support/report.js';
import { counted, type MeasuredRun, measureInvocation, slowed, UnitCounter } from './support/target-run.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const DAY = 86_400_000;
const VOLUMES = 50;
/** The share of a fleet's targets that hold anything: 2 regions of 17 in use per account. */
export const NON_EMPTY_SHARE = 2 / 17;

/**
 * The worker's init (billed since August 2025), from bench/startup.ts: importing `worker.mjs` with
 * `--enable-source-maps`, as deployed, costs about 0.3 s of CPU (2026-12-06), stretched by the CPU
 * share; and how many invocations start cold (hourly runs find no warm environment; one in ten
 * invocations is a new one as concurrency grows).
 */
export const COLD_START = { initCpuMs: 300, coldShare: 0.1 };

/** A target's share of cold starts' init, billed ms: its invocations' share of those that start cold. */
const coldStartMs = (invocations: number, cpuShare: number): number =>
  (COLD_START.initCpuMs / cpuShare) * COLD_START.coldShare * invocations;

/**
 * The fan-out's share of a run, from bench/fanout-scale.ts: 17,000 targets of 1,000 accounts queued
 * in 10.3–10.4 s at 20–60 ms a call (2026-12-06), about 2 s of it listing the organization.
 */
export const FANOUT = { memoryMb: 256, baseMs: 2_000, msPerAccount: 8.5, logBytesPerAccount: 300 };

/** One JSON log line (`target done`, compact) per empty target; the run record an empty target leaves. */
const EMPTY_LOG_BYTES = 400;
const EMPTY_RECORD_BYTES = 300;

/**
 * An empty target's figures from bench/empty-target.ts's measurement: its share of an invocation
 * that takes a whole batch (the wall time scaled from the bench's EC2 latency to 100 ms, the checks'
 * AssumeRole rounds added, the CPU stretched by the worker's share, a cold start in ten).
 */
export function emptyPathFigures(measured: EmptyTargetMeasure, memoryMb: number): TargetFigures {
  const share = Math.min(1, lambdaCpuShare(memoryMb));
  const perInvocation = measured.targets / measured.invocations;
  const invocations = measured.invocations / measured.targets;
  // The checks run 25 at a time: each round waits for its targets' roles once.
  const rounds = Math.ceil(perInvocation / 25);
  const wallMs = measured.empty.wallMs * (100 / measured.latencyMs) + rounds * ASSUME_ROLE_MS;
  const cpuMs = measured.empty.cpuMs / measured.targets;
  const initMs = coldStartMs(invocations, share);
  return {
    invocations,
    billedMs: wallMs / perInvocation + cpuMs * (1 / share - 1) + initMs,
    // Its share of a SendMessageBatch (10 a call), of the event source's ReceiveMessage and its DeleteMessageBatch.
    sqsRequests: 0.1 + 0.1 + 0.1,
    dynamoWriteUnits: measured.table.recordWrites / measured.targets,
    dynamoReadUnits: measured.table.configReads / measured.targets,
    storedBytes: EMPTY_RECORD_BYTES,
    logBytes: EMPTY_LOG_BYTES + PLATFORM_LOG_BYTES * invocations,
    metricSeries: 0,
  };
}

/** Lambda's START, END and REPORT lines of one invocation. */
const PLATFORM_LOG_BYTES = 350;
/** One AssumeRole per target into the member account. */
const ASSUME_ROLE_MS = 150;

const POLICY = `version: 1
policies:
  - id: daily
    select: {volumes: {tag:Backup: "true"}}
    schedule: {every: 1 day}
    retention: {max_age: 7 days, minimum: 3}
`;

/** `volumes` volumes with a snapshot a day for 7 days, the newest 25 hours old: each due, and one expired each. */
function typicalInventory(now: number, volumes: number): Inventory {
  const vols: Volume[] = [];
  const snapshots: Snapshot[] = [];
  for (let i = 0; i < volumes; i++) {
    const id = volumeId(`vol-${i.toString(16).padStart(17, '0')}`);
    vols.push({ id, tags: { Backup: 'true' }, type: 'gp3', sizeGiB: 100, attachments: [] });
    for (let age = 1; age <= 7; age++)
      snapshots.push({
        id: snapshotId(`snap-${(i * 7 + age).toString(16).padStart(17, 'a')}`),
        volumeId: id,
        ownerId: ACCOUNT,
        state: 'completed',
        startTime: now - age * DAY - 3_600_000,
        tags: { [TAG.policy]: 'daily', [TAG.volumeId]: id },
        sizeGiB: 100,
      });
  }
  return { account: ACCOUNT, region: REGION, instances: [], volumes: vols, snapshots, images: [] };
}

/**
 * Two runs of one target: the first has work (creates and deletes), the second, at once after,
 * none. A warm-up target goes first, so these are a warm worker's (cold starts: {@link COLD_START}).
 */
async function measureTarget(volumes: number): Promise<{ work: MeasuredRun; idle: MeasuredRun }> {
  const now = Date.now();
  const bucket = { capacity: 1000, refillPerSecond: 1000 };
  const fake = createMutableFakeEc2(typicalInventory(now, volumes), bucket);
  const deployment = memoryDeployment({
    name: 'default',
    text: POLICY,
    updatedAt: new Date().toISOString(),
    sha256: '',
  });
  const units = new UnitCounter();
  const calls: Record<string, number> = {};
  const memory = memoryTargetMemory();
  const runtime: Runtime = {
    env: { table: 'bench', queueUrl: 'bench', configName: 'default' },
    ...deployment,
    configs: counted(deployment.configs, units, ['get', 'list']),
    leases: counted(deployment.leases, units, []),
    records: counted(deployment.records, units, ['list']),
    handoffs: counted(deployment.handoffs, units, []),
    runs: counted(deployment.runs, units, ['since', 'latest', 'get']),
    memory: {
      open: async (key) => {
        units.read();
        return counted(await memory.open(key), units, ['entries']);
      },
    },
    identity: async () => ({ account: ACCOUNT, partition: 'aws' }),
    organizationAccounts: async () => [],
    isOrganizationMember: async () => false,
    regionsOf: async () => [REGION],
    portFor: fakePortFor(() => slowed(fake.handler(), calls)),
    notifiersFor: () => [],
  };
  const item = (runId: string) => ({ account: ACCOUNT, region: REGION, run_id: runId, continuation: 0 });
  const counters = { units, calls };
  const warmUp = { account: ACCOUNT, region: 'eu-west-1', run_id: `r-warm-${now}`, continuation: 0 };
  await measureInvocation(runtime, deployment, warmUp, counters);
  const work = await measureInvocation(runtime, deployment, item(`r-work-${now}`), counters);
  const idle = await measureInvocation(runtime, deployment, item(`r-idle-${now}`), counters);
  return { work, idle };
}

/**
 * Small targets with work (fewer than 100 volumes and 1,000 snapshots: the typical one) are worked on
 * side by side, 8 at a time, inside the batch invocation that looked at them: a batch of 100 holds
 * about 12 of them at {@link NON_EMPTY_SHARE}, so each shares its invocation's waiting with 7 others.
 */
const SIDE_BY_SIDE = Math.min(8, Math.round(WORK_BATCH_SIZE * NON_EMPTY_SHARE));

/**
 * A run's figures as Lambda bills them: the wall time measured with AWS's latencies and the role
 * (shared by the `sideBySide` targets worked on at once in one invocation), the CPU at the worker's
 * share (never shared: CPU time adds up), and the cold starts' init. `sideBySide` 1 is a target
 * with an invocation of its own, as every target had before batches.
 */
export function asTargetFigures(run: MeasuredRun, memoryMb: number, sideBySide = 1): TargetFigures {
  const share = Math.min(1, lambdaCpuShare(memoryMb));
  const own = sideBySide === 1;
  const invocations = (own ? 1 : 1 / WORK_BATCH_SIZE) + run.continuations;
  const initMs = coldStartMs(invocations, share);
  const cpuMs = Math.max(0, run.cpuMs);
  const waitedMs = Math.max(0, run.wallMs - cpuMs) + ASSUME_ROLE_MS;
  return {
    invocations,
    billedMs: waitedMs / sideBySide + cpuMs / share + initMs,
    // Its share of a SendMessageBatch, then the event source's ReceiveMessage and DeleteMessageBatch
    // (10 messages a call each in a batch; one each for an invocation of its own), and continuations.
    sqsRequests: 0.1 + (own ? 2 : 0.2) + run.continuations,
    dynamoWriteUnits: run.dynamoWriteUnits,
    dynamoReadUnits: run.dynamoReadUnits,
    storedBytes: run.storedBytes,
    logBytes: run.logBytes + PLATFORM_LOG_BYTES * invocations,
    metricSeries: run.metricSeries,
  };
}

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runCostBench(): Promise<Figures> {
  // The worker's logs and metrics are part of the bill: measured as deployed, whatever an earlier
  // bench in this process silenced.
  const saved = { level: process.env.POWERTOOLS_LOG_LEVEL, metrics: process.env.POWERTOOLS_METRICS_DISABLED };
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  const typical = await measureTarget(VOLUMES);
  const empty = await measureTarget(0);
  restoreEnv('POWERTOOLS_LOG_LEVEL', saved.level);
  restoreEnv('POWERTOOLS_METRICS_DISABLED', saved.metrics);
  const memoryMb = WORKER_MEMORY_MB;
  const figures: Figures = {
    prices: `us-east-1 public prices of ${PRICES_AS_OF}, arm64 Lambda, no free tier`,
    'worker memory (MB)': memoryMb,
    'non-empty share of targets': round(NON_EMPTY_SHARE, 3),
  };
  for (const [name, run] of [
    ['typical target, run with work', typical.work],
    ['typical target, run without work', typical.idle],
    ['empty target, today’s full path', empty.idle],
  ] as const)
    figures[name] =
      `${round(run.wallMs)} ms wall, ${round(run.cpuMs)} ms CPU, EC2 ${JSON.stringify(run.ec2Calls)}, ` +
      `DynamoDB ${run.dynamoWriteUnits} WRU ${run.dynamoReadUnits} RRU, record ${run.storedBytes} B, ` +
      `logs ${run.logBytes} B in ${run.logLines} lines, ${run.metricSeries} metric series`;
  const nonEmpty = {
    work: asTargetFigures(typical.work, memoryMb, SIDE_BY_SIDE),
    idle: asTargetFigures(typical.idle, memoryMb, SIDE_BY_SIDE),
  };
  const today = asTargetFigures(empty.idle, memoryMb);
  const path = emptyPathFigures(await measureEmptyTargets(), memoryMb);
  figures['empty target, batched path'] =
    `${round(path.billedMs, 1)} billed ms, ${round(path.invocations, 3)} invocations, ` +
    `${round(path.dynamoWriteUnits, 2)} WRU, ${round(path.dynamoReadUnits, 3)} RRU`;
  const fleets: Fleet[] = fleetsOf(memoryMb, NON_EMPTY_SHARE);
  Object.assign(figures, costTable(fleets, nonEmpty, { today, path }, FANOUT));
  const largest = fleets.find((f) => f.accounts === 1000 && f.runsPerMonth > 700)!;
  const bill = fleetBill(largest, nonEmpty, path, FANOUT);
  figures['1,000 × 17 hourly: Lambda + SQS + DynamoDB + Scheduler ($/month)'] = round(bill.compute, 2);
  figures['1,000 × 17 hourly: logs + metrics ($/month)'] = round(bill.logs + bill.metrics, 2);
  return figures;
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

export const COST_BENCH: BenchDefinition = {
  name: 'cost',
  title: 'The deployment’s own monthly bill, from one typical and one empty target run through the worker',
  checks: [
    {
      label: '1,000 × 17 hourly: Lambda + SQS + DynamoDB',
      key: '1,000 × 17 hourly: Lambda + SQS + DynamoDB + Scheduler ($/month)',
      kind: 'at-most',
      limit: 25,
      unit: '$',
    },
  ],
  run: runCostBench,
};

if (isEntryPoint(import.meta.url)) runStandalone(COST_BENCH);
