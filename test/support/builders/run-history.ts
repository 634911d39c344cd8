/**
 * A deployment's run history in words, for the status tests: runs of the index (`run('10:00',
 * ['111111111111/eu-west-1'])`) and their records (`record(run, '111111111111/eu-west-1', 'ok')`),
 * on one day; read through in-memory stores that count their queries.
 */
import type { RunRecord, RunRecordStore } from '../../../src/app/serverless/ports.js';
import type { IndexedRun, RunIndexFailure } from '../../../src/app/serverless/run-index.js';
import { inMemoryRunIndex } from '../fakes/in-memory-run-index.js';

/** The day every time of this builder is on. */
const DAY = '2026-12-06';

/** `'10:00'` → epoch ms of that time on {@link DAY}, UTC. */
export const clockAt = (time: string): number => Date.parse(`${DAY}T${time}:00Z`);

/** A run of the index started at `time`, with these `account/region` targets. */
export function run(
  time: string,
  targets: readonly string[],
  failures: readonly RunIndexFailure[] = [],
  source: IndexedRun['source'] = 'schedule',
): IndexedRun {
  const startedAt = clockAt(time);
  const stamp = new Date(startedAt)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return {
    runId: `${stamp}-${time.replace(':', '')}aa`,
    startedAt: new Date(startedAt).toISOString(),
    source,
    targets: targets.map((t) => {
      const [account = '', region = ''] = t.split('/');
      return { account, region };
    }),
    failures,
    complete: true,
  };
}

/** A record of `target` in `of`, ending `minutes` after the run started. */
export function record(
  of: Pick<IndexedRun, 'runId' | 'startedAt'>,
  target: string,
  outcome: RunRecord['outcome'],
  options: {
    continuation?: number;
    minutes?: number;
    created?: number;
    failures?: RunRecord['failures'];
  } = {},
): RunRecord {
  const [account = '', region = ''] = target.split('/');
  const start = Date.parse(of.startedAt);
  const minutes = options.minutes ?? 2;
  return {
    runId: of.runId,
    account,
    region,
    continuation: options.continuation ?? 0,
    startedAt: new Date(start + 60_000).toISOString(),
    endedAt: new Date(start + minutes * 60_000).toISOString(),
    created: options.created ?? (outcome === 'skipped' ? 0 : 1),
    deleted: 0,
    failed: outcome === 'failed' ? 1 : 0,
    deferred: outcome === 'continued' ? 5 : 0,
    outcome,
    failures:
      options.failures ??
      (outcome === 'failed'
        ? [{ code: 'AccessDenied', message: 'no' }]
        : outcome === 'skipped'
          ? [{ code: 'lease.held', message: 'held' }]
          : []),
  };
}

/** The stores `readDeploymentStatus` reads, holding these runs and records; `queries` counts record reads. */
export async function history(runs: readonly IndexedRun[], records: readonly RunRecord[]) {
  const index = inMemoryRunIndex();
  for (const { complete: _complete, ...entry } of runs) await index.put(entry);
  const queried: string[] = [];
  const store: Pick<RunRecordStore, 'list'> = {
    list: async (runId) => {
      queried.push(runId);
      return records.filter((r) => r.runId === runId);
    },
  };
  return { deps: { runs: index, records: store }, queried };
}
