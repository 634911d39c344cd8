/**
 * The fan-out queues every target of a run exactly once (SPEC §16), through the real work-queue
 * adapter (which resends refused entries) and an SQS fake that refuses entries at random: across
 * a first invocation and a retried one of the same run, no target is sent twice and none is lost;
 * what an invocation could not queue it reports. A first invocation that dies half-way (after SQS
 * took some messages, before their mark) costs duplicates of the chunks in flight only, never a loss.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fakeSqs, freezable, freezer, inMemoryMarks } from '../../../test/support/fakes/in-memory-fan-out.js';
import { inMemoryRunIndex } from '../../../test/support/fakes/in-memory-run-index.js';
import { createWorkQueue } from '../../aws/work-queue.js';
import { type FanOutDeps, fanOutRun } from './fan-out.js';
import { CHUNK_TARGETS, CLAIM_MS, chunksOf, type FanOutMarks, sendRun } from './fan-out-send.js';
import type { WorkItem } from './ports.js';
import type { RunIndexStore } from './run-index.js';

const RUN = '20261206T210000Z-3f9a2c';
const REGIONS = ['ap-south-1', 'eu-west-1', 'eu-west-2', 'us-east-1', 'us-east-2', 'us-west-2'];

/** A run's items: `accounts` accounts, each with the regions its mask picks (at least one). */
function itemsOf(masks: readonly number[]): WorkItem[] {
  return masks.flatMap((mask, index) => {
    const account = String(100000000000 + index * 7919);
    const regions = REGIONS.filter((_, bit) => (mask >> bit) & 1);
    return (regions.length > 0 ? regions : [REGIONS[0]!]).map((region) => ({
      account,
      region,
      run_id: RUN,
      continuation: 0,
    }));
  });
}

const keyOf = (t: { account: string; region: string }) => `${t.account}/${t.region}`;

/** A seeded refusal: entry × attempt refused with probability `rate`. */
const refusing = (seed: number, rate: number) => (item: WorkItem, attempt: number) =>
  hash(`${seed}/${keyOf(item)}/${attempt}`) % 1000 < rate * 1000;

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** One invocation of the run against the shared marks, on a fake clock. */
function invocation(
  owner: string,
  marks: FanOutMarks,
  sqs: ReturnType<typeof fakeSqs>,
  clock: { now: number },
  waiting: 'advances the clock' | 'real time' = 'advances the clock',
) {
  return (items: readonly WorkItem[]) =>
    sendRun(
      {
        queue: createWorkQueue(sqs.client, 'https://sqs.example/q', { sleep: async () => {} }),
        marks,
        owner,
        clock: () => clock.now,
        waitUntil: clock.now + 5 * CLAIM_MS,
        sleep: async (ms) => {
          if (waiting === 'advances the clock') clock.now += ms;
          await new Promise((resolve) => setTimeout(resolve, waiting === 'real time' ? 2 : 0));
        },
        warn: () => {},
      },
      RUN,
      items,
    );
}

const masks = fc.array(fc.integer({ min: 0, max: 63 }), { minLength: 1, maxLength: 120 });

describe('sendRun: every target of a run queued exactly once', () => {
  it('under refused batch entries and a retried invocation, sends each target once and reports the rest', async () => {
    await fc.assert(
      fc.asyncProperty(
        masks,
        fc.integer(),
        fc.double({ min: 0, max: 0.6, noNaN: true }),
        async (m, seed, rate) => {
          // Prepare
          const items = itemsOf(m);
          const clock = { now: 0 };
          const marks = inMemoryMarks();
          const first = fakeSqs({ refuse: refusing(seed, rate) });
          const second = fakeSqs();

          // Act
          const one = await invocation('first', marks, first, clock)(items);
          clock.now += 60_000; // Lambda retries a minute later
          const two = await invocation('second', marks, second, clock)(items);

          // Assess
          const sentOnce = [...first.taken, ...second.taken].map(keyOf);
          expect(sentOnce.sort()).toEqual(items.map(keyOf).sort());
          const reported = new Set(one.unqueued.map(({ item }) => keyOf(item)));
          expect(new Set([...one.queued.map(keyOf), ...reported]).size).toBe(items.length);
          expect(second.taken.map(keyOf).sort()).toEqual([...reported].sort());
          expect(two.queued.map(keyOf).sort()).toEqual(items.map(keyOf).sort());
          expect(two.unqueued).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('when the first invocation dies after SQS took a batch, the retry loses nothing and repeats only chunks in flight', async () => {
    await fc.assert(
      fc.asyncProperty(masks, fc.integer({ min: 1, max: 200 }), async (m, dieAfter) => {
        // Prepare
        const items = itemsOf(m);
        const clock = { now: 0 };
        const marks = inMemoryMarks();
        const dying = freezer();
        let calls = 0;
        const first = fakeSqs({
          freezer: dying,
          onTaken: () => {
            calls += 1;
            if (calls === dieAfter) dying.freeze();
          },
        });
        const second = fakeSqs();

        // Act
        void invocation('first', freezable(marks, dying), first, clock)(items);
        await until(() => dying.frozen || marksDone(marks, items.length));
        clock.now += CLAIM_MS + 60_000; // its claims expire; Lambda retries
        const two = await invocation('second', marks, second, clock)(items);

        // Assess
        const all = [...first.taken, ...second.taken].map(keyOf);
        expect(new Set(all)).toEqual(new Set(items.map(keyOf)));
        const repeated = all.length - items.length;
        expect(repeated).toBeLessThanOrEqual(4 * CHUNK_TARGETS);
        expect(two.queued.map(keyOf).sort()).toEqual(items.map(keyOf).sort());
      }),
      { numRuns: 40 },
    );
  });

  it('two invocations of the same run at once send each target once', async () => {
    // Prepare
    const items = itemsOf(Array.from({ length: 400 }, (_, i) => (i * 37) % 64));
    const clock = { now: 0 };
    const marks = inMemoryMarks({ latencyMs: 1 });
    const sqs = fakeSqs({ latencyMs: () => 1 });

    // Act
    const [a, b] = await Promise.all([
      // Neither claim expires while the other waits: each chunk goes once.
      invocation('a', marks, sqs, clock, 'real time')(items),
      invocation('b', marks, sqs, clock, 'real time')(items),
    ]);

    // Assess
    expect(sqs.taken.map(keyOf).sort()).toEqual(items.map(keyOf).sort());
    expect(a.sent + b.sent).toBe(items.length);
    expect(b.queued.length).toBe(items.length);
    expect(chunksOf(items).size).toBeGreaterThan(1);
  });
});

function marksDone(marks: ReturnType<typeof inMemoryMarks>, total: number): boolean {
  let queued = 0;
  for (const chunk of marks.chunks.values()) queued += chunk.queued.length;
  return queued === total;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** A run of the Scheduler's, fanned out by `fanOutRun` over the fakes: org accounts from `masks`, their regions through their roles. */
function fanOutOf(m: readonly number[], marks: FanOutMarks, runs: RunIndexStore) {
  const regionsOf = new Map(itemsOf(m).map((i) => [i.account, [] as string[]]));
  for (const { account, region } of itemsOf(m)) regionsOf.get(account)!.push(region);
  const calls = { ListAccounts: 0, AssumeRole: 0 };
  const stored = { name: 'default', text: ORG_CONFIG, updatedAt: '2026-12-06T20:00:00Z', sha256: '' };
  const invoke = (invocation: string, sqs: ReturnType<typeof fakeSqs>) => {
    const deps: FanOutDeps = {
      table: 'test',
      configName: 'default',
      configs: {
        put: async () => {},
        get: async () => stored,
        list: async () => [stored],
        delete: async () => false,
      },
      queue: createWorkQueue(sqs.client, 'https://sqs.example/q', { sleep: async () => {} }),
      marks,
      invocation,
      remainingMs: () => 300_000,
      sleep: async () => {},
      runs,
      ownAccount: async () => '999999999999',
      organizationAccounts: async () => {
        calls.ListAccounts += 1;
        return [...regionsOf.keys()];
      },
      regionsOf: async (account) => {
        calls.AssumeRole += 1;
        return regionsOf.get(account)!;
      },
      notifiersFor: () => [],
      clock: () => Date.parse(SCHEDULED) + 1_000,
      warn: () => {},
    };
    return fanOutRun(deps, { scheduledTime: SCHEDULED });
  };
  return { calls, invoke };
}

const SCHEDULED = '2026-12-06T21:00:00Z';
const ORG_CONFIG = `version: 1
settings:
  organization: true
policies:
  - id: web
    select: {volumes: {tag:Backup: "true"}}
    schedule: {every: 1 day}
    retention: {minimum: 1}
`;

describe('fanOutRun: a retried invocation of a run queued whole', () => {
  it('answers from the run’s mark: nothing sent, no ListAccounts or AssumeRole; a run not queued whole is fanned out again', async () => {
    await fc.assert(
      fc.asyncProperty(
        masks,
        fc.integer(),
        fc.double({ min: 0, max: 0.6, noNaN: true }),
        async (m, seed, rate) => {
          // Prepare
          const items = itemsOf(m);
          const marks = inMemoryMarks();
          const { calls, invoke } = fanOutOf(m, marks, inMemoryRunIndex());
          const first = fakeSqs({ refuse: refusing(seed, rate) });
          const later = fakeSqs();

          // Act: the first invocation, then retries until one finds the run queued whole
          const one = await invoke('first', first);
          const whole = one.failures.length === 0;
          const callsAfterFirst = { ...calls };
          const two = await invoke('second', later);
          const callsAfterSecond = { ...calls };
          const three = await invoke('third', later);

          // Assess
          expect([...first.taken, ...later.taken].map(keyOf).sort()).toEqual(items.map(keyOf).sort());
          if (whole) {
            expect(two).toMatchObject({ sent: 0, items: [], failures: [], alreadyQueued: items.length });
            expect(callsAfterSecond).toEqual(callsAfterFirst);
          } else {
            expect(callsAfterSecond.ListAccounts).toBe(2);
            expect(two.failures).toEqual([]);
          }
          expect(three).toMatchObject({ sent: 0, failures: [], alreadyQueued: items.length });
          expect(calls).toEqual(callsAfterSecond);
          expect(marks.runs.get(one.runId)).toBe(items.length);
        },
      ),
      { numRuns: 40 },
    );
  });
});
