/**
 * P5 (d): what a page of 1,000 snapshots costs the tool to parse and keep, against the floor —
 * the same page through a bare `EC2Client.send(new DescribeSnapshotsCommand())` (the SDK's
 * deserializer and nothing of ours). Ours is the collection's own path: the SDK paginator on a
 * client with the tool's retry strategy and throttle middleware, and the snapshot sink (mapping,
 * string pool, ownership check), keeping what it maps. Rounds alternate; the fastest round of
 * each counts, so a busy neighbour on the machine does not decide the ratio.
 */
import { DescribeSnapshotsCommand, EC2Client, paginateDescribeSnapshots } from '@aws-sdk/client-ec2';
import { HttpResponse } from '@smithy/protocol-http';
import { createAwsClients } from '../../src/aws/clients.js';
import { createSnapshotSink } from '../../src/aws/snapshot-listing.js';
import { createStringPool } from '../../src/aws/string-pool.js';
import { ThrottleRegistry } from '../../src/aws/throttle.js';
import { applyThrottle } from '../../src/aws/throttle-middleware.js';
import { TAG } from '../../src/core/model.js';
import { createFakeEc2 } from '../../test/support/fakes/fake-ec2.js';
import { generateP5Fleet } from './p5-fleet.js';
import type { Figures } from './report.js';

const PAGES_PER_ROUND = 100;
const ROUNDS = 5;
const UNLIMITED = { capacity: 1_000_000, refillPerSecond: 1_000_000 };
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };

/** Serves `pages` copies of `page`, each but the last with a NextToken, then starts over. */
function servePage(page: string, pages: number) {
  const last = Buffer.from(page);
  const more = Buffer.from(
    page.replace('</DescribeSnapshotsResponse>', '<nextToken>more</nextToken></DescribeSnapshotsResponse>'),
  );
  let served = 0;
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    handle: async () => {
      served += 1;
      const body = Buffer.from(served % pages === 0 ? last : more);
      return {
        response: new HttpResponse({ statusCode: 200, headers: { 'content-type': 'text/xml' }, body }),
      };
    },
    updateHttpClientConfig(): void {},
    httpHandlerConfigs: () => ({}),
    destroy(): void {},
  };
}

/** The first page of the managed listing of a P5-shaped fleet, as the fake writes it. */
async function onePage(): Promise<{ page: string; account: string; region: string; policyIds: string[] }> {
  const now = Date.parse('2024-05-10T12:00:00Z');
  const fleet = generateP5Fleet({
    instances: 100,
    volumes: 300,
    managed: 5_000,
    unmanaged: 0,
    locked: 0,
    archived: 0,
    now,
  });
  const fake = createFakeEc2([fleet.inventory]);
  let page = '';
  const grab = {
    ...fake,
    handle: async (request: Parameters<typeof fake.handle>[0]) => {
      const answer = await fake.handle(request);
      page = Buffer.from(answer.response.body as Buffer).toString('utf8');
      return answer;
    },
  };
  const { region, account } = fleet.inventory;
  const policyIds = fleet.policies.map((p) => p.id);
  const client = new EC2Client({ region, credentials, requestHandler: grab });
  await client.send(
    new DescribeSnapshotsCommand({
      OwnerIds: ['self'],
      MaxResults: 1000,
      Filters: [{ Name: `tag:${TAG.policy}`, Values: policyIds }],
    }),
  );
  return { page: page.replace(/<nextToken>[^<]*<\/nextToken>/, ''), account, region, policyIds };
}

async function bareRound(client: EC2Client): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < PAGES_PER_ROUND; i++) await client.send(new DescribeSnapshotsCommand({}));
  return (performance.now() - started) / PAGES_PER_ROUND;
}

async function oursRound(
  page: string,
  account: string,
  region: string,
  policyIds: string[],
): Promise<number> {
  const clients = createAwsClients({ region, credentials, requestHandler: servePage(page, PAGES_PER_ROUND) });
  applyThrottle(clients.ec2, new ThrottleRegistry({ describe: UNLIMITED }), { account, region });
  const sink = createSnapshotSink({ account, policyIds: new Set(policyIds), pool: createStringPool() });
  const started = performance.now();
  for await (const result of paginateDescribeSnapshots(
    { client: clients.ec2 },
    { OwnerIds: ['self'], MaxResults: 1000 },
  )) {
    sink.add(result.Snapshots ?? []);
  }
  const perPage = (performance.now() - started) / PAGES_PER_ROUND;
  if (sink.own.length !== PAGES_PER_ROUND * 1000) throw new Error(`kept ${sink.own.length} snapshots`);
  return perPage;
}

/**
 * CPU milliseconds a bare DescribeSnapshotsCommand spends on a page of 1,000 snapshots: the
 * fastest of `rounds` rounds of `pages` pages (a yardstick of how fast the machine is now).
 */
export async function bareParseMsPerPage(rounds: number, pages: number): Promise<number> {
  const { page, region } = await onePage();
  const client = new EC2Client({ region, credentials, requestHandler: servePage(page, 1), maxAttempts: 1 });
  await client.send(new DescribeSnapshotsCommand({}));
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const cpu = process.cpuUsage();
    for (let i = 0; i < pages; i++) await client.send(new DescribeSnapshotsCommand({}));
    const used = process.cpuUsage(cpu);
    best = Math.min(best, (used.user + used.system) / 1000 / pages);
  }
  return best;
}

/** The figures of P5 (d). */
export async function measureParseCost(): Promise<Figures> {
  const { page, account, region, policyIds } = await onePage();
  const bare = new EC2Client({ region, credentials, requestHandler: servePage(page, 1), maxAttempts: 1 });
  const floors: number[] = [];
  const ours: number[] = [];
  await bareRound(bare);
  await oursRound(page, account, region, policyIds);
  for (let round = 0; round < ROUNDS; round++) {
    floors.push(await bareRound(bare));
    ours.push(await oursRound(page, account, region, policyIds));
  }
  const floor = Math.min(...floors);
  const best = Math.min(...ours);
  return {
    'page measured': `1,000 snapshots of the bench policies, ${Math.round(Buffer.byteLength(page) / 1024)} KiB of XML`,
    'parse floor: bare DescribeSnapshotsCommand (ms/page)': round2(floor),
    'ours: paginator, retry, throttle, map, pool, keep (ms/page)': round2(best),
    'ours ÷ floor': Math.round((best / floor) * 100) / 100,
  };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
