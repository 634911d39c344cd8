/**
 * The worker's side of the `collect-limits` bench, run as a process of its own under a Lambda's
 * heap flags and CPU share: collect the fake EC2's fleet over HTTP through the EC2 port (the
 * SDK's own HTTP handler, paginators and parser) under the Describe bucket, plan it, and print
 * the figures. It imports only what the worker's collect and plan import, so its memory is the
 * worker's.
 *
 * Started by collect-limits.ts: `node <heap flags> --import tsx limited-collection.ts --bench-child <port> <burst>`.
 */
import process from 'node:process';
import { createAwsClients } from '../../src/aws/clients.js';
import { createEc2Port } from '../../src/aws/ec2-port.js';
import { ThrottleRegistry } from '../../src/aws/throttle.js';
import { planSnapshots } from '../../src/core/plan.js';
import { benchPolicies } from '../generate-fleet.js';
import { isBenchChild, printChildFigures } from './process.js';
import type { Figures } from './report.js';

const NOW = Date.parse('2024-05-10T12:00:00Z');
const MiB = 2 ** 20;
const REFILL_PER_SECOND = 20;

const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

/**
 * How fast this machine is now: a bare DescribeSnapshotsCommand's parse of a page of 1,000
 * snapshots, in CPU milliseconds (the fastest of a few rounds), unthrottled. On a quiet machine
 * it is about 20 ms; a machine shared with other work makes every CPU millisecond do less.
 */
async function calibrateParse(): Promise<Figures> {
  // Loaded here only: the measured process imports nothing the worker would not.
  const { bareParseMsPerPage } = await import('./parse-cost.js');
  return { 'bare parse (CPU ms/page)': Math.round((await bareParseMsPerPage(3, 20)) * 10) / 10 };
}

/** Collect and plan the fleet the fake on `port` serves; see the module comment. */
export async function measureLimitedCollection(port: number, burst: number): Promise<Figures> {
  const region = 'eu-west-1';
  const account = '111122223333';
  const clients = createAwsClients({
    region,
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const bucket = { capacity: burst, refillPerSecond: REFILL_PER_SECOND };
  const ec2 = createEc2Port(clients, {
    account,
    region,
    throttle: new ThrottleRegistry({ describe: bucket }),
  });
  const policies = benchPolicies();
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const inventory = await ec2.collectInventory({ policyIds: policies.map((p) => p.id) });
  const seconds = (performance.now() - started) / 1000;
  const collectingCpu = cpuSeconds(cpuBefore);
  const peakCollecting = process.resourceUsage().maxRSS * 1024;
  const planStarted = performance.now();
  const plan = planSnapshots(inventory, policies, { now: NOW, runId: 'bench' });
  const planningMs = performance.now() - planStarted;
  const peak = process.resourceUsage().maxRSS * 1024;
  return {
    collected: `${inventory.instances.length} instances, ${inventory.volumes.length} volumes, ${inventory.snapshots.length} snapshots, ${inventory.images.length} images; gaps: ${inventory.gaps?.length ?? 0}`,
    'collection (s)': Math.round(seconds * 100) / 100,
    'CPU while collecting (s)': Math.round(collectingCpu * 10) / 10,
    'CPU share used while collecting': Math.round((collectingCpu / seconds) * 1000) / 1000,
    'planning (ms)': Math.round(planningMs),
    plan: `+${plan.summary.create} -${plan.summary.delete} =${plan.summary.keep} skip ${plan.summary.skip}`,
    'RSS before collecting (MiB)': Math.round(rssBefore / MiB),
    'peak RSS, collecting (MiB)': Math.round(peakCollecting / MiB),
    'peak RSS, collecting + planning (MiB)': Math.round(peak / MiB),
  };
}

if (isBenchChild()) {
  const args = process.argv.slice(-2);
  const work =
    args[1] === 'calibrate'
      ? calibrateParse()
      : measureLimitedCollection(Number(args[0] ?? 0), Number(args[1] ?? 100));
  work.then(printChildFigures, (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
