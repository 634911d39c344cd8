/**
 * A worker handed several work items at once (SPEC §16): most targets of an organization are empty
 * (regions nobody uses), and each would otherwise cost an invocation of its own. Every item is
 * checked against the config first (before any role or EC2 call, as a single item is), then its
 * target is looked at with two small pages, several at once. An empty target gets a compact
 * record and nothing else. A target with work is never held up by the others: a small one (both
 * pages held all it has) is worked on here at once, beside the other small ones (a few at a time:
 * their runs are short and light, and an invocation's billed time is mostly waiting on EC2); of
 * the large ones, the first found is worked on here at once, and each further one is handed,
 * unchanged, to the solo queue (one item per invocation) as soon as it is found — or, with no solo
 * queue, worked on here after the first, each with the deadline and continuations of a single item.
 */
import type { Config } from '../../core/policy/types.js';
import { runPool } from '../kit/pool.js';
import { KeyedSlots, type Slot } from '../run/semaphore.js';
import { type EmptyVerdict, verdictOf } from './empty-target.js';
import type { WorkItem, WorkQueue } from './ports.js';
import { describeStored, loadStoredConfig } from './stored-config.js';
import { finishEmpty } from './work-finish.js';
import {
  type CheckedItem,
  checkWorkItem,
  deadlineOf,
  type Invocation,
  portOf,
  processWorkItem,
  runWorkItem,
  type WorkerDeps,
} from './work-target.js';

/**
 * Targets looked at at once: a batch of 100 decided in 4 round trips. Each is another account ×
 * region, with EC2 buckets of its own; what it costs here is sockets and memory, a little of each.
 */
const GLANCE_CONCURRENCY = 25;
/** Small targets worked on side by side: fewer than 100 volumes and 1,000 snapshots each. */
const SMALL_CONCURRENCY = 8;

/** One record of the batch: its message id, its work item and how often SQS delivered it. */
export interface BatchRecord {
  readonly id: string;
  readonly item: WorkItem;
  readonly receiveCount: number;
}

export interface BatchDeps extends WorkerDeps {
  /** The solo queue: where a further target with work goes; absent, it is worked on here. */
  readonly solo?: WorkQueue;
  /** Default {@link GLANCE_CONCURRENCY}. */
  readonly glanceConcurrency?: number;
  /** Small targets worked on here side by side; default {@link SMALL_CONCURRENCY}; 0 treats every target as large. */
  readonly smallConcurrency?: number;
}

/**
 * Process the batch; returns the ids of the records to deliver again (a retry that may help, a
 * record not written, a forward not sent). Never throws.
 */
export async function processBatch(
  records: readonly BatchRecord[],
  invocation: Omit<Invocation, 'receiveCount'>,
  deps: BatchDeps,
): Promise<readonly string[]> {
  const invocationOf = (r: BatchRecord): Invocation => ({ ...invocation, receiveCount: r.receiveCount });
  const config = await loadOnce(deps);
  if (config === undefined) {
    // The config cannot be read: each item is reported (or retried) exactly as a single one is.
    return sequentially(records, (r) => processWorkItem(r.item, invocationOf(r), deps).then((o) => !o.retry));
  }
  const retried = new Set<string>();
  const failedUnless = async (record: BatchRecord, work: () => Promise<boolean>) => {
    const ok = await work().catch((error: unknown) => {
      deps.telemetry.warn(`work item ${record.item.account}/${record.item.region} not finished`, error);
      return false;
    });
    if (!ok) retried.add(record.id);
  };
  let first: Promise<void> | undefined;
  const waiting: BatchRecord[] = [];
  const smallAtOnce = deps.smallConcurrency ?? SMALL_CONCURRENCY;
  const small: Promise<void>[] = [];
  // Slots, as a run's stops take them: `target:` keeps a target delivered twice in one batch (SQS
  // delivers at least once) to one run at a time — both copies share this invocation's request id,
  // so the lease alone would let them overlap — and `small` bounds the small targets side by side.
  const slots = new KeyedSlots();
  const runHere = async (record: BatchRecord, bounds: readonly Slot[] = []) => {
    const release = await slots.acquireAll([
      ...bounds,
      { key: `target:${record.item.account}/${record.item.region}`, limit: 1 },
    ]);
    try {
      await failedUnless(record, () => runNow(record, invocationOf(record), deps, config));
    } finally {
      release();
    }
  };
  const withWork = async (record: BatchRecord, isSmall: boolean) => {
    if (isSmall && smallAtOnce > 0) small.push(runHere(record, [{ key: 'small', limit: smallAtOnce }]));
    else if (first === undefined) first = runHere(record);
    else if (deps.solo !== undefined)
      await failedUnless(record, () => forward(record.item, deps.solo!, deps));
    else waiting.push(record);
  };
  await runPool(records, deps.glanceConcurrency ?? GLANCE_CONCURRENCY, async (record) => {
    await failedUnless(record, async () => {
      const checked = await checkWorkItem(record.item, invocationOf(record), deps, config);
      if ('outcome' in checked) return !checked.outcome.retry;
      const verdict = await glance(record.item, checked, invocationOf(record), deps);
      if (verdict.empty) return !(await finishEmpty(record.item, checked.startedAt, deps, config)).retry;
      await withWork(record, verdict.small === true);
      return true;
    });
  });
  await first;
  await Promise.all(small);
  for (const record of waiting) await runHere(record);
  return records.filter((r) => retried.has(r.id)).map((r) => r.id);
}

/** The config, read once for the whole batch; undefined when it cannot be read or is not valid. */
async function loadOnce(deps: BatchDeps): Promise<Config | undefined> {
  const source = describeStored(deps.table, deps.configName);
  return loadStoredConfig(deps.configs, deps.configName, { source, now: deps.clock() }).then(
    (loaded) => loaded.config,
    () => undefined,
  );
}

/** Whether the item's target is empty. A look that fails proves nothing: the target is worked on in full. */
async function glance(
  item: WorkItem,
  checked: CheckedItem,
  invocation: Invocation,
  deps: BatchDeps,
): Promise<EmptyVerdict> {
  if (item.continuation > 0) return verdictOf(item, undefined);
  try {
    const port = portOf(item, checked.config, deps, deadlineOf(invocation, deps));
    return verdictOf(item, await port.glance?.(checked.config.policies.map((p) => p.id)));
  } catch {
    return { empty: false, why: 'it could not be looked at' };
  }
}

/** A target with work, worked on in full from now (its plan's `now` is when it starts). */
async function runNow(record: BatchRecord, invocation: Invocation, deps: BatchDeps, config: Config) {
  const outcome = await runWorkItem(record.item, invocation, deps, { config, startedAt: deps.clock() });
  return !outcome.retry;
}

/** Hand a target with work to the solo queue, unchanged; false when SQS would not take it. */
async function forward(item: WorkItem, solo: WorkQueue, deps: BatchDeps): Promise<boolean> {
  const [unqueued] = await solo.send([item]);
  if (unqueued === undefined) return true;
  deps.telemetry.warn(
    `work item ${item.account}/${item.region} not handed to the solo queue; it will be delivered again`,
    new Error(`${unqueued.code}: ${unqueued.message}`),
  );
  return false;
}

async function sequentially(
  records: readonly BatchRecord[],
  work: (record: BatchRecord) => Promise<boolean>,
): Promise<readonly string[]> {
  const retried: string[] = [];
  for (const record of records) if (!(await work(record).catch(() => false))) retried.push(record.id);
  return retried;
}
