/**
 * The run index in memory: what the fan-out writes, read back as the table adapter reads it
 * (newest first; a run of the window by its start time), for app tests and benches.
 */
import type { IndexedRun, RunIndexEntry, RunIndexStore } from '../../../src/app/serverless/run-index.js';

export interface InMemoryRunIndex extends RunIndexStore {
  /** Every entry written, in order. */
  readonly entries: RunIndexEntry[];
}

/** @example const runs = inMemoryRunIndex(); await fanOutRun({ ...deps, runs }); runs.entries[0]?.targets */
export function inMemoryRunIndex(): InMemoryRunIndex {
  const entries: RunIndexEntry[] = [];
  const newestFirst = (): IndexedRun[] =>
    [...entries].sort((a, b) => (a.runId < b.runId ? 1 : -1)).map((e) => ({ ...e, complete: true }));
  return {
    entries,
    put: async (entry) => void entries.push(entry),
    since: async (since) => newestFirst().filter((run) => Date.parse(run.startedAt) >= since),
    latest: async () => newestFirst()[0],
    get: async (runId) => newestFirst().find((run) => run.runId === runId),
  };
}
