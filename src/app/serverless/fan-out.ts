/**
 * The fan-out of a deployed run (SPEC §10): read and validate the config, find the accounts
 * (`settings.accounts`, the organization's ACTIVE ones, or the deployment's own) and each one's
 * regions (`settings.regions`, or what the account has enabled, through its member role), and
 * queue one work item per account × region. An account that cannot be reached, and the work items
 * the queue would not take, are reported and notified; the others go on. The run's entry in the
 * run index (its targets and failures) is written last, whatever happened: `status` reads it. A
 * run queued whole is then marked so, and a retried invocation of it answers from that mark alone.
 */

import type { Config } from '../../core/policy/types.js';
import { type ErrorInfo, errorInfoOf } from '../kit/classify-error.js';
import { accountScopeOf, coveredRegions, receivingAccountsOf, vaultRegionsOf } from '../kit/coverage.js';
import { notificationsFor, sendAll } from '../kit/notifications.js';
import { runPool } from '../kit/pool.js';
import { newRunId } from '../run/run.js';
import { type FanOutMarks, markQueued, queuedBefore, sendRun } from './fan-out-send.js';
import type { ConfigStore, Notifier, UnqueuedItem, WorkItem, WorkQueue } from './ports.js';
import {
  givenRunIdProblem,
  type RunIndexStore,
  type RunSource,
  type RunTarget,
  scheduledRunId,
} from './run-index.js';
import { describeStored, loadStoredConfig } from './stored-config.js';

export interface FanOutDeps {
  readonly table: string;
  readonly configName: string;
  readonly configs: ConfigStore;
  readonly queue: WorkQueue;
  /** What earlier invocations of the same run queued (a retried invocation sends only the rest). */
  readonly marks: FanOutMarks;
  /** This invocation (the Lambda request id), as the owner of what it claims. */
  readonly invocation: string;
  /** Time left before the function's timeout, in ms. */
  readonly remainingMs: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Where the run's targets and failures are written for `status`. */
  readonly runs: RunIndexStore;
  /** The account the deployment runs in (STS GetCallerIdentity). */
  ownAccount(): Promise<string>;
  /** The ACTIVE accounts of the organization (Organizations ListAccounts). */
  organizationAccounts(): Promise<readonly string[]>;
  /** The regions an account has enabled (DescribeRegions, through its member role). */
  regionsOf(account: string): Promise<readonly string[]>;
  notifiersFor(config: Config | undefined): readonly Notifier[];
  readonly clock: () => number;
  readonly warn: (message: string, error: unknown) => void;
}

/** An account (or `*`, the whole run), or some of its regions, that could not be fanned out, and why. */
interface FanOutFailure {
  readonly account: string;
  /** The regions whose work items could not be queued; absent when the account failed as a whole. */
  readonly regions?: readonly string[];
  readonly error: ErrorInfo;
}

/**
 * What started the run: the Scheduler's input (`{"scheduled_time": "<ISO time>"}`, or `{}` from an
 * older stack), or `ebs-snapper trigger` with its run id.
 */
export interface FanOutRequest {
  /** A run id made by `trigger`, used when it is one and of now ({@link givenRunIdProblem}). */
  readonly runId?: string;
  /** The Scheduler's scheduled time: the run id is made from it, the same for every invocation. */
  readonly scheduledTime?: string;
}

export interface FanOutResult {
  readonly runId: string;
  /** Why a run id given in the request was not used (the run went on with its own). */
  readonly runIdRefused?: string;
  /** The targets of the run queued, by this invocation or an earlier one of the same run. */
  readonly items: readonly RunTarget[];
  /** The messages this invocation sent (fewer than `items` when an earlier one sent some). */
  readonly sent: number;
  readonly failures: readonly FanOutFailure[];
  /**
   * Set when an earlier invocation had queued the whole run: its number of targets. Nothing was
   * read, listed, assumed, sent or written (`items` is empty, the run index is the earlier one's).
   */
  readonly alreadyQueued?: number;
}

/** @example const { runId, items } = await fanOutRun(deps, { runId: '20261206T210000Z-3f9a2c' }); */
export async function fanOutRun(deps: FanOutDeps, request: FanOutRequest = {}): Promise<FanOutResult> {
  const now = deps.clock();
  const run = runOf(request, now);
  // Only a run id another invocation can have (the Scheduler's time, `trigger`'s id) can be marked.
  const repeatable = run.runIdRefused === undefined && (request.runId ?? request.scheduledTime) !== undefined;
  const earlier = repeatable ? await queuedBefore(deps, run.runId, now) : undefined;
  if (earlier !== undefined)
    return { runId: run.runId, items: [], sent: 0, failures: [], alreadyQueued: earlier };
  let config: Config;
  try {
    const source = describeStored(deps.table, deps.configName);
    ({ config } = await loadStoredConfig(deps.configs, deps.configName, { source, now }));
  } catch (error) {
    return notified(deps, undefined, run, [], 0, [{ account: '*', error: errorInfoOf(error) }]);
  }
  let accounts: readonly string[];
  // A vault account (SPEC §14) is never a source: it gets copies-only work of its own below.
  const vaults = receivingAccountsOf(config);
  try {
    accounts = (await accountsOf(config, deps)).filter((a) => !vaults.includes(a));
  } catch (error) {
    return notified(deps, config, run, [], 0, [{ account: '*', error: errorInfoOf(error) }]);
  }
  const runId = run.runId;
  const items: WorkItem[] = [];
  const failures: FanOutFailure[] = [];
  // One DescribeRegions (and one role) per account, a bounded number at once: a thousand at once
  // would open a thousand connections and trip STS's and EC2's rate limits.
  await runPool(accounts, ACCOUNT_CONCURRENCY, async (account) => {
    try {
      const covered = await coveredRegions(config, () => deps.regionsOf(account));
      for (const region of [...covered.regions, ...covered.copiesOnly])
        items.push({ account, region, run_id: runId, continuation: 0 });
    } catch (error) {
      failures.push({ account, error: errorInfoOf(error) });
    }
  });
  failures.sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
  const sourceRegions = [...new Set(items.map((i) => i.region))];
  for (const account of vaults)
    for (const region of vaultRegionsOf(config, account, sourceRegions))
      items.push({ account, region, run_id: runId, continuation: 0 });
  const { queued, sent, unqueued } = await sendRun(
    {
      queue: deps.queue,
      marks: deps.marks,
      owner: deps.invocation,
      clock: deps.clock,
      // Leave the run index and the notifications time to be written.
      waitUntil: deps.clock() + deps.remainingMs() - INDEX_RESERVE_MS,
      sleep: deps.sleep,
      warn: deps.warn,
    },
    runId,
    items,
  );
  const result = await notified(deps, config, run, queued, sent, [
    ...failures,
    ...unqueuedFailures(unqueued),
  ]);
  // Whole: every account's regions known, every target queued, the run index written.
  if (repeatable && result.failures.length === 0)
    await markQueued(deps, runId, result.items.length, deps.clock());
  return result;
}

/** Accounts whose regions are asked at once. */
const ACCOUNT_CONCURRENCY = 25;
/** The time kept, at the end of the invocation, for the run index and the notifications. */
const INDEX_RESERVE_MS = 20_000;

/** The run's id (the given one when it may be used), when it started, and what started it. */
interface RunStart {
  readonly runId: string;
  readonly startedAt: number;
  readonly source: RunSource;
  readonly runIdRefused?: string;
}

function runOf(request: FanOutRequest, now: number): RunStart {
  if (request.runId === undefined) {
    if (request.scheduledTime === undefined)
      return { runId: newRunId(now), startedAt: now, source: 'schedule' };
    const scheduled = scheduledRunId(request.scheduledTime, now);
    if (typeof scheduled === 'object') return { runId: scheduled.runId, startedAt: now, source: 'schedule' };
    return { runId: newRunId(now), startedAt: now, source: 'schedule', runIdRefused: scheduled };
  }
  const problem = givenRunIdProblem(request.runId, now);
  if (problem === undefined) return { runId: request.runId, startedAt: now, source: 'trigger' };
  return {
    runId: newRunId(now),
    startedAt: now,
    source: 'trigger',
    runIdRefused: `run id "${request.runId.slice(0, 40)}" not used: ${problem}`,
  };
}

/** The items the queue would not take, one failure per account and reason, naming the regions. */
function unqueuedFailures(unqueued: readonly UnqueuedItem[]): FanOutFailure[] {
  const groups = new Map<string, { account: string; regions: string[]; code: string; message: string }>();
  for (const { item, code, message } of unqueued) {
    const key = JSON.stringify([item.account, code]);
    const group = groups.get(key) ?? { account: item.account, regions: [], code, message };
    group.regions.push(item.region);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ account, regions, code, message }) => {
    const sorted = [...regions].sort();
    return {
      account,
      regions: sorted,
      error: { code, message: `work items not queued for ${sorted.join(', ')}: ${message}` },
    };
  });
}

async function accountsOf(config: Config, deps: FanOutDeps): Promise<readonly string[]> {
  const scope = accountScopeOf(config);
  switch (scope.kind) {
    case 'listed':
      return scope.accounts;
    case 'organization':
      return deps.organizationAccounts();
    case 'own':
      return [await deps.ownAccount()];
  }
}

/**
 * Write the run's entry in the run index, notify each failure (never failing the fan-out over
 * it) and return the result. An index that cannot be written is one more failure: the run goes on,
 * but `status` will not see it.
 */
async function notified(
  deps: FanOutDeps,
  config: Config | undefined,
  run: RunStart,
  items: readonly RunTarget[],
  sent: number,
  fanOutFailures: readonly FanOutFailure[],
): Promise<FanOutResult> {
  const { runId } = run;
  const failures = [...fanOutFailures];
  try {
    await deps.runs.put({
      runId,
      startedAt: new Date(run.startedAt).toISOString(),
      source: run.source,
      targets: items.map(({ account, region }) => ({ account, region })),
      failures: failures.map((f) => ({
        account: f.account,
        ...(f.regions === undefined ? {} : { regions: f.regions }),
        code: f.error.code,
        message: f.error.message,
      })),
    });
  } catch (error) {
    const { code, message } = errorInfoOf(error);
    failures.push({
      account: '*',
      error: { code: RUN_INDEX_NOT_WRITTEN, message: `the run index was not written (${code}: ${message})` },
    });
  }
  const on = config?.settings.notify?.on ?? ['failure'];
  const notifications = failures.flatMap((f) =>
    notificationsFor(
      on.filter((event) => event === 'failure'),
      { runId, account: f.account, region: f.regions?.length === 1 ? f.regions[0]! : '*', error: f.error },
    ),
  );
  await sendAll(notifications, deps.notifiersFor(config), (notifier, notification, error) =>
    deps.warn(`notification "${notification.subject}" to ${notifier.target} failed`, error),
  );
  return {
    runId,
    ...(run.runIdRefused === undefined ? {} : { runIdRefused: run.runIdRefused }),
    items,
    sent,
    failures,
  };
}

/** The fan-out could not write the run's entry in the run index (the work items were queued). */
const RUN_INDEX_NOT_WRITTEN = 'run-index.not-written';
