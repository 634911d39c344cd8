/**
 * The run index (SPEC §11a): what each deployed run set out to do, written once by the fan-out —
 * its start, how it was started, the targets it queued and what it could not fan out. Run records
 * say what each target did; the index says which targets a run had, so `status` knows the latest
 * runs without a scan and tells a target with no record (missing) from one that had nothing to say.
 */
import { runIdTime } from '../../core/run-id.js';

/** One account × region of a run. */
export interface RunTarget {
  readonly account: string;
  readonly region: string;
}

/** An account (or `*`, the whole run), or some of its regions, that the fan-out could not queue. */
export interface RunIndexFailure {
  readonly account: string;
  /** The regions not queued; absent when the account (or the run) failed as a whole. */
  readonly regions?: readonly string[];
  readonly code: string;
  readonly message: string;
}

/** How a run was started: by the schedule, or by `ebs-snapper trigger`. */
export type RunSource = 'schedule' | 'trigger';

export interface RunIndexEntry {
  readonly runId: string;
  /** ISO-8601 UTC: when the fan-out started. */
  readonly startedAt: string;
  readonly source: RunSource;
  /** The targets queued. */
  readonly targets: readonly RunTarget[];
  readonly failures: readonly RunIndexFailure[];
}

/** A run read back, and whether every item of it was there (a write may have failed half-way). */
export interface IndexedRun extends RunIndexEntry {
  readonly complete: boolean;
}

export interface RunIndexStore {
  /** Write a run's entry (one item, more when its targets outgrow one). */
  put(entry: RunIndexEntry): Promise<void>;
  /** The runs started at or after `since` (epoch ms), newest first. */
  since(since: number): Promise<readonly IndexedRun[]>;
  /** The newest run, however long ago it started. */
  latest(): Promise<IndexedRun | undefined>;
  /** One run, or undefined when the index has none of that id. */
  get(runId: string): Promise<IndexedRun | undefined>;
}

/** A given run id starting further from the fan-out's clock than this is not used. */
const GIVEN_RUN_ID_PAST_MS = 15 * 60_000;
/**
 * A run id says when its run started, and the stop workflow trusts that (a later run's tags are
 * left alone): a given id may be ahead of the fan-out's clock only by a clock skew.
 */
const GIVEN_RUN_ID_FUTURE_MS = 60_000;

/**
 * Why a run id given in the fan-out's event (by `ebs-snapper trigger`) cannot be this run's, or
 * undefined when it can: it must be a run id (`20261206T210000Z-3f9a2c`) whose time is now, give
 * or take a clock skew.
 *
 * @example givenRunIdProblem('20261206T210000Z-3f9a2c', Date.parse('2026-12-06T21:00:02Z')) // undefined
 */
export function givenRunIdProblem(runId: string, now: number): string | undefined {
  const at = runIdTime(runId);
  if (at === undefined) return 'not a run id (yyyymmddThhmmssZ-xxxxxx)';
  if (at > now + GIVEN_RUN_ID_FUTURE_MS) return 'its time is ahead of the clock';
  if (at < now - GIVEN_RUN_ID_PAST_MS) return 'its time is more than 15 minutes ago';
  return undefined;
}

/** A scheduled time further back than this is not the schedule's own (Lambda retries for 6 hours). */
const SCHEDULED_PAST_MS = 24 * 60 * 60_000;

/**
 * The run id of a scheduled run, made from the Scheduler's scheduled time alone — the same for every
 * invocation of that time (a Lambda retry, the Scheduler delivering it twice), so a second one is
 * the same run and queues only what the first did not — or why that time cannot be used.
 *
 * @example scheduledRunId('2026-12-06T21:00:00Z', Date.parse('2026-12-06T21:00:02Z')) // { runId: '20261206T210000Z-…' }
 */
export function scheduledRunId(scheduledTime: string, now: number): { runId: string } | string {
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/.test(scheduledTime)
    ? Date.parse(scheduledTime)
    : Number.NaN;
  const shown = `scheduled time "${scheduledTime.slice(0, 40)}" not used`;
  if (Number.isNaN(at)) return `${shown}: not an ISO-8601 UTC time`;
  if (at > now + GIVEN_RUN_ID_FUTURE_MS) return `${shown}: it is ahead of the clock`;
  if (at < now - SCHEDULED_PAST_MS) return `${shown}: it is more than a day ago`;
  const stamp = new Date(Math.floor(at / 1000) * 1000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return { runId: `${stamp}-${fnv1a(`schedule:${stamp}`).toString(16).padStart(8, '0').slice(0, 6)}` };
}

/** FNV-1a, 32 bits: a stable suffix for a scheduled run id (not a secret, not a guard). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
