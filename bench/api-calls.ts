/**
 * API-call benchmark (issue 3, 7a): one `run` against moto behind the counting proxy, for a
 * fleet of 200 instances, 600 volumes and 1,800 snapshots of one policy, with every volume due
 * and one snapshot per volume expired. Calls by action ÷ the SPEC §8 minimum (target ≤ 1.05).
 *
 * Run alone with `npx tsx bench/api-calls.ts`; `bench/index.ts` calls `runApiCallsBench()`.
 */

import type { Ec2Port } from '../src/app/kit/ports.js';
import { newRunId, runTarget } from '../src/app/run/run.js';
import { whoAmI } from '../src/aws/clients.js';
import { createEc2Port } from '../src/aws/ec2-port.js';
import { ThrottleRegistry } from '../src/aws/throttle.js';
import { fileLock } from '../src/cli/lock.js';
import type { Inventory } from '../src/core/model.js';
import { compareCalls, minimumRunCalls, ratioOf, totalCalls, withoutActions } from './support/minimum.js';
import { seedMotoFleet } from './support/moto-fleet.js';
import { BENCH_REGION, BENCH_TAGS, benchConfig, DAY_MS, withMotoTarget } from './support/moto-target.js';
import { isEntryPoint, runStandalone } from './support/process.js';
import type { BenchDefinition, Figures } from './support/report.js';

const INSTANCES = 200;
const SNAPSHOTS_PER_VOLUME = 3;
const POLICY = 'bench-daily';
/** Three days on: every volume is due and all three seeded snapshots are past max_age (1 day). */
const DAYS_AHEAD = 3;
/** Client-side buckets this large never wait: they change no call count, only the run's length. */
const UNLIMITED = { capacity: 100_000, refillPerSecond: 100_000 };
/** Account-level calls, made once per account, not per region: counted apart. */
const STS_ACTIONS = ['GetCallerIdentity'];
/** The figures the targets read. */
const KEYS = {
  ratioApart: 'calls ÷ minimum (STS apart)',
  ratioCounted: 'calls ÷ minimum (STS counted)',
  failed: 'failed actions',
  notSnapshotted: 'volumes not snapshotted',
} as const;

/**
 * Seed the fleet, run the tool once through the proxy, count its calls.
 *
 * @example const figures = await runApiCallsBench(); // { 'calls ÷ minimum': 1.0008, ... }
 */
export async function runApiCallsBench(): Promise<Figures> {
  return withMotoTarget(async (target) => {
    const fleet = await seedMotoFleet(target.direct, {
      instances: INSTANCES,
      policy: POLICY,
      snapshotsPerVolume: SNAPSHOTS_PER_VOLUME,
      tags: BENCH_TAGS,
      concurrency: 8,
    });
    target.proxy.resetCounts();
    const started = performance.now();
    // As the CLI does: the account from STS, then one account × region (the region is given,
    // so no DescribeRegions).
    const clients = target.connect();
    const account = (await whoAmI(clients.sts)).account;
    const throttle = new ThrottleRegistry({
      buckets: { CreateSnapshot: UNLIMITED, DeleteSnapshot: UNLIMITED },
      describe: UNLIMITED,
    });
    const seen = recordInventory(createEc2Port(clients, { account, region: BENCH_REGION, throttle }));
    const now = Date.now() + DAYS_AHEAD * DAY_MS;
    const report = await runTarget(seen.port, benchConfig(POLICY, SNAPSHOTS_PER_VOLUME - 1), {
      now,
      runId: newRunId(now),
      concurrency: 16,
      exclusive: fileLock({ lockDir: target.lockDir }),
    });
    const runSeconds = (performance.now() - started) / 1000;
    const actual = target.proxy.counts();
    const listed = {
      instances: fleet.instanceIds.length,
      volumes: fleet.volumeIds.length,
      snapshots: fleet.snapshotIds.length,
      images: 0,
    };
    const minimum = minimumRunCalls(listed, report.plan.summary.create, report.plan.summary.delete);
    const withoutSts = withoutActions(actual, STS_ACTIONS);
    const figures: Figures = {
      fleet: `${listed.instances} instances, ${listed.volumes} volumes, ${listed.snapshots} snapshots`,
      'seed time (s)': round(fleet.seedSeconds, 1),
      'run time (s)': round(runSeconds, 1),
      'seen by the tool': describeInventory(seen.inventory()),
      planned: `+${report.plan.summary.create} -${report.plan.summary.delete}`,
      created: report.summary.created,
      deleted: report.summary.deleted,
      [KEYS.failed]: report.summary.failed,
      [KEYS.notSnapshotted]: listed.volumes - report.summary.created,
    };
    for (const [action, calls, least] of compareCalls(actual, minimum)) {
      figures[`calls ${action}`] = `${calls} (minimum ${least})`;
    }
    figures['calls total'] = totalCalls(actual);
    figures['calls without STS'] = totalCalls(withoutSts);
    // SPEC §8's ⌈images/1000⌉ is 0 for no images, but learning that there are none takes a call.
    figures['minimum (SPEC §8; an empty listing is 1 call)'] = totalCalls(minimum);
    figures['faults injected'] = totalCalls(target.proxy.faultCounts());
    figures[KEYS.ratioApart] = ratioOf(totalCalls(withoutSts), totalCalls(minimum));
    figures[KEYS.ratioCounted] = ratioOf(totalCalls(actual), totalCalls(minimum));
    return figures;
  });
}

/** The port, and the inventory it collected last (to show the tool saw the whole fleet). */
function recordInventory(port: Ec2Port): { port: Ec2Port; inventory: () => Inventory | undefined } {
  let last: Inventory | undefined;
  return {
    port: {
      ...port,
      collectInventory: async (options) => {
        last = await port.collectInventory(options);
        return last;
      },
    },
    inventory: () => last,
  };
}

function describeInventory(inventory: Inventory | undefined): string {
  if (inventory === undefined) return 'nothing';
  const { instances, volumes, snapshots, images } = inventory;
  return `${instances.length} instances, ${volumes.length} volumes, ${snapshots.length} snapshots, ${images.length} images`;
}

const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

export const API_CALLS_BENCH: BenchDefinition = {
  name: 'api-calls',
  title: `API calls of one run: moto behind the counting proxy, ${INSTANCES} instances, ${INSTANCES * 3} volumes, ${INSTANCES * 3 * SNAPSHOTS_PER_VOLUME} snapshots`,
  checks: [
    { label: 'calls ÷ minimum (STS apart)', key: KEYS.ratioApart, kind: 'at-most', limit: 1.05 },
    { label: 'calls ÷ minimum (STS counted)', key: KEYS.ratioCounted, kind: 'at-most', limit: 1.05 },
    { label: 'failed actions', key: KEYS.failed, kind: 'at-most', limit: 0 },
    { label: 'due volumes not snapshotted', key: KEYS.notSnapshotted, kind: 'at-most', limit: 0 },
  ],
  run: runApiCallsBench,
};

if (isEntryPoint(import.meta.url)) runStandalone(API_CALLS_BENCH);
