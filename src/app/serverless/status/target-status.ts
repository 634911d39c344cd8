/**
 * What one target's run records say (SPEC §11a), judged without I/O: the records of one run of one
 * account × region (one per continuation) summed into the run's result, and the rule that walks a
 * target's runs, newest first, to the state `status` shows:
 *
 * - a run with no record yet is `running` while it is younger than {@link RUN_GRACE_MS} (queued,
 *   or on its way), and `missing` after — a problem, never a silence;
 * - a run whose newest record handed its work on (`continued`) is `running` for as long again, and
 *   `missing` after: the continuation never wrote a record;
 * - a run that found the lease held (`skipped`: another run was at work on the target) says
 *   nothing of its own: the run before it is shown;
 * - otherwise the run's outcome: `ok`, or `failed` when any of its records failed.
 */
import type { RunRecord } from '../ports.js';
import type { IndexedRun } from '../run-index.js';

/**
 * How long a target of a run may have no record (or wait for its continuation) before it is
 * missing: the time a work item can spend queued, retried after a worker died (the queue's
 * visibility timeout is the worker's 15 minutes, and an item is received up to 3 times) and handed
 * on once more.
 */
export const RUN_GRACE_MS = 60 * 60_000;

/** What `status` says of a target. */
export type TargetState = 'ok' | 'failed' | 'running' | 'missing' | 'skipped';

/** One run of one target: its records summed. */
export interface RunResult {
  readonly runId: string;
  /** The first record's start and the last record's end (ISO-8601). */
  readonly startedAt: string;
  readonly endedAt: string;
  readonly outcome: RunRecord['outcome'];
  /** Continuations the work took (records − 1). */
  readonly continuations: number;
  readonly created: number;
  readonly deleted: number;
  readonly failed: number;
  /** Left by the last record: the next run plans it again. */
  readonly deferred: number;
  readonly failures: RunRecord['failures'];
}

/** A target's newest run when it is not the run of the result shown. */
export interface NewerRun {
  readonly runId: string;
  readonly startedAt: string;
  readonly state: 'running' | 'missing' | 'skipped';
}

/** Where the walk over a target's runs stands. */
export interface TargetWalk {
  /** The target's newest run, when it had no result of its own (running, missing, skipped). */
  readonly newest?: NewerRun;
  /** The result shown, once found: the walk is over. */
  readonly result?: RunResult;
  /** The state of the result (`running` or `missing` for a continuation not recorded). */
  readonly resultState?: TargetState;
}

/**
 * The records of one run of one target summed; undefined when there are none.
 *
 * @example resultOf(records) // { outcome: 'ok', created: 4, continuations: 1, ... }
 */
export function resultOf(records: readonly RunRecord[]): RunResult | undefined {
  if (records.length === 0) return undefined;
  const chain = [...records].sort((a, b) => a.continuation - b.continuation);
  const last = chain.at(-1)!;
  const sum = (key: 'created' | 'deleted' | 'failed') => chain.reduce((n, r) => n + r[key], 0);
  return {
    runId: last.runId,
    startedAt: chain[0]!.startedAt,
    endedAt: last.endedAt,
    outcome: chain.some((r) => r.outcome === 'failed') ? 'failed' : last.outcome,
    continuations: chain.length - 1,
    created: sum('created'),
    deleted: sum('deleted'),
    failed: sum('failed'),
    deferred: last.deferred,
    failures: chain.flatMap((r) => (r.outcome === 'skipped' ? [] : r.failures)),
  };
}

/**
 * One more (older) run of the target in the walk: returns the walk with this run taken into
 * account. `records` are the target's records of `run` (none when it has none).
 */
export function stepTarget(
  walk: TargetWalk,
  run: Pick<IndexedRun, 'runId' | 'startedAt'>,
  records: readonly RunRecord[],
  now: number,
): TargetWalk {
  const result = resultOf(records);
  const newest = (state: NewerRun['state']): TargetWalk =>
    walk.newest === undefined ? { newest: { runId: run.runId, startedAt: run.startedAt, state } } : walk;
  if (result === undefined) {
    const young = now - Date.parse(run.startedAt) < RUN_GRACE_MS;
    return newest(young ? 'running' : 'missing');
  }
  // Continuation 0 skipped: nothing was done by this run; a later continuation skipped ends a chain
  // whose earlier records say what was done (the next run plans what was left).
  if (result.outcome === 'skipped' && result.continuations === 0) return newest('skipped');
  const state: TargetState =
    result.outcome === 'continued'
      ? now - Date.parse(result.endedAt) < RUN_GRACE_MS
        ? 'running'
        : 'missing'
      : result.outcome === 'failed'
        ? 'failed'
        : 'ok';
  return { ...walk, result, resultState: state };
}

/** The state a finished (or exhausted) walk shows. */
export function stateOf(walk: TargetWalk): TargetState {
  const newest = walk.newest?.state;
  // A newer run skipped the target: the run that held the lease says how it went.
  if (newest === 'running' || newest === 'missing') return newest;
  if (walk.resultState !== undefined) return walk.resultState;
  return newest === 'skipped' ? 'skipped' : 'missing';
}
