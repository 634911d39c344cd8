/**
 * `ebs-snapper status` (SPEC §11a): the latest run of every account × region of a deployment, from
 * the run index and the run records. The runs of the window are read newest first (one Query), and
 * each run's records (one Query each, paged) only while a target still needs an older run: in a
 * healthy deployment, the newest run's records say everything. The expected targets are the newest
 * run's (what the config fans out to now), with what that run could not queue; a target without a
 * record in the window is missing, and a target whose newest result is older than the schedule's
 * second start after it is overdue. Each is a problem, as is a run that failed as a whole.
 */

import { count as counted } from '../../../core/plural.js';
import {
  type ScheduledStart,
  schedulerClock,
  secondStartAfter,
} from '../../../core/policy/scheduler-clock.js';
import type { DeploySchedule } from '../../../core/policy/types.js';
import type { RunRecord, RunRecordStore } from '../ports.js';
import type { IndexedRun, RunIndexFailure, RunIndexStore } from '../run-index.js';
import {
  type NewerRun,
  RUN_GRACE_MS,
  type RunResult,
  stateOf,
  stepTarget,
  type TargetState,
  type TargetWalk,
} from './target-status.js';

export interface StatusDeps {
  readonly runs: RunIndexStore;
  readonly records: Pick<RunRecordStore, 'list'>;
}

export interface StatusRequest {
  readonly now: number;
  /** The window's start (epoch ms): a target with no record since is missing. */
  readonly since: number;
  /** One run only (`status --run`, `trigger --wait`): its targets, as its records say. */
  readonly runId?: string;
  /** The deployment's schedule (the stack's parameters), for overdue targets and the next run. */
  readonly schedule?: DeploySchedule;
  /** When the stack was last deployed: with no run recorded, the first is due after it. */
  readonly deployedAt?: number;
}

export interface TargetStatus {
  readonly account: string;
  /** `*` for an account the newest run could not fan out at all. */
  readonly region: string;
  readonly state: TargetState;
  /** Its newest result is older than the schedule's second start after it. */
  readonly overdue: boolean;
  /** Failed, missing or overdue: `status` exits 1. */
  readonly problem: boolean;
  /** The newest run's result of the target (when one of the window has one). */
  readonly result?: RunResult;
  /** The target's newest run, when it has no result of its own (running, missing, skipped). */
  readonly newest?: NewerRun;
  /** Why the newest run did not queue it (the fan-out's failure). */
  readonly notQueued?: { readonly code: string; readonly message: string };
}

export interface DeploymentStatus {
  readonly now: number;
  readonly since: number;
  readonly runId?: string;
  /** The newest run read (of the window, or the latest of all when the window has none). */
  readonly latestRun?: IndexedRun;
  /** How many runs were read, and how many of them had their records read. */
  readonly runsRead: number;
  readonly recordQueries: number;
  /** Failures of the newest run as a whole (a bad config, the organization not listed). */
  readonly runFailures: readonly RunIndexFailure[];
  readonly targets: readonly TargetStatus[];
  readonly nextStart?: ScheduledStart;
  /** Why the deployment itself looks stopped (no run for two starts), when it does. */
  readonly stalled?: string;
  /** Everything that makes `status` exit 1, in words. */
  readonly problems: readonly string[];
}

/** @example const report = await readDeploymentStatus({ runs, records }, { now, since: now - 86_400_000 }); */
export async function readDeploymentStatus(
  deps: StatusDeps,
  request: StatusRequest,
): Promise<DeploymentStatus> {
  const runs = await runsToRead(deps, request);
  const inWindow = (run: IndexedRun) =>
    request.runId !== undefined || Date.parse(run.startedAt) >= request.since;
  const expectedFrom = runs.find(
    (run) => run.targets.length > 0 || run.failures.some((f) => f.account !== '*'),
  );
  const walks = new Map<string, TargetWalk>();
  for (const { account, region } of expectedFrom?.targets ?? []) walks.set(`${account}/${region}`, {});
  let recordQueries = 0;
  for (const run of request.runId === undefined ? runs : runs.slice(0, 1)) {
    if (recordQueries >= MAX_RUNS_WALKED) break;
    const open = run.targets.filter((t) => walks.get(key(t))?.result === undefined && walks.has(key(t)));
    if (open.length === 0) {
      if ([...walks.values()].every((w) => w.result !== undefined)) break;
      continue;
    }
    const byTarget = groupByTarget(await deps.records.list(run.runId));
    recordQueries += 1;
    for (const target of open) {
      const walk = walks.get(key(target))!;
      walks.set(key(target), stepTarget(walk, run, byTarget.get(key(target)) ?? [], request.now));
    }
  }
  const clock = request.schedule === undefined ? undefined : schedulerClock(request.schedule);
  const targets = [...walks.entries()].map(([k, walk]) => targetOf(k, walk, request, clock, inWindow, runs));
  targets.push(...notQueuedTargets(expectedFrom));
  targets.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const latestRun = runs[0];
  const runFailures = latestRun?.failures.filter((f) => f.account === '*') ?? [];
  const stalled = request.runId === undefined ? stalledWhy(latestRun, request, clock) : undefined;
  const nextStart = clock?.nextAfter(request.now);
  return {
    now: request.now,
    since: request.since,
    ...(request.runId === undefined ? {} : { runId: request.runId }),
    ...(latestRun === undefined ? {} : { latestRun }),
    runsRead: runs.length,
    recordQueries,
    runFailures,
    targets,
    ...(nextStart === undefined ? {} : { nextStart }),
    ...(stalled === undefined ? {} : { stalled }),
    problems: problemsOf(targets, runFailures, stalled, latestRun),
  };
}

const key = (t: { account: string; region: string }) => `${t.account}/${t.region}`;

/**
 * The runs whose records are read at most, looking for the result of a target that has none in
 * the newer ones (missing in every run of a long window): past it, the target shows what is known.
 */
const MAX_RUNS_WALKED = 48;

/** The runs of the window, newest first; the latest of all when the window has none; or the one asked. */
async function runsToRead(deps: StatusDeps, request: StatusRequest): Promise<readonly IndexedRun[]> {
  if (request.runId !== undefined) {
    const run = await deps.runs.get(request.runId);
    return run === undefined ? [] : [run];
  }
  const runs = await deps.runs.since(request.since);
  if (runs.length > 0) return runs;
  const latest = await deps.runs.latest();
  return latest === undefined ? [] : [latest];
}

function groupByTarget(records: readonly RunRecord[]): Map<string, RunRecord[]> {
  const byTarget = new Map<string, RunRecord[]>();
  for (const record of records) {
    const list = byTarget.get(key(record)) ?? [];
    list.push(record);
    byTarget.set(key(record), list);
  }
  return byTarget;
}

function targetOf(
  targetKey: string,
  walk: TargetWalk,
  request: StatusRequest,
  clock: ReturnType<typeof schedulerClock>,
  inWindow: (run: IndexedRun) => boolean,
  runs: readonly IndexedRun[],
): TargetStatus {
  const [account = '', region = ''] = targetKey.split('/');
  let state = stateOf(walk);
  // A result (or a run) older than the window: no record since --since is a missing target.
  const resultRun = runs.find((r) => r.runId === (walk.result?.runId ?? walk.newest?.runId));
  if (resultRun !== undefined && !inWindow(resultRun)) state = 'missing';
  const due =
    walk.result === undefined || clock === undefined
      ? undefined
      : secondStartAfter(clock, Date.parse(walk.result.startedAt));
  const overdue =
    request.runId === undefined &&
    (state === 'ok' || state === 'failed') &&
    due !== undefined &&
    request.now > due + RUN_GRACE_MS;
  return {
    account,
    region,
    state,
    overdue,
    problem: state === 'failed' || state === 'missing' || overdue,
    ...(walk.result === undefined ? {} : { result: walk.result }),
    ...(walk.newest === undefined ? {} : { newest: walk.newest }),
  };
}

/** The targets (or whole accounts) the run could not queue: failed in that run. */
function notQueuedTargets(run: IndexedRun | undefined): TargetStatus[] {
  return (run?.failures ?? [])
    .filter((f) => f.account !== '*')
    .flatMap((f) =>
      (f.regions ?? ['*']).map((region) => ({
        account: f.account,
        region,
        state: 'failed' as const,
        overdue: false,
        problem: true,
        newest: { runId: run!.runId, startedAt: run!.startedAt, state: 'missing' as const },
        notQueued: { code: f.code, message: f.message },
      })),
    );
}

/** The deployment looks stopped: its newest run (or, with none, its deploy) is two starts behind. */
function stalledWhy(
  latest: IndexedRun | undefined,
  request: StatusRequest,
  clock: ReturnType<typeof schedulerClock>,
): string | undefined {
  if (clock === undefined) return undefined;
  const from = latest === undefined ? request.deployedAt : Date.parse(latest.startedAt);
  if (from === undefined) return undefined;
  const due = secondStartAfter(clock, from);
  if (due === undefined || request.now <= due + RUN_GRACE_MS) return undefined;
  const what =
    latest === undefined ? 'no run recorded since the stack was deployed' : `no run since ${latest.runId}`;
  return `${what} ${new Date(from).toISOString()}, two scheduled starts ago (${request.schedule?.expression}): is the schedule enabled?`;
}

function problemsOf(
  targets: readonly TargetStatus[],
  runFailures: readonly RunIndexFailure[],
  stalled: string | undefined,
  latest: IndexedRun | undefined,
): string[] {
  const count = (what: (t: TargetStatus) => boolean) => targets.filter(what).length;
  const problems = runFailures.map((f) => `run ${latest?.runId ?? '?'} failed: ${f.code}: ${f.message}`);
  if (stalled !== undefined) problems.push(stalled);
  const failed = count((t) => t.state === 'failed');
  const missing = count((t) => t.state === 'missing');
  const overdue = count((t) => t.overdue);
  if (failed > 0) problems.push(`${counted(failed, 'target')} failed`);
  if (missing > 0) problems.push(`${counted(missing, 'target')} missing: no record where one was due`);
  if (overdue > 0)
    problems.push(`${counted(overdue, 'target')} overdue: their newest run is two scheduled starts old`);
  return problems;
}
