/**
 * P4 — work per invocation (issue 6): the real worker handler, given 30 s of remaining time (its
 * margin lowered to 5 s, so 25 s of work), on a target that needs 3,000 creates and 3,000
 * deletes, against the in-process fake EC2 with EC2-shaped buckets of 100 burst + 50/s for each
 * of CreateSnapshot and DeleteSnapshot (server side, and the same on the tool's side). Measures
 * the actions done in the first invocation against what the buckets allow in 25 s, then lets
 * continuations finish and checks: no duplicate, nothing lost, no failure, and every invocation
 * returned before its deadline.
 *
 * Run alone with `npx tsx bench/worker-invocation.ts`; `bench/index.ts` runs it as `worker`.
 */
import type { Context } from 'aws-lambda';
import { newRunId } from '../src/app/run/run.js';
import { ThrottleRegistry } from '../src/aws/throttle.js';
import { type Inventory, type Snapshot, snapshotId, TAG, type Volume, volumeId } from '../src/core/model.js';
import type { Runtime } from '../src/lambda/runtime.js';
import { createWorker } from '../src/lambda/worker.js';
import { memoryTargetMemory } from '../test/support/fakes/exclusive.js';
import { fakePortFor, memoryDeployment } from './support/bench-deployment.js';
import { createMutableFakeEc2 } from './support/mutable-fake-ec2.js';
import { isEntryPoint, runStandalone } from './support/process.js';
import type { BenchDefinition, Figures } from './support/report.js';
import { sqsEventOf } from './support/sqs-event.js';
import { allowedCalls } from './support/throughput.js';

const VOLUMES = 3_000;
const BUCKET = { capacity: 100, refillPerSecond: 50 };
const REMAINING_MS = 30_000;
const MARGIN_MS = 5_000;
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const DAY = 86_400_000;

const POLICY = `version: 1
policies:
  - id: bench
    select: {volumes: {tag:Backup: "true"}}
    schedule: {every: 1 day}
    retention: {max_age: 7 days, minimum: 1}
`;

/** 3,000 detached volumes, each with a snapshot 9 days old (kept: the minimum) and one 10 days old (deleted). */
function benchInventory(now: number): Inventory {
  const volumes: Volume[] = [];
  const snapshots: Snapshot[] = [];
  for (let i = 0; i < VOLUMES; i++) {
    const id = volumeId(`vol-${i.toString(16).padStart(17, '0')}`);
    volumes.push({ id, tags: { Backup: 'true' }, type: 'gp3', sizeGiB: 8, attachments: [] });
    for (const age of [9, 10]) {
      snapshots.push({
        id: snapshotId(`snap-${(i * 2 + age - 9).toString(16).padStart(17, 'a')}`),
        volumeId: id,
        ownerId: ACCOUNT,
        state: 'completed',
        startTime: now - age * DAY,
        tags: { [TAG.policy]: 'bench', [TAG.volumeId]: id },
      });
    }
  }
  return { account: ACCOUNT, region: REGION, instances: [], volumes, snapshots, images: [] };
}

export async function runWorkerBench(): Promise<Figures> {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const start = benchInventory(Date.now());
  const fake = createMutableFakeEc2(start, BUCKET);
  const deployment = memoryDeployment({
    name: 'default',
    text: POLICY,
    updatedAt: new Date().toISOString(),
    sha256: '',
  });
  const throttle = new ThrottleRegistry({ buckets: { CreateSnapshot: BUCKET, DeleteSnapshot: BUCKET } });
  const runtime: Runtime = {
    env: { table: 'bench', queueUrl: 'bench', configName: 'default' },
    ...deployment,
    identity: async () => ({ account: ACCOUNT, partition: 'aws' }),
    organizationAccounts: async () => [],
    isOrganizationMember: async () => false,
    regionsOf: async () => [REGION],
    portFor: fakePortFor(() => fake.handler(), throttle),
    notifiersFor: () => [],
    memory: memoryTargetMemory(),
  };
  const worker = createWorker({ runtime: () => runtime, marginMs: MARGIN_MS, continuationDelaySeconds: 0 });
  deployment.queue.items.push({
    account: ACCOUNT,
    region: REGION,
    run_id: newRunId(Date.now()),
    continuation: 0,
  });
  const invocations: { ms: number; done: number }[] = [];
  for (let item = deployment.queue.items.shift(); item !== undefined; item = deployment.queue.items.shift()) {
    const started = performance.now();
    const remaining = () => REMAINING_MS - (performance.now() - started);
    const response = await worker(sqsEventOf([item]), contextOf(remaining));
    const ms = performance.now() - started;
    const record = deployment.records.all.at(-1)!;
    invocations.push({ ms, done: record.created + record.deleted });
    if (response.batchItemFailures.length > 0)
      throw new Error(`invocation ${invocations.length} failed its message`);
    if (invocations.length > 10) throw new Error('more than 10 invocations: the work does not converge');
  }
  return figuresOf(start, fake.inventory(), invocations, deployment.records.all, fake.throttled.count);
}

function figuresOf(
  start: Inventory,
  end: Inventory,
  invocations: readonly { ms: number; done: number }[],
  records: readonly { failed: number; outcome: string }[],
  throttled: number,
): Figures {
  const before = new Set(start.snapshots.map((s) => s.id as string));
  const made = new Map<string, number>();
  for (const s of end.snapshots)
    if (!before.has(s.id)) made.set(s.volumeId!, (made.get(s.volumeId!) ?? 0) + 1);
  const oldLeft = end.snapshots.filter(
    (s) => before.has(s.id) && s.startTime < Date.now() - 9.5 * DAY,
  ).length;
  const allowed = allowedCalls([VOLUMES, VOLUMES], BUCKET, (REMAINING_MS - MARGIN_MS) / 1000);
  const first = invocations[0]!;
  return {
    workload: `+${VOLUMES} -${VOLUMES} on one account × region`,
    buckets: `${BUCKET.capacity} burst + ${BUCKET.refillPerSecond}/s each for CreateSnapshot and DeleteSnapshot (fake EC2 and the tool)`,
    'remaining time per invocation (s)': REMAINING_MS / 1000,
    'deadline (remaining − margin, s)': (REMAINING_MS - MARGIN_MS) / 1000,
    'actions done in the first invocation': first.done,
    'what the buckets allow in 25 s': allowed,
    'done ÷ allowed': Math.round((first.done / allowed) * 1000) / 1000,
    invocations: invocations.length,
    'invocation times (s)': invocations.map((i) => (i.ms / 1000).toFixed(1)).join(', '),
    'longest invocation ÷ remaining time':
      Math.round((Math.max(...invocations.map((i) => i.ms)) / REMAINING_MS) * 1000) / 1000,
    'volumes with 2+ new snapshots (duplicates)': [...made.values()].filter((n) => n > 1).length,
    'volumes with no new snapshot (lost creates)': VOLUMES - made.size,
    'expired snapshots left (lost deletes)': oldLeft,
    'failed actions': records.reduce((sum, r) => sum + r.failed, 0),
    'RequestLimitExceeded answered': throttled,
  };
}

function contextOf(remainingMs: () => number): Context {
  return {
    awsRequestId: `bench-${Math.random().toString(16).slice(2)}`,
    getRemainingTimeInMillis: remainingMs,
  } as Context;
}

export const WORKER_BENCH: BenchDefinition = {
  name: 'worker',
  title: `Worker per invocation: ${VOLUMES} creates + ${VOLUMES} deletes, 30 s remaining, 5 s margin, ${BUCKET.capacity} burst + ${BUCKET.refillPerSecond}/s buckets`,
  checks: [
    {
      label: 'first invocation: done ÷ allowed in 25 s',
      key: 'done ÷ allowed',
      kind: 'at-least',
      limit: 0.9,
    },
    {
      label: 'longest invocation ÷ remaining time',
      key: 'longest invocation ÷ remaining time',
      kind: 'at-most',
      limit: 1,
    },
    { label: 'duplicates', key: 'volumes with 2+ new snapshots (duplicates)', kind: 'at-most', limit: 0 },
    { label: 'lost creates', key: 'volumes with no new snapshot (lost creates)', kind: 'at-most', limit: 0 },
    { label: 'lost deletes', key: 'expired snapshots left (lost deletes)', kind: 'at-most', limit: 0 },
    { label: 'failed actions', key: 'failed actions', kind: 'at-most', limit: 0 },
  ],
  run: runWorkerBench,
};

if (isEntryPoint(import.meta.url)) runStandalone(WORKER_BENCH);
