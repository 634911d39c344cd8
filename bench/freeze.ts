/**
 * Freeze bench (issue 18, "Measure"): how long an application-consistent set keeps its instance
 * frozen, against CreateSnapshots' own latency. A whole run of one account × region in process —
 * the real workflow (`runTarget`), the in-memory EC2 with CreateSnapshots answering at AWS-like
 * latency, and SSM at AWS-like latencies (`support/latency-ssm.ts`: API calls, the agent picking a
 * command up, the freeze's sync) — on the real clock.
 *
 * Frozen time as the tool sees it runs from the pre script's end (the look that saw `Success`) to
 * the post script's send: CreateSnapshots plus the tool's own overhead, so the target is a ratio
 * close to 1. Frozen time on the instance (the freeze's end to the thaw's start, as the fake
 * agent ran them) adds the look that notices the end and the post script's delivery: printed, so
 * a change to the poll interval or the order of steps shows.
 *
 * Run alone with `npx tsx bench/freeze.ts`; `bench/index.ts` runs it as `freeze`.
 */
import type { Ec2Port } from '../src/app/kit/ports.js';
import { newRunId, runTarget } from '../src/app/run/run.js';
import type { Config } from '../src/core/policy/types.js';
import { fleet } from '../test/support/builders/fleet.js';
import { freezePolicy } from '../test/support/builders/freeze-policy.js';
import { InMemoryEc2 } from '../test/support/fakes/in-memory-ec2.js';
import { mulberry32 } from '../test/support/random.js';
import { LatencySsm, type Range, type SsmLatencies } from './support/latency-ssm.js';
import { isEntryPoint, runStandalone } from './support/process.js';
import type { BenchDefinition, Figures } from './support/report.js';

const INSTANCES = 24;
const VOLUMES_PER_INSTANCE = 2;
const CONCURRENCY = 8;
/** CreateSnapshots of a two-volume set, as EC2 answers it (assumed; measure it in an account). */
const CREATE_SNAPSHOTS_MS: Range = [250, 900];
/** SSM as it answers from within a region (assumed; measure it in an account). */
const SSM_LATENCIES: SsmLatencies = {
  describe: [80, 150],
  send: [70, 160],
  look: [30, 80],
  pickup: [200, 900],
  pre: [80, 400],
  post: [30, 120],
};

/** @example const figures = await runFreezeBench(); // { 'frozen ÷ CreateSnapshots (p50)': 1.02, ... } */
export async function runFreezeBench(): Promise<Figures> {
  const random = mulberry32(18);
  const builder = fleet();
  for (let i = 0; i < INSTANCES; i++) {
    builder.instance(`db-${i}`).volume({ device: '/dev/xvda' });
    for (let v = 1; v < VOLUMES_PER_INSTANCE; v++)
      builder.volume({ device: `/dev/sd${String.fromCharCode(101 + v)}` });
  }
  const inventory = builder.build();
  const base = new InMemoryEc2(inventory, Date.now);
  const ssm = new LatencySsm(SSM_LATENCIES, random);
  const createMs = new Map<string, number>();
  const port: Ec2Port = {
    account: base.account,
    region: base.region,
    collectInventory: (options) => base.collectInventory(options),
    createSnapshot: (request) => base.createSnapshot(request),
    async createSnapshots(request) {
      const started = performance.now();
      const [low, high] = CREATE_SNAPSHOTS_MS;
      await new Promise((resolve) => setTimeout(resolve, low + (high - low) * random()));
      const made = await base.createSnapshots(request);
      createMs.set(request.instanceId, performance.now() - started);
      return made;
    },
    deleteSnapshot: (id) => base.deleteSnapshot(id),
    findRunSnapshots: (runId, policy) => base.findRunSnapshots(runId, policy),
    instances: base.instances,
    volumes: base.volumes,
    ssm,
    ssmUnbounded: ssm,
    listCopies: (destination) => base.listCopies(destination),
    copySnapshot: (request) => base.copySnapshot(request),
  };
  const config: Config = {
    version: 1,
    settings: { guard: {}, organization: false },
    policies: [freezePolicy('db', { instanceNames: ['db-*'] })],
  };
  const now = Date.now();
  const started = performance.now();
  const report = await runTarget(port, config, {
    now,
    runId: newRunId(now),
    concurrency: CONCURRENCY,
    exclusive: (_, work) => work(),
  });
  const seconds = (performance.now() - started) / 1000;
  const freezes = report.freezes ?? [];
  const seen = freezes.map((f) => f.frozenMs ?? Number.NaN);
  const creates = freezes.map((f) => createMs.get(f.instanceId) ?? Number.NaN);
  const ratios = freezes.map((f, i) => (f.frozenMs ?? Number.NaN) / creates[i]!);
  const onInstance = frozenOnInstance(ssm);
  const instanceRatios = freezes.map((f, i) => (onInstance.get(f.instanceId) ?? Number.NaN) / creates[i]!);
  return {
    fleet: `${INSTANCES} instances × ${VOLUMES_PER_INSTANCE} volumes, concurrency ${CONCURRENCY}`,
    'latencies (ms, assumed)': `CreateSnapshots ${CREATE_SNAPSHOTS_MS.join('–')}, SSM pickup ${SSM_LATENCIES.pickup.join('–')}, freeze ${SSM_LATENCIES.pre.join('–')}`,
    'sets taken as application': freezes.filter((f) => f.consistency === 'application').length,
    'CreateSnapshots p50 (ms)': round(percentile(creates, 0.5)),
    'CreateSnapshots p95 (ms)': round(percentile(creates, 0.95)),
    'frozen, as the tool sees it, p50 (ms)': round(percentile(seen, 0.5)),
    'frozen, as the tool sees it, p95 (ms)': round(percentile(seen, 0.95)),
    'frozen ÷ CreateSnapshots (p50)': round(percentile(ratios, 0.5), 3),
    'frozen ÷ CreateSnapshots (max)': round(Math.max(...ratios), 3),
    'frozen on the instance p50 (ms)': round(percentile([...onInstance.values()], 0.5)),
    'frozen on the instance ÷ CreateSnapshots (p50)': round(percentile(instanceRatios, 0.5), 3),
    'run time (s)': round(seconds, 2),
  };
}

/** Per instance: from the pre script's end to the post script's start, as the fake agent ran them. */
function frozenOnInstance(ssm: LatencySsm): Map<string, number> {
  const frozen = new Map<string, number>();
  for (const pre of ssm.ran.filter((c) => c.kind === 'pre')) {
    const post = ssm.ran.find(
      (c) => c.kind === 'post' && c.instanceId === pre.instanceId && c.startsAt >= pre.endsAt,
    );
    if (post !== undefined) frozen.set(pre.instanceId, post.startsAt - pre.endsAt);
  }
  return frozen;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const round = (n: number, digits = 0): number => Math.round(n * 10 ** digits) / 10 ** digits;

export const FREEZE_BENCH: BenchDefinition = {
  name: 'freeze',
  title: `Freeze → snapshot → thaw: frozen time against CreateSnapshots, ${INSTANCES} instances, SSM at AWS-like latency`,
  checks: [
    {
      label: 'frozen ÷ CreateSnapshots (p50)',
      key: 'frozen ÷ CreateSnapshots (p50)',
      kind: 'at-most',
      limit: 1.25,
    },
    {
      label: 'sets taken as application',
      key: 'sets taken as application',
      kind: 'at-least',
      limit: INSTANCES,
    },
  ],
  run: runFreezeBench,
};

if (isEntryPoint(import.meta.url)) runStandalone(FREEZE_BENCH);
