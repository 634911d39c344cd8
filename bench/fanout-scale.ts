/**
 * `fanout-scale` (issue 19): the fan-out of a run of 1,000 accounts × 17 regions, through the real
 * fan-out (`fanOutRun`), the real Organizations listing, DescribeRegions reading and work-queue
 * adapter, against in-process fakes with AWS-like latencies (20–60 ms a call) and limits:
 * Organizations gives 20 accounts a page, STS answers AssumeRole, SQS takes at most 10 entries a
 * call and refuses 1% of them (once each). Prints the wall time, the calls of each kind, and whether
 * every target was queued exactly once — then a retried invocation of the same run (the Scheduler's
 * scheduled time makes its run id), which must queue nothing again and, the run being marked queued
 * whole, list no account and assume no role.
 */
import { type ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { type FanOutDeps, fanOutRun } from '../src/app/serverless/fan-out.js';
import type { StoredConfig } from '../src/app/serverless/ports.js';
import { createCredentialCache } from '../src/aws/credential-cache.js';
import { listActiveAccounts } from '../src/aws/organizations.js';
import { listEnabledRegions } from '../src/aws/regions.js';
import { createWorkQueue } from '../src/aws/work-queue.js';
import { fakeSqs, inMemoryMarks } from '../test/support/fakes/in-memory-fan-out.js';
import { inMemoryRunIndex } from '../test/support/fakes/in-memory-run-index.js';
import { mulberry32 } from '../test/support/random.js';
import type { BenchDefinition, Figures } from './support/report.js';

const ACCOUNTS = 1_000;
const REGIONS = [
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];
const PAGE = 20;
const REFUSED = 0.01;
const SCHEDULED = '2026-12-06T21:00:00Z';
const CONFIG = `version: 1
settings:
  organization: true
policies:
  - id: bench
    select: {volumes: {tag:Backup: "true"}}
    schedule: {every: 1 day}
    retention: {max_age: 7 days, minimum: 1}
`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runFanOutScaleBench(): Promise<Figures> {
  const random = mulberry32(19);
  const latency = () => 20 + Math.floor(random() * 41);
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => String(200000000000 + i * 101));
  const calls = { ListAccounts: 0, AssumeRole: 0, DescribeRegions: 0 };
  const organizations = Object.assign(Object.create(OrganizationsClient.prototype) as OrganizationsClient, {
    async send(command: ListAccountsCommand) {
      calls.ListAccounts += 1;
      await sleep(latency());
      const from = Number(command.input.NextToken ?? 0);
      const size = Math.min(command.input.MaxResults ?? PAGE, PAGE);
      const next = from + size < accounts.length ? String(from + size) : undefined;
      return {
        Accounts: accounts.slice(from, from + size).map((Id) => ({ Id, State: 'ACTIVE', Status: 'ACTIVE' })),
        ...(next === undefined ? {} : { NextToken: next }),
      };
    },
  });
  const assume =
    (account: string): AwsCredentialIdentityProvider =>
    async () => {
      calls.AssumeRole += 1;
      await sleep(latency());
      return {
        accessKeyId: `AKIA${account}`,
        secretAccessKey: 's',
        expiration: new Date(Date.now() + 3_600_000),
      };
    };
  // The EC2 client of an account: asks its credentials (as the SDK does before each call), then answers.
  const ec2In = (credentials: AwsCredentialIdentityProvider) =>
    ({
      async send() {
        await credentials();
        calls.DescribeRegions += 1;
        await sleep(latency());
        return { Regions: REGIONS.map((RegionName) => ({ RegionName, OptInStatus: 'opt-in-not-required' })) };
      },
    }) as unknown as Parameters<typeof listEnabledRegions>[0];
  const refusals = mulberry32(7);
  const sqs = fakeSqs({ latencyMs: latency, refuse: (_, attempt) => attempt === 1 && refusals() < REFUSED });
  const marks = inMemoryMarks({ latencyMs: 10 });
  const runs = inMemoryRunIndex();
  const stored: StoredConfig = { name: 'default', text: CONFIG, updatedAt: SCHEDULED, sha256: '' };
  const invoke = (invocation: string) => {
    const sessions = createCredentialCache();
    const deps: FanOutDeps = {
      table: 'bench',
      configName: 'default',
      configs: {
        put: async () => {},
        get: async () => stored,
        list: async () => [stored],
        delete: async () => false,
      },
      queue: createWorkQueue(sqs.client, 'https://sqs.us-east-1.amazonaws.com/1/work'),
      marks,
      invocation,
      remainingMs: () => 300_000,
      sleep,
      runs,
      ownAccount: async () => '100000000000',
      organizationAccounts: () => listActiveAccounts(organizations),
      regionsOf: (account) => listEnabledRegions(ec2In(sessions.forAccount(account, () => assume(account)))),
      notifiersFor: () => [],
      clock: () => Date.parse(SCHEDULED) + 1_000,
      warn: () => {},
    };
    return fanOutRun(deps, { scheduledTime: SCHEDULED });
  };

  const started = performance.now();
  const first = await invoke('first');
  const wallMs = performance.now() - started;
  const firstCalls = { ...calls, SendMessageBatch: sqs.calls };
  const firstMarks = { writes: marks.calls, reads: marks.reads };
  const retriedStarted = performance.now();
  const retried = await invoke('retried');
  const retriedMs = performance.now() - retriedStarted;

  const expected = ACCOUNTS * REGIONS.length;
  const counts = new Map<string, number>();
  for (const item of sqs.taken)
    counts.set(`${item.account}/${item.region}`, (counts.get(`${item.account}/${item.region}`) ?? 0) + 1);
  const duplicates = [...counts.values()].filter((n) => n > 1).length;
  const bodies = new Set(sqs.taken.map((item) => JSON.stringify(Object.keys(item))));
  return {
    targets: expected,
    'fan-out wall time': Math.round(wallMs),
    'messages sent': first.sent,
    'ListAccounts calls': firstCalls.ListAccounts,
    'AssumeRole calls': firstCalls.AssumeRole,
    'DescribeRegions calls': firstCalls.DescribeRegions,
    'SendMessageBatch calls': firstCalls.SendMessageBatch,
    'batch entries refused (1%)': sqs.refused,
    'peak SendMessageBatch in flight': sqs.peakInFlight,
    'marks written (claims + done + the run queued whole)': firstMarks.writes,
    'targets queued once': [...counts.values()].filter((n) => n === 1).length,
    'targets duplicated': duplicates,
    'targets missing': expected - counts.size,
    'failures reported': first.failures.length,
    'retried invocation: messages sent': retried.sent,
    'retried invocation: already queued': retried.alreadyQueued ?? retried.items.length - retried.sent,
    'retried invocation: ListAccounts calls': calls.ListAccounts - firstCalls.ListAccounts,
    'retried invocation: AssumeRole calls': calls.AssumeRole - firstCalls.AssumeRole,
    'retried invocation: DescribeRegions calls': calls.DescribeRegions - firstCalls.DescribeRegions,
    'retried invocation: marks read': marks.reads - firstMarks.reads,
    'retried invocation: marks written': marks.calls - firstMarks.writes,
    'retried invocation: wall time': Math.round(retriedMs),
    'message body keys': [...bodies].join(' '),
    'exactly once': counts.size === expected && duplicates === 0 && retried.sent === 0 ? 1 : 0,
  };
}

export const FANOUT_SCALE_BENCH: BenchDefinition = {
  name: 'fanout-scale',
  title: `fanOut at organization scale: ${ACCOUNTS.toLocaleString('en-US')} accounts × ${REGIONS.length} regions, 1% of batch entries refused`,
  checks: [
    { label: 'fan-out wall time', key: 'fan-out wall time', kind: 'at-most', limit: 60_000, unit: 'ms' },
    {
      label: 'AssumeRole calls (one per account)',
      key: 'AssumeRole calls',
      kind: 'at-most',
      limit: ACCOUNTS,
    },
    {
      label: 'ListAccounts calls (20 a page)',
      key: 'ListAccounts calls',
      kind: 'at-most',
      limit: ACCOUNTS / PAGE,
    },
    { label: 'every target queued exactly once', key: 'exactly once', kind: 'at-least', limit: 1 },
    {
      label: 'a retried invocation sends nothing again',
      key: 'retried invocation: messages sent',
      kind: 'at-most',
      limit: 0,
    },
    {
      label: 'a retried invocation lists no account',
      key: 'retried invocation: ListAccounts calls',
      kind: 'at-most',
      limit: 0,
    },
    {
      label: 'a retried invocation assumes no role',
      key: 'retried invocation: AssumeRole calls',
      kind: 'at-most',
      limit: 0,
    },
  ],
  run: runFanOutScaleBench,
};
