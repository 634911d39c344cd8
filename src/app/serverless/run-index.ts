/**
 * The run index (SPEC §11a): what each deployed run set out to do, written once by the fan-out —
 * its start, how it was started, the targets it queued and what it could not fan out. Run records
 * say what each target did; the index says which targets a run had, so `status` knows the latest
 * runs without a scan and tells a target with no record (missing) from one that had nothing to say.
 */
import { runIdStartedAt } from '../run/workflows/stop-tags.js';

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
  const at = runIdStartedAt(runId);
  if (at === undefined) return 'not a run id (yyyymmddThhmmssZ-xxxxxx)';
  if (at > now + GIVEN_RUN_ID_FUTURE_MS) return 'its time is ahead of the clock';
  if (at < now - GIVEN_RUN_ID_PAST_MS) return 'its time is more than 15 minutes ago';
  return undefined;
}
