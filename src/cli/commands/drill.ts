/**
 * `ebs-snapper drill`: start restore drills now (due or not) and stay with them to their end,
 * printing each step on stderr as it happens and the results on stdout. Every account × region
 * first finishes the drills in flight, under the same lock as `run`. Exit 1 when a drill failed or
 * could not start, or a target could not be worked on; drills left at `--deadline` are reported
 * (still in flight: any later run finishes them), not a failure.
 */
import { errorInfoOf } from '../../app/kit/classify-error.js';
import { sleepFor } from '../../app/run/apply.js';
import { type DrillOutcome, drillResults } from '../../app/run/drills/outcomes.js';
import { watchDrills } from '../../app/run/drills/watch.js';
import type { RunReport } from '../../app/run/results.js';
import { hasFailures, planTarget, summarizeResults } from '../../app/run/run.js';
import { abortAt, type CallDeadline } from '../../aws/http.js';
import { UsageError } from '../../core/errors.js';
import { DEFAULT_DRILL_TIMEOUT_MS } from '../../core/policy/normalize-drill.js';
import type { Config } from '../../core/policy/types.js';
import { type CommandOutcome, formatErrorForCli } from '../exit.js';
import { forEachTarget } from '../for-each-target.js';
import type { CliIo } from '../io.js';
import { fileLock } from '../lock.js';
import { notifyRun } from '../notify.js';
import { type Output, parseDeadline, type TargetOptions } from '../options.js';
import { drillToJson, renderDrillLines } from '../render/drills.js';
import { emitDocument } from '../render/emit.js';
import { safeText } from '../render/safe-text.js';
import type { TargetFailure } from '../targets.js';
import { prepare, reportTargetFailures } from './prepare.js';

export interface DrillOptions extends TargetOptions {
  readonly now?: string;
  readonly policy?: string;
  readonly snapshot?: string;
  readonly deadline?: string;
  readonly output: Output;
  readonly out?: string;
  readonly verbose?: boolean;
}

/** How often a volume being attached or detached, or a command, is looked at while drilling. */
const DRILL_POLL_MS = 2_000;

export async function drillCommand(options: DrillOptions, io: CliIo): Promise<CommandOutcome> {
  const deadline = parseDeadline(options.deadline, io.clock());
  if (options.snapshot !== undefined && !/^snap-[0-9a-f]+$/.test(options.snapshot))
    throw new UsageError(
      `--snapshot: "${options.snapshot}" is not a snapshot id like snap-0123456789abcdef0`,
    );
  const call: CallDeadline | undefined =
    deadline === undefined
      ? io.signal === undefined
        ? undefined
        : { signal: io.signal }
      : { signal: abortAt(deadline - io.clock(), io.signal), at: deadline };
  const prepared = await prepare(options, io, call);
  const config = drillConfig(prepared.config, options);
  const { now, runId, targets, progress } = prepared;
  const { values: reports, failures } = await forEachTarget(targets, prepared.failures, (target) =>
    fileLock({ runId, clock: io.clock })(`${target.account}-${target.region}`, async () => {
      const { inventory, plan } = await planTarget(target.ec2, config, {
        now,
        runId,
        drills: {
          force: true,
          ...(options.policy === undefined ? {} : { policyId: options.policy }),
          ...(options.snapshot === undefined ? {} : { snapshotId: options.snapshot }),
        },
      });
      const drills = await watchDrills(target.ec2, config, plan, inventory, {
        now,
        runId,
        clock: io.clock,
        sleep: sleepFor,
        pollMs: DRILL_POLL_MS,
        start: true,
        ...(deadline === undefined ? {} : { deadline }),
        ...(call === undefined ? {} : { signal: call.signal }),
        onEvent: (event) =>
          progress.log(
            safeText(
              `${target.label} ${event.snapshotId}${event.volumeId ? ` ${event.volumeId}` : ''}: ${event.what}`,
            ),
          ),
      });
      return reportOf(plan, drills, deadline !== undefined && drills.some((d) => d.status === 'in-flight'));
    }),
  );
  progress.done();
  reportTargetFailures(failures, progress, (e) => formatErrorForCli(e, options.verbose === true));
  const outcomes = reports.flatMap((r) => r.drills ?? []);
  const missed = options.snapshot !== undefined && !outcomes.some((o) => o.snapshotId === options.snapshot);
  if (missed)
    progress.log(
      `${options.snapshot}: not a completed snapshot of a configured policy that the plan keeps here; nothing drilled`,
    );
  await notifyRun(config, runId, reports, failures, options, (message) =>
    progress.log(`warning: ${message}`),
  );
  await emitDocument(
    drillDocument(outcomes, now, runId, failures),
    (style) => `${[...renderDrillLines(outcomes, style), summaryOf(outcomes)].join('\n')}\n`,
    options,
    io,
  );
  return { failed: failures.length > 0 || reports.some(hasFailures) || missed, changes: outcomes.length > 0 };
}

/**
 * The config as the command drills it: `--policy` must name a policy; a policy without `drill`
 * (named by `--policy`, or any with `--snapshot`) is drilled with the defaults (check available).
 */
function drillConfig(config: Config, options: DrillOptions): Config {
  if (options.policy !== undefined && !config.policies.some((p) => p.id === options.policy))
    throw new UsageError(`--policy: "${options.policy}" is not a policy of the config`);
  const defaults = (id: string) =>
    options.snapshot !== undefined || options.policy === id
      ? {
          everyMs: 1,
          everySource: 'now',
          sample: 1,
          check: 'available' as const,
          timeoutMs: DEFAULT_DRILL_TIMEOUT_MS,
          commands: [],
        }
      : undefined;
  const policies = config.policies.map((p) => {
    const drill = p.drill ?? defaults(p.id);
    return drill === undefined ? p : { ...p, drill };
  });
  if (!policies.some((p) => p.drill !== undefined))
    throw new UsageError(
      'no policy has a drill key: add one, or name a policy with --policy or a snapshot with --snapshot',
    );
  return { ...config, policies };
}

function reportOf(plan: RunReport['plan'], drills: DrillOutcome[], deadlineReached: boolean): RunReport {
  const results = drillResults(drills);
  return { plan, results, summary: summarizeResults(results), deadlineReached, dryRun: false, drills };
}

function summaryOf(outcomes: readonly DrillOutcome[]): string {
  const count = (status: DrillOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  const left = count('in-flight') + count('started');
  return (
    `Drills: ${count('passed')} passed, ${count('failed')} failed, ${count('not-started')} not started` +
    `${left === 0 ? '' : `, ${left} still in flight (a later run finishes them)`}.`
  );
}

function drillDocument(
  outcomes: readonly DrillOutcome[],
  now: number,
  runId: string,
  failures: readonly TargetFailure[],
): Record<string, unknown> {
  const count = (status: DrillOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  return {
    version: 1,
    now: new Date(now).toISOString(),
    run_id: runId,
    drills: outcomes.map(drillToJson),
    failures: failures.map((f) => ({
      account: f.account ?? null,
      region: f.region ?? null,
      error: errorInfoOf(f.error),
    })),
    summary: {
      passed: count('passed'),
      failed: count('failed'),
      not_started: count('not-started'),
      in_flight: count('in-flight') + count('started'),
      cleaned: count('cleaned'),
    },
  };
}
