/**
 * The fan-out's side of the deployment in memory, for its property tests and the `fanout-scale`
 * bench: the table's fan-out marks (claims that expire on a fake clock), and an SQS that the real
 * work-queue adapter talks to (its `send` answers SendMessageBatch), refusing entries as told and
 * keeping every message it took. `freeze()` plays a dying invocation: from then on, every call of
 * these fakes hangs for ever, so nothing that invocation would have done next ever happens.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ChunkState, FanOutMarks } from '../../../src/app/serverless/fan-out-send.js';
import type { WorkItem } from '../../../src/app/serverless/ports.js';
import type { RunTarget } from '../../../src/app/serverless/run-index.js';

/** A switch shared by fakes: once frozen, their calls never settle (the process is gone). */
export interface Freezer {
  frozen: boolean;
  freeze(): void;
}

export const freezer = (): Freezer => ({
  frozen: false,
  freeze() {
    this.frozen = true;
  },
});

const hang = <T>(): Promise<T> => new Promise<T>(() => {});

/** Marks as the table keeps them: per run and chunk, its queued targets and who holds it until when. */
export function inMemoryMarks(options: { latencyMs?: number } = {}): FanOutMarks & {
  readonly chunks: Map<string, { queued: RunTarget[]; owner?: string; until: number }>;
  /** The runs marked fully queued, with their target counts. */
  readonly runs: Map<string, number>;
  /** The writes made: claims, chunk marks and run marks together. */
  calls: number;
  /** The reads of a run's mark. */
  reads: number;
} {
  const chunks = new Map<string, { queued: RunTarget[]; owner?: string; until: number }>();
  const runs = new Map<string, number>();
  const pause = () => sleepFor(options.latencyMs ?? 0);
  return {
    chunks,
    runs,
    calls: 0,
    reads: 0,
    async claim(runId, chunk, owner, now, until): Promise<ChunkState | undefined> {
      this.calls += 1;
      await pause();
      const key = `${runId}/${chunk}`;
      const known = chunks.get(key);
      const held = known?.owner !== undefined && known.owner !== owner && known.until >= now;
      if (held) return undefined;
      const next = { queued: known?.queued ?? [], owner, until };
      chunks.set(key, next);
      return { queued: [...next.queued] };
    },
    async done(runId, chunk, owner, queued) {
      this.calls += 1;
      await pause();
      const key = `${runId}/${chunk}`;
      const known = chunks.get(key);
      if (known?.owner !== owner) return;
      chunks.set(key, { queued: [...queued], until: 0 });
    },
    async queuedRun(runId) {
      this.reads += 1;
      await pause();
      return runs.get(runId);
    },
    async runQueued(runId, targets) {
      this.calls += 1;
      await pause();
      runs.set(runId, targets);
    },
  };
}

/** The marks of `inner`, hanging once `freezer` is frozen. */
export function freezable(inner: FanOutMarks, switchOf: Freezer): FanOutMarks {
  return {
    claim: (...args) => (switchOf.frozen ? hang() : inner.claim(...args)),
    done: (...args) => (switchOf.frozen ? hang() : inner.done(...args)),
    queuedRun: (...args) => (switchOf.frozen ? hang() : inner.queuedRun(...args)),
    runQueued: (...args) => (switchOf.frozen ? hang() : inner.runQueued(...args)),
  };
}

/** Whether SQS refuses this entry of this call (the entry's item, and its n-th send). */
export type Refuse = (item: WorkItem, attempt: number) => boolean;

export interface FakeSqs {
  /** The client the work-queue adapter is given. */
  readonly client: SQSClient;
  /** Every message SQS took, in order. */
  readonly taken: WorkItem[];
  /** SendMessageBatch calls. */
  calls: number;
  /** Entries refused. */
  refused: number;
  /** The most calls in flight at once. */
  peakInFlight: number;
}

/**
 * An SQS standard queue's SendMessageBatch: at most 10 entries a call (more is refused, as SQS
 * does), `latencyMs()` per call, refusing what `refuse` says (a retryable, server-side refusal).
 * `onTaken` runs after each call that took messages (before the answer is back: SQS has them).
 */
export function fakeSqs(
  options: { refuse?: Refuse; latencyMs?: () => number; freezer?: Freezer; onTaken?: () => void } = {},
): FakeSqs {
  const attempts = new Map<string, number>();
  let inFlight = 0;
  const fake: FakeSqs = {
    taken: [],
    calls: 0,
    refused: 0,
    peakInFlight: 0,
    client: {
      send: async (command: { input: { Entries?: { Id: string; MessageBody: string }[] } }) => {
        if (options.freezer?.frozen) return hang();
        const entries = command.input.Entries ?? [];
        if (entries.length > 10)
          throw Object.assign(new Error('too many entries'), { name: 'TooManyEntriesInBatchRequest' });
        fake.calls += 1;
        inFlight += 1;
        fake.peakInFlight = Math.max(fake.peakInFlight, inFlight);
        await sleepFor(options.latencyMs?.() ?? 0);
        inFlight -= 1;
        const Successful: { Id: string }[] = [];
        const Failed: { Id: string; Code: string; Message: string; SenderFault: boolean }[] = [];
        for (const entry of entries) {
          const item = JSON.parse(entry.MessageBody) as WorkItem;
          const key = `${item.account}/${item.region}`;
          const attempt = (attempts.get(key) ?? 0) + 1;
          attempts.set(key, attempt);
          if (options.refuse?.(item, attempt)) {
            fake.refused += 1;
            Failed.push({ Id: entry.Id, Code: 'InternalError', Message: 'refused', SenderFault: false });
          } else {
            fake.taken.push(item);
            Successful.push({ Id: entry.Id });
          }
        }
        options.onTaken?.();
        if (options.freezer?.frozen) return hang();
        return { Successful, Failed };
      },
    } as unknown as SQSClient,
  };
  return fake;
}

const sleepFor = (ms: number) =>
  ms <= 0
    ? new Promise<void>((resolve) => setImmediate(resolve))
    : new Promise<void>((r) => setTimeout(r, ms));
