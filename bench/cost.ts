/**
 * The deployment's own monthly bill (issue 19): per-target figures measured here — one typical
 * non-empty target (50 volumes on a daily policy) and one empty target, each run through the
 * real worker handler in process (target-run.ts) — fed to the cost model (support/cost-model.ts)
 * for 10, 100 and 1,000 accounts × 17 regions, hourly and daily.
 *
 * Figures other benches own are constants here, marked: the empty-target path
 * ({@link EMPTY_TARGET_PATH}), the fan-out ({@link FANOUT}) and the cold start ({@link COLD_START}).
 *
 * Run alone with `npx tsx bench/cost.ts`.
 */
import { createAwsClients } from '../src/aws/clients.js';
import { createEc2Port } from '../src/aws/ec2-port.js';
import { ThrottleRegistry } from '../src/aws/throttle.js';
import { type Inventory, type Snapshot, snapshotId, TAG, type Volume, volumeId } from '../src/core/model.js';
import type { Runtime } from '../src/lambda/runtime.js';
import { WORKER_MEMORY_MB } from '../src/templates/hub-functions.js';
import { memoryTargetMemory } from '../test/support/fakes/exclusive.js';
import { memoryDeployment } from './support/bench-deployment.js';
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
 * TO WIRE: the worker's init (billed since August 2025), from bench/startup.ts — ~1.5 s of CPU to
 * import the handler today, stretched by the CPU share — and how many invocations start cold
 * (hourly runs find no warm environment; one in ten invocations is a new one as concurrency grows).
 */
export const COLD_START = { initCpuMs: 1_500, coldShare: 0.1 };

/**
 * TO WIRE after merging: the empty-target path's figures, from bench/empty-target.ts. Until then,
 * the contract's envelope: ≤ 100 worker invocations per 1,000 empty targets (10 targets an
 * invocation, decided side by side: each ≤ 2 EC2 calls at 100 ms after its role at 150 ms, so an
 * invocation lasts about one target's 400 ms plus 100 ms of CPU), a lease taken and given back
 * and a compact run record (3 writes), the config read once an invocation, and no metric series;
 * a cold start for one invocation in ten, as for any.
 */
export const EMPTY_TARGET_PATH: TargetFigures = {
  invocations: 0.1,
  billedMs:
    (2 * 100 + 150 + 3 * 10 + 100) / 10 +
    (0.1 * COLD_START.coldShare * COLD_START.initCpuMs) / Math.min(1, lambdaCpuShare(WORKER_MEMORY_MB)),
  sqsRequests: 0.1 + 0.2,
  dynamoWriteUnits: 3,
  dynamoReadUnits: 0.1,
  storedBytes: 300,
  logBytes: 400 + 350 / 10,
  metricSeries: 0,
};

/** TO WIRE: the fan-out's figures, from bench/fanout-scale.ts (≤ 60 s for 1,000 accounts at 256 MB). */
export const FANOUT = { memoryMb: 256, baseMs: 2_000, msPerAccount: 60, logBytesPerAccount: 300 };

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
    portFor: (account, region, deadline) =>
      createEc2Port(
        createAwsClients({
          region,
          credentials: { accessKeyId: 'a', secretAccessKey: 's' },
          requestHandler: slowed(fake.handler(), calls),
          deadline,
        }),
        { account, region, throttle: new ThrottleRegistry({}), signal: deadline.signal },
      ),
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
 * A run's figures as Lambda bills them: the wall time measured with AWS's latencies, the CPU part
 * stretched by the worker's CPU share, the role, and the cold starts' init.
 */
export function asTargetFigures(run: MeasuredRun, memoryMb: number): TargetFigures {
  const share = Math.min(1, lambdaCpuShare(memoryMb));
  const invocations = 1 + run.continuations;
  const initMs = (COLD_START.initCpuMs / share) * COLD_START.coldShare * invocations;
  const cpuMs = Math.max(0, run.cpuMs);
  return {
    invocations,
    billedMs: run.wallMs + cpuMs * (1 / share - 1) + ASSUME_ROLE_MS + initMs,
    // Its share of a SendMessageBatch, then the event source's ReceiveMessage and DeleteMessageBatch.
    sqsRequests: 0.1 + 2 * invocations + run.continuations,
    dynamoWriteUnits: run.dynamoWriteUnits,
    dynamoReadUnits: run.dynamoReadUnits,
    storedBytes: run.storedBytes,
    logBytes: run.logBytes + PLATFORM_LOG_BYTES * invocations,
    metricSeries: run.metricSeries,
  };
}

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runCostBench(): Promise<Figures> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO';
  const typical = await measureTarget(VOLUMES);
  const empty = await measureTarget(0);
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
    work: asTargetFigures(typical.work, memoryMb),
    idle: asTargetFigures(typical.idle, memoryMb),
  };
  const today = asTargetFigures(empty.idle, memoryMb);
  const fleets: Fleet[] = fleetsOf(memoryMb, NON_EMPTY_SHARE);
  Object.assign(figures, costTable(fleets, nonEmpty, { today, path: EMPTY_TARGET_PATH }, FANOUT));
  const largest = fleets.find((f) => f.accounts === 1000 && f.runsPerMonth > 700)!;
  const bill = fleetBill(largest, nonEmpty, EMPTY_TARGET_PATH, FANOUT);
  figures['1,000 × 17 hourly: Lambda + SQS + DynamoDB + Scheduler ($/month)'] = round(bill.compute, 2);
  figures['1,000 × 17 hourly: logs + metrics ($/month)'] = round(bill.logs + bill.metrics, 2);
  return figures;
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
