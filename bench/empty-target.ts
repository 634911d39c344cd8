/**
 * Empty targets (issue 19, SPEC §16): the real worker handler fed the work queue's batches
 * (`WORK_BATCH_SIZE` records an event, as the deployed event source mapping sends them), 1,000
 * targets of which none has a volume or a managed snapshot, against the in-process fake EC2 with
 * `LATENCY_MS` of service time per call. Measures the EC2 calls and the CPU that decide an empty
 * target, the table's reads and writes per target, the worker invocations per 1,000 targets; then a
 * batch of empties with two targets that have work placed last (the worst case): how soon the first
 * is started here and the second handed to the solo queue. Figures per target feed docs/cost.md.
 *
 * Run alone with `npx tsx bench/empty-target.ts`; `bench/index.ts` runs it as `empty-target`.
 */
import type { Context } from 'aws-lambda';
import { newRunId } from '../src/app/run/run.js';
import type { WorkItem, WorkQueue } from '../src/app/serverless/ports.js';
import type { RequestHandlerLike } from '../src/aws/http.js';
import { ThrottleRegistry } from '../src/aws/throttle.js';
import type { Inventory } from '../src/core/model.js';
import type { Runtime } from '../src/lambda/runtime.js';
import { createWorker } from '../src/lambda/worker.js';
import { WORK_BATCH_SIZE } from '../src/templates/hub-functions.js';
import { fleet } from '../test/support/builders/fleet.js';
import { memoryTargetMemory } from '../test/support/fakes/exclusive.js';
import { createFakeEc2, type FakeEc2 } from '../test/support/fakes/fake-ec2.js';
import { fakePortFor, memoryDeployment } from './support/bench-deployment.js';
import { isEntryPoint, runStandalone } from './support/process.js';
import type { BenchDefinition, Figures } from './support/report.js';
import { sqsEventOf } from './support/sqs-event.js';

const TARGETS = 1_000;
/** 59 accounts × 17 regions, cut at 1,000. */
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
];
/** What a Describe page costs AWS to answer, roughly: every call waits this long. */
const LATENCY_MS = 50;
const OWN = '100000000000';
const BUSY = '999999999999';

const POLICY = `version: 1
settings:
  organization: true
policies:
  - id: web
    select: {instance_names: ["web*"]}
    schedule: {every: 1 day}
    retention: {minimum: 2}
`;

const account = (i: number) => String(Number(OWN) + i);
const emptyTargets = (runId: string): WorkItem[] =>
  Array.from({ length: TARGETS }, (_, i) => ({
    account: account(Math.floor(i / REGIONS.length)),
    region: REGIONS[i % REGIONS.length]!,
    run_id: runId,
    continuation: 0,
  }));

/** Every call answered no sooner than {@link LATENCY_MS}, as a remote service would. */
function slowed(fake: FakeEc2): RequestHandlerLike {
  return {
    ...fake,
    handle: async (request) => {
      await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
      return fake.handle(request);
    },
  } as RequestHandlerLike;
}

interface Harness {
  readonly worker: ReturnType<typeof createWorker>;
  /** The same worker counting every target as large (none worked on side by side): the solo queue's path. */
  readonly largeWorker: ReturnType<typeof createWorker>;
  readonly empty: FakeEc2;
  readonly busy: FakeEc2;
  readonly solo: WorkQueue & { readonly sent: { item: WorkItem; at: number }[] };
  readonly counts: { configReads: number; recordWrites: number };
  /** When the busy fake got its first DescribeInstances (a full collection began). */
  readonly busyStarted: { at?: number };
}

function harness(): Harness {
  const deployment = memoryDeployment({
    name: 'default',
    text: POLICY,
    updatedAt: new Date().toISOString(),
    sha256: '',
  });
  const counts = { configReads: 0, recordWrites: 0 };
  const empty = createFakeEc2([]);
  const busyInventory: Inventory = fleet({ account: BUSY, region: 'us-east-1' })
    .instance('web-1')
    .volume({ id: 'vol-0000000000000000a' })
    .build();
  const busy = createFakeEc2(['us-east-1', 'eu-west-1'].map((region) => ({ ...busyInventory, region })));
  const busyStarted: { at?: number } = {};
  const busyHandler = slowed(busy);
  const watched = {
    ...busyHandler,
    handle: (request: Parameters<RequestHandlerLike['handle']>[0]) => {
      if (busyStarted.at === undefined && String(request.body ?? '').includes('Action=DescribeInstances'))
        busyStarted.at = performance.now();
      return busyHandler.handle(request);
    },
  } as RequestHandlerLike;
  const emptyHandler = slowed(empty);
  const sent: { item: WorkItem; at: number }[] = [];
  const solo = {
    sent,
    send: async (items: readonly WorkItem[]) => {
      for (const item of items) sent.push({ item, at: performance.now() });
      return [];
    },
  };
  const throttle = new ThrottleRegistry();
  const runtime: Runtime = {
    env: { table: 'bench', queueUrl: 'bench', configName: 'default', soloQueueUrl: 'solo' },
    ...deployment,
    configs: {
      ...deployment.configs,
      get: (name) => {
        counts.configReads += 1;
        return deployment.configs.get(name);
      },
    },
    records: {
      ...deployment.records,
      put: (record, precedence) => {
        counts.recordWrites += 1;
        return deployment.records.put(record, precedence);
      },
    },
    solo,
    identity: async () => ({ account: OWN, partition: 'aws' }),
    organizationAccounts: async () => [],
    isOrganizationMember: async () => true,
    regionsOf: async () => REGIONS,
    portFor: fakePortFor((target) => (target === BUSY ? watched : emptyHandler), throttle),
    notifiersFor: () => [],
    memory: memoryTargetMemory(),
  };
  const worker = createWorker({ runtime: () => runtime });
  const largeWorker = createWorker({ runtime: () => runtime, smallConcurrency: 0 });
  return { worker, largeWorker, empty, busy, solo, counts, busyStarted };
}

/** What 1,000 empty targets cost the real worker, batch by batch (also read by the `cost` bench). */
export interface EmptyTargetMeasure {
  readonly targets: number;
  readonly batchSize: number;
  readonly latencyMs: number;
  readonly invocations: number;
  readonly failures: number;
  readonly empty: { calls: number; collections: number; cpuMs: number; wallMs: number };
  readonly table: { configReads: number; recordWrites: number };
}

export async function measureEmptyTargets(): Promise<EmptyTargetMeasure & { readonly harness: Harness }> {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const h = harness();
  // Warm up once (module loading, the SDK's first client) so the measurement is of the steady state.
  await h.worker(sqsEventOf(emptyTargets('warm-up').slice(0, 2)), contextOf());
  h.empty.resetCounts();
  h.counts.configReads = 0;
  h.counts.recordWrites = 0;

  const items = emptyTargets(newRunId(Date.now()));
  let invocations = 0;
  let failures = 0;
  const walls: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let at = 0; at < items.length; at += WORK_BATCH_SIZE) {
    const started = performance.now();
    const response = await h.worker(sqsEventOf(items.slice(at, at + WORK_BATCH_SIZE)), contextOf());
    walls.push(performance.now() - started);
    invocations += 1;
    failures += response.batchItemFailures.length;
  }
  const cpu = process.cpuUsage(cpuStart);
  const calls = Object.values(h.empty.counts()).reduce((sum, n) => sum + n, 0);
  const collections = h.empty.counts().DescribeInstances ?? 0;
  const emptyFigures = {
    calls,
    collections,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: walls.reduce((sum, ms) => sum + ms, 0) / walls.length,
  };
  return {
    targets: TARGETS,
    batchSize: WORK_BATCH_SIZE,
    latencyMs: LATENCY_MS,
    invocations,
    failures,
    empty: emptyFigures,
    table: { ...h.counts },
    harness: h,
  };
}

export async function runEmptyTargetBench(): Promise<Figures> {
  const measured = await measureEmptyTargets();
  const mixed = await mixedBatch(measured.harness);
  return figuresOf(measured.empty, measured.invocations, measured.failures, measured.table, mixed);
}

/** A batch of empties with two targets that have work last: when each is taken care of. */
async function mixedBatch(h: Harness) {
  const runId = newRunId(Date.now());
  const items = [
    ...emptyTargets(runId).slice(0, WORK_BATCH_SIZE - 2),
    { account: BUSY, region: 'us-east-1', run_id: runId, continuation: 0 },
    { account: BUSY, region: 'eu-west-1', run_id: runId, continuation: 0 },
  ];
  const started = performance.now();
  // The two with work taken as large ones: one started here, the other handed to the solo queue.
  const response = await h.largeWorker(sqsEventOf(items), contextOf());
  const forwarded = h.solo.sent.at(-1);
  return {
    failures: response.batchItemFailures.length,
    startedMs: (h.busyStarted.at ?? Number.NaN) - started,
    forwardedMs: (forwarded?.at ?? Number.NaN) - started,
    forwardedUnchanged:
      forwarded !== undefined &&
      items.slice(-2).some((i) => JSON.stringify(i) === JSON.stringify(forwarded.item)),
  };
}

function figuresOf(
  empty: { calls: number; collections: number; cpuMs: number; wallMs: number },
  invocations: number,
  failures: number,
  table: { configReads: number; recordWrites: number },
  mixed: Awaited<ReturnType<typeof mixedBatch>>,
): Figures {
  const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
  return {
    workload: `${TARGETS} empty targets in batches of ${WORK_BATCH_SIZE}, ${LATENCY_MS} ms per EC2 call`,
    'EC2 calls per empty target': round(empty.calls / TARGETS),
    'full collections of empty targets': empty.collections,
    'CPU per empty target (ms, fake EC2 serving included)': round(empty.cpuMs / TARGETS),
    'DynamoDB writes per empty target': round(table.recordWrites / TARGETS),
    'DynamoDB reads per invocation (the config)': round(table.configReads / invocations),
    'worker invocations per 1,000 empty targets': (invocations * 1000) / TARGETS,
    'wall time per invocation of 100 empty targets (ms)': Math.round(empty.wallMs),
    'items failed (to be delivered again)': failures + mixed.failures,
    'a target with work, last of a batch: started after (ms)': Math.round(mixed.startedMs),
    'the next one, handed to the solo queue after (ms)': Math.round(mixed.forwardedMs),
    'handed on unchanged (1 = yes)': mixed.forwardedUnchanged ? 1 : 0,
  };
}

function contextOf(): Context {
  const started = performance.now();
  return {
    awsRequestId: `bench-${Math.random().toString(16).slice(2)}`,
    getRemainingTimeInMillis: () => 900_000 - (performance.now() - started),
  } as Context;
}

export const EMPTY_TARGET_BENCH: BenchDefinition = {
  name: 'empty-target',
  title: `Empty targets: ${TARGETS} in batches of ${WORK_BATCH_SIZE}, ${LATENCY_MS} ms per EC2 call`,
  checks: [
    { label: 'EC2 calls per empty target', key: 'EC2 calls per empty target', kind: 'at-most', limit: 2 },
    {
      label: 'full collections of empty targets',
      key: 'full collections of empty targets',
      kind: 'at-most',
      limit: 0,
    },
    {
      label: 'worker invocations per 1,000 empty targets',
      key: 'worker invocations per 1,000 empty targets',
      kind: 'at-most',
      limit: 100,
    },
    { label: 'items failed', key: 'items failed (to be delivered again)', kind: 'at-most', limit: 0 },
    {
      label: 'a target with work, last of a batch of 100: started within',
      key: 'a target with work, last of a batch: started after (ms)',
      kind: 'at-most',
      limit: 1000,
      unit: 'ms',
    },
    {
      label: 'the next one handed to the solo queue within',
      key: 'the next one, handed to the solo queue after (ms)',
      kind: 'at-most',
      limit: 1000,
      unit: 'ms',
    },
    { label: 'handed on unchanged', key: 'handed on unchanged (1 = yes)', kind: 'at-least', limit: 1 },
  ],
  run: runEmptyTargetBench,
};

if (isEntryPoint(import.meta.url)) runStandalone(EMPTY_TARGET_BENCH);
