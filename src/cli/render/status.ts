/**
 * What `status` (and `trigger --wait`) print: one line per account × region — its state, the run
 * it comes from, how long ago, the counts, the failures — then the counts per state and every
 * problem; or one JSON document (`--output json`).
 */
import type { DeploymentStatus, TargetStatus } from '../../app/serverless/status/deployment-status.js';
import type { TargetState } from '../../app/serverless/status/target-status.js';
import { count } from '../../core/plural.js';
import type { DeploySchedule } from '../../core/policy/types.js';
import { safeText } from './safe-text.js';
import { formatAge } from './units.js';

/** Where the status comes from. */
export interface StatusContext {
  readonly stack: string;
  readonly region: string | undefined;
  readonly table: string;
  readonly schedule?: DeploySchedule;
}

const MARK: Readonly<Record<TargetState, string>> = {
  ok: '✓',
  failed: '✗',
  missing: '?',
  running: '…',
  skipped: '-',
};

/** Failures shown under a target in text (JSON has them all). */
const FAILURES_SHOWN = 5;

/** How long ago, for people: `45m`, `3h 12m`, `2d 4h`. */
const ago = (ms: number): string => formatAge(Math.max(0, ms));

export function renderStatus(status: DeploymentStatus, context: StatusContext): string {
  const { now } = status;
  const lines = [header(status, context)];
  const run = status.latestRun;
  if (run === undefined) {
    lines.push('no run recorded yet');
  } else {
    const failures = run.failures.length === 0 ? '' : `, ${run.failures.length} fan-out failure(s)`;
    lines.push(
      `${status.runId === undefined ? 'latest run' : 'run'} ${run.runId} (${run.source}) started ${ago(now - Date.parse(run.startedAt))} ago: ${count(run.targets.length, 'target')} queued${failures}${run.complete ? '' : ' (its index is incomplete)'}`,
    );
  }
  if (context.schedule !== undefined) lines.push(scheduleLine(status, context.schedule));
  for (const failure of status.runFailures)
    lines.push(`  ✗ the run failed: ${failure.code}: ${failure.message}`);
  if (status.targets.length > 0) lines.push('');
  for (const target of status.targets) lines.push(...targetLines(target, now));
  lines.push('', summaryLine(status.targets));
  if (status.stalled !== undefined) lines.push(`stalled: ${status.stalled}`);
  if (status.problems.length > 0) lines.push(`problems: ${status.problems.join('; ')}`);
  return `${lines.map(safeText).join('\n')}\n`;
}

function header(status: DeploymentStatus, context: StatusContext): string {
  const where = `stack ${context.stack} in ${context.region ?? 'the default region'} (table ${context.table})`;
  return status.runId === undefined
    ? `${where}: runs since ${iso(status.since)}`
    : `${where}: run ${status.runId}`;
}

function scheduleLine(status: DeploymentStatus, schedule: DeploySchedule): string {
  const next = status.nextStart;
  const when = next === undefined ? '' : `: next run ${next.exact ? 'at' : 'by'} ${iso(next.at)}`;
  return `schedule ${schedule.expression} (${schedule.timezone})${when}`;
}

function targetLines(target: TargetStatus, now: number): string[] {
  const name = `${target.account}/${target.region}`;
  const state = `${target.state}${target.overdue ? ' (overdue)' : ''}`;
  const head = `  ${MARK[target.state]} ${state.padEnd(17)} ${name.padEnd(26)}`;
  const { result, newest } = target;
  const lines: string[] = [];
  if (target.notQueued !== undefined) {
    lines.push(`${head} not queued by run ${newest?.runId ?? '?'}`);
    lines.push(`      ${target.notQueued.code}: ${target.notQueued.message}`);
    return lines;
  }
  const newer =
    newest === undefined
      ? ''
      : `run ${newest.runId} ${newestWords(newest.state)} (started ${ago(now - Date.parse(newest.startedAt))} ago)`;
  if (result === undefined) {
    lines.push(`${head} ${newer}${newest === undefined ? 'no record' : ''}`);
    return lines;
  }
  const counts = `created ${result.created}, deleted ${result.deleted}, failed ${result.failed}, deferred ${result.deferred}`;
  const continued = result.continuations > 0 ? `, ${result.continuations} continuation(s)` : '';
  const last = `run ${result.runId}, ended ${ago(now - Date.parse(result.endedAt))} ago: ${counts}${continued}`;
  lines.push(newest === undefined ? `${head} ${last}` : `${head} ${newer}; last: ${result.outcome}, ${last}`);
  for (const failure of result.failures.slice(0, FAILURES_SHOWN)) {
    const subject = failure.subject === undefined ? '' : ` (${failure.subject})`;
    lines.push(`      ${failure.code}: ${failure.message}${subject}`);
  }
  if (result.failures.length > FAILURES_SHOWN)
    lines.push(`      … and ${result.failures.length - FAILURES_SHOWN} more (--output json lists them)`);
  return lines;
}

function newestWords(state: 'running' | 'missing' | 'skipped'): string {
  if (state === 'running') return 'has no record yet';
  if (state === 'skipped') return 'skipped it (another run held its lease)';
  return 'has no record';
}

const STATES: readonly TargetState[] = ['ok', 'failed', 'missing', 'running', 'skipped'];

function summaryLine(targets: readonly TargetStatus[]): string {
  const counts = STATES.map((s) => `${targets.filter((t) => t.state === s).length} ${s}`);
  const overdue = targets.filter((t) => t.overdue).length;
  return `${count(targets.length, 'target')}: ${counts.join(', ')}; ${overdue} overdue`;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The status as one JSON document. */
export function statusDocument(status: DeploymentStatus, context: StatusContext) {
  const run = status.latestRun;
  return {
    version: 1,
    command: 'status',
    stack: context.stack,
    stack_region: context.region ?? null,
    table: context.table,
    now: iso(status.now),
    since: iso(status.since),
    run_id: status.runId ?? null,
    schedule:
      context.schedule === undefined
        ? null
        : {
            expression: context.schedule.expression,
            timezone: context.schedule.timezone,
            next_start:
              status.nextStart === undefined
                ? null
                : { at: iso(status.nextStart.at), exact: status.nextStart.exact },
          },
    latest_run:
      run === undefined
        ? null
        : {
            run_id: run.runId,
            started_at: run.startedAt,
            source: run.source,
            targets: run.targets.length,
            failures: run.failures,
            complete: run.complete,
          },
    run_failures: status.runFailures,
    targets: status.targets.map((t) => targetJson(t, status.now)),
    summary: {
      targets: status.targets.length,
      ...Object.fromEntries(STATES.map((s) => [s, status.targets.filter((t) => t.state === s).length])),
      overdue: status.targets.filter((t) => t.overdue).length,
    },
    stalled: status.stalled ?? null,
    problems: status.problems,
    ok: status.problems.length === 0,
  };
}

function targetJson(target: TargetStatus, now: number) {
  const { result, newest } = target;
  return {
    account: target.account,
    region: target.region,
    state: target.state,
    overdue: target.overdue,
    problem: target.problem,
    run_id: result?.runId ?? null,
    started_at: result?.startedAt ?? null,
    ended_at: result?.endedAt ?? null,
    age_seconds: result === undefined ? null : Math.round((now - Date.parse(result.endedAt)) / 1000),
    outcome: result?.outcome ?? null,
    created: result?.created ?? 0,
    deleted: result?.deleted ?? 0,
    failed: result?.failed ?? 0,
    deferred: result?.deferred ?? 0,
    continuations: result?.continuations ?? 0,
    failures: result?.failures ?? [],
    newest_run:
      newest === undefined
        ? null
        : { run_id: newest.runId, started_at: newest.startedAt, state: newest.state },
    not_queued: target.notQueued ?? null,
  };
}
