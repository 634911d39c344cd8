/**
 * Restore drills' overhead per run (issue 16): 100 drills in flight against moto behind the
 * counting proxy (which holds volumes in `creating` and answers DescribeVolumeStatus), and the calls
 * each run spends on drills — starting them, looking at them while they are created, while they
 * initialize, and finishing them — against the least any tool could spend: one CreateVolume per
 * drill started; nothing of its own for drills being created (the inventory's one DescribeVolumes
 * page lists them all); one DescribeVolumeStatus for all that initialize, and one tag write per
 * drill that reaches a step worth recording; one result tag and one delete per drill that ends.
 *
 * Run alone with `npx tsx bench/drills.ts`; `bench/index.ts` calls it as `drills`.
 */
import { newRunId, runTarget } from '../src/app/run/run.js';
import { whoAmI } from '../src/aws/clients.js';
import { createEc2Port } from '../src/aws/ec2-port.js';
import { ThrottleRegistry } from '../src/aws/throttle.js';
import { fileLock } from '../src/cli/lock.js';
import { loadConfig } from '../src/core/policy/parse.js';
import { createVolumeStatusEmulator, holdCreating } from '../test/support/proxy/volume-status.js';
import { seedMotoFleet } from './support/moto-fleet.js';
import { BENCH_REGION, BENCH_TAGS, type MotoTarget, withMotoTarget } from './support/moto-target.js';
import { isEntryPoint, runStandalone } from './support/process.js';
import type { BenchDefinition, Figures } from './support/report.js';

const DRILLS = 100;
/** 50 instances × 2 data volumes (the boot volumes are left out): 100 series, all drilled at once. */
const INSTANCES = 50;
const POLICY = 'bench-drills';
/** Calls only drills make. */
const DRILL_ACTIONS = [
  'CreateVolume',
  'DescribeVolumeStatus',
  'CreateTags',
  'DeleteVolume',
  'AttachVolume',
  'DetachVolume',
];
const UNLIMITED = { capacity: 100_000, refillPerSecond: 100_000 };

const config = loadConfig(
  `version: 1
settings: {regions: [${BENCH_REGION}]}
policies:
  - id: ${POLICY}
    select: {instances: {tag:Bench: "true"}, exclude: {boot_volume: true}}
    schedule: {every: 30 days}
    retention: {minimum: 3}
    drill: {every: 30 days, sample: ${DRILLS}, check: initialized, timeout: 7 days}
`,
  { source: 'bench policy' },
).config;

/**
 * The runs, each with the least a tool could spend on drills in it, and whether the proxy holds the
 * volumes in `creating` (then the drills are seen initializing for one look, then done).
 */
const STEPS = [
  { name: 'start', minimum: DRILLS, held: true },
  { name: 'creating', minimum: 0, held: true },
  { name: 'initializing', minimum: 1 + DRILLS, held: false },
  { name: 'finishing', minimum: 1 + 2 * DRILLS, held: false },
  { name: 'none left', minimum: 0, held: false },
] as const;

export async function runDrillsBench(): Promise<Figures> {
  return withMotoTarget(async (target) => {
    const fleet = await seedMotoFleet(target.direct, {
      instances: INSTANCES,
      policy: POLICY,
      snapshotsPerVolume: 1,
      tags: BENCH_TAGS,
    });
    const figures: Figures = {
      fleet: `${fleet.instanceIds.length} instances, ${fleet.volumeIds.length} volumes, ${fleet.snapshotIds.length} snapshots`,
    };
    let total = 0;
    let least = 0;
    // One emulation for the whole bench: it counts each volume's looks across the runs.
    const status = createVolumeStatusEmulator({ initializingLooks: 1 });
    for (const [index, step] of STEPS.entries()) {
      target.proxy.configure({ emulations: step.held ? [holdCreating(), status] : [status] });
      target.proxy.resetCounts();
      const outcome = await oneRun(target, Date.now() + (index + 1) * 60_000);
      const counts = target.proxy.counts();
      const calls = DRILL_ACTIONS.reduce((n, action) => n + (counts[action] ?? 0), 0);
      figures[`${step.name}: drills`] = outcome;
      figures[`${step.name}: drill calls`] = `${calls} (minimum ${step.minimum}) ${describe(counts)}`;
      figures[`${step.name}: DescribeVolumes pages (all volumes)`] = counts.DescribeVolumes ?? 0;
      figures[`${step.name}: calls ÷ minimum`] =
        step.minimum === 0 ? (calls === 0 ? 1 : Number.POSITIVE_INFINITY) : calls / step.minimum;
      if (step.name === 'creating') figures['creating: drill calls per drill in flight'] = calls / DRILLS;
      total += calls;
      least += step.minimum;
    }
    figures['all runs: drill calls ÷ minimum'] = total / least;
    return figures;
  });
}

async function oneRun(target: MotoTarget, now: number): Promise<string> {
  const clients = target.connect();
  const account = (await whoAmI(clients.sts)).account;
  const throttle = new ThrottleRegistry({ buckets: {}, describe: UNLIMITED });
  const port = createEc2Port(clients, { account, region: BENCH_REGION, throttle });
  const report = await runTarget(port, config, {
    now,
    runId: newRunId(now),
    concurrency: 16,
    exclusive: fileLock({ lockDir: target.lockDir }),
  });
  const by = new Map<string, number>();
  for (const d of report.drills ?? []) by.set(d.status, (by.get(d.status) ?? 0) + 1);
  return [...by].map(([status, n]) => `${n} ${status}`).join(', ') || 'none';
}

function describe(counts: Readonly<Record<string, number>>): string {
  const parts = DRILL_ACTIONS.filter((a) => (counts[a] ?? 0) > 0).map((a) => `${a} ${counts[a]}`);
  return parts.length === 0 ? '' : `(${parts.join(', ')})`;
}

export const DRILLS_BENCH: BenchDefinition = {
  name: 'drills',
  title: `Restore drills: the calls of runs with ${DRILLS} drills in flight, against the minimum`,
  checks: [
    {
      label: 'drills being created: calls per drill',
      key: 'creating: drill calls per drill in flight',
      kind: 'at-most',
      limit: 0,
    },
    { label: 'starting: calls ÷ minimum', key: 'start: calls ÷ minimum', kind: 'at-most', limit: 1 },
    {
      label: 'initializing: calls ÷ minimum',
      key: 'initializing: calls ÷ minimum',
      kind: 'at-most',
      limit: 1,
    },
    { label: 'finishing: calls ÷ minimum', key: 'finishing: calls ÷ minimum', kind: 'at-most', limit: 1 },
    { label: 'all runs: calls ÷ minimum', key: 'all runs: drill calls ÷ minimum', kind: 'at-most', limit: 1 },
  ],
  run: runDrillsBench,
};

if (isEntryPoint(import.meta.url)) runStandalone(DRILLS_BENCH);
