/**
 * Queueing a run's work items exactly once (SPEC §16), even when the fan-out is invoked again for
 * the same run (Lambda's async retry, the Scheduler firing one scheduled time twice): the items are
 * cut into chunks of whole accounts, each chunk is claimed in the table with a conditional write
 * before it is sent and marked with the targets SQS took after, so a later invocation of the run
 * sends only what no earlier one marked. A crash between SQS taking a chunk and its mark costs a
 * duplicate message (the worker's lease and run records make a second delivery harmless); a target
 * is never lost: a claim expires, and a chunk claimed by another invocation is waited for. Once
 * the whole run is queued (every target, and the run index written), the run itself is marked, and
 * a later invocation answers from that mark before it reads, lists, assumes or sends anything.
 */
import { runPool } from '../kit/pool.js';
import type { UnqueuedItem, WorkItem, WorkQueue } from './ports.js';
import type { RunTarget } from './run-index.js';

/** A chunk of a run as the table has it: the targets queued so far, and who holds it until when. */
export interface ChunkState {
  readonly queued: readonly RunTarget[];
}

/** The fan-out's marks in the table, per run and chunk. */
export interface FanOutMarks {
  /**
   * Take the chunk for `owner` until `until` (epoch ms), unless another owner holds it past `now`:
   * its state then, or undefined when it is held.
   */
  claim(
    runId: string,
    chunk: string,
    owner: string,
    now: number,
    until: number,
  ): Promise<ChunkState | undefined>;
  /** Write every target of the chunk queued so far, and let the claim go. */
  done(runId: string, chunk: string, owner: string, queued: readonly RunTarget[]): Promise<void>;
  /** How many targets the run has, when it was marked fully queued (and the mark has not expired at `now`). */
  queuedRun(runId: string, now: number): Promise<number | undefined>;
  /** Mark the run fully queued: every one of its `targets` queued, its run index written. */
  runQueued(runId: string, targets: number, now: number): Promise<void>;
}

export interface SendRunDeps {
  readonly queue: WorkQueue;
  readonly marks: FanOutMarks;
  /** This invocation, as a claim's owner. */
  readonly owner: string;
  readonly clock: () => number;
  /** Epoch ms after which a chunk held by another invocation is no longer waited for. */
  readonly waitUntil: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly warn: (message: string, error: unknown) => void;
}

export interface SentRun {
  /** Every target of the run queued, by this invocation or an earlier one. */
  readonly queued: readonly RunTarget[];
  /** What this invocation sent. */
  readonly sent: number;
  readonly unqueued: readonly UnqueuedItem[];
}

/** Targets a chunk holds at most (whole accounts: an account's 17 regions are never split). */
export const CHUNK_TARGETS = 500;
/** Chunks sent at once; each sends its batches in parallel too (the queue's own concurrency). */
const CHUNK_CONCURRENCY = 4;
/** How long a claim holds: far longer than a chunk takes, short enough for a retry to find it gone. */
export const CLAIM_MS = 60_000;
const POLL_MS = 2_000;
/** A chunk another invocation held past the wait: not known to be queued. */
export const CLAIMED_ELSEWHERE = 'fanout.claimed-elsewhere';

const keyOf = (t: RunTarget) => `${t.account}/${t.region}`;

/** @example const { queued, unqueued } = await sendRun(deps, runId, items); */
export async function sendRun(
  deps: SendRunDeps,
  runId: string,
  items: readonly WorkItem[],
): Promise<SentRun> {
  const chunks = chunksOf(items);
  const queued: RunTarget[] = [];
  const unqueued: UnqueuedItem[] = [];
  let sent = 0;
  /** One go at a chunk: false when another invocation holds it. */
  const attempt = async ([chunk, chunkItems]: [string, WorkItem[]]): Promise<boolean> => {
    let state: ChunkState | undefined;
    let marked = true;
    try {
      const now = deps.clock();
      state = await deps.marks.claim(runId, chunk, deps.owner, now, now + CLAIM_MS);
      if (state === undefined) return false;
    } catch (error) {
      // Without the table, send anyway: a duplicate is tolerable, a lost target is not.
      deps.warn(`fan-out chunk ${chunk} not claimed; sent unmarked`, error);
      state = { queued: [] };
      marked = false;
    }
    const before = new Set(state.queued.map(keyOf));
    const todo = chunkItems.filter((item) => !before.has(keyOf(item)));
    const refused = todo.length === 0 ? [] : await deps.queue.send(todo);
    const left = new Set(refused.map(({ item }) => keyOf(item)));
    const now = [...state.queued, ...todo.filter((i) => !left.has(keyOf(i))).map(targetOf)];
    sent += todo.length - left.size;
    queued.push(...now);
    unqueued.push(...refused);
    if (marked)
      await deps.marks
        .done(runId, chunk, deps.owner, now)
        .catch((error: unknown) =>
          deps.warn(`fan-out chunk ${chunk} not marked (a retry sends it again)`, error),
        );
    return true;
  };
  let held: [string, WorkItem[]][] = [];
  await runPool([...chunks], CHUNK_CONCURRENCY, async (entry) => {
    if (!(await attempt(entry))) held.push(entry);
  });
  while (held.length > 0 && deps.clock() + POLL_MS < deps.waitUntil) {
    await deps.sleep(POLL_MS);
    const still: [string, WorkItem[]][] = [];
    for (const entry of held) if (!(await attempt(entry))) still.push(entry);
    held = still;
  }
  for (const [, chunkItems] of held)
    for (const item of chunkItems)
      unqueued.push({
        item,
        code: CLAIMED_ELSEWHERE,
        message: 'another invocation of this run was queuing it and had not finished',
      });
  return { queued, sent, unqueued };
}

/** The items, each target once, sorted, cut into chunks of whole accounts keyed by their accounts. */
export function chunksOf(items: readonly WorkItem[]): Map<string, WorkItem[]> {
  const unique = new Map(items.map((item) => [keyOf(item), item]));
  const byAccount = new Map<string, WorkItem[]>();
  for (const key of [...unique.keys()].sort()) {
    const item = unique.get(key)!;
    const accountItems = byAccount.get(item.account) ?? [];
    accountItems.push(item);
    byAccount.set(item.account, accountItems);
  }
  const chunks = new Map<string, WorkItem[]>();
  let current: WorkItem[] = [];
  let first = '';
  let last = '';
  const close = () => {
    if (current.length > 0) chunks.set(`${first}..${last}`, current);
    current = [];
  };
  for (const [account, accountItems] of byAccount) {
    if (current.length > 0 && current.length + accountItems.length > CHUNK_TARGETS) close();
    if (current.length === 0) first = account;
    last = account;
    current.push(...accountItems);
  }
  close();
  return chunks;
}

const targetOf = ({ account, region }: WorkItem): RunTarget => ({ account, region });

/**
 * The targets of a run an earlier invocation marked fully queued, or undefined (not marked, or the
 * mark cannot be read: then the run is fanned out as if it were not, the chunk marks still hold).
 */
export async function queuedBefore(
  deps: Pick<SendRunDeps, 'marks' | 'warn'>,
  runId: string,
  now: number,
): Promise<number | undefined> {
  try {
    return await deps.marks.queuedRun(runId, now);
  } catch (error) {
    deps.warn(`fan-out mark of run ${runId} not read; the run is fanned out again`, error);
    return undefined;
  }
}

/** Mark the run fully queued; a mark not written costs a retry the slow way, never a target. */
export async function markQueued(
  deps: Pick<SendRunDeps, 'marks' | 'warn'>,
  runId: string,
  targets: number,
  now: number,
): Promise<void> {
  await deps.marks
    .runQueued(runId, targets, now)
    .catch((error: unknown) => deps.warn(`fan-out mark of run ${runId} not written`, error));
}

/** Marks that remember nothing: every chunk is free, each invocation stands alone. */
export function unmarked(): FanOutMarks {
  return {
    claim: async () => ({ queued: [] }),
    done: async () => {},
    queuedRun: async () => undefined,
    runQueued: async () => {},
  };
}
