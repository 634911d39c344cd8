/** `ebs-snapper run` (and `snapshot` / `clean`): collect, plan, apply within the EC2 limits. */
import { DEFAULT_CONCURRENCY } from '../../app/run/apply.js';
import type { ActionResult, RunReport } from '../../app/run/results.js';
import { hasFailures, runTarget } from '../../app/run/run.js';
import { abortAt, type CallDeadline } from '../../aws/http.js';
import type { Plan } from '../../core/actions.js';
import { type CommandOutcome, formatErrorForCli } from '../exit.js';
import { forEachTarget } from '../for-each-target.js';
import { InterruptedError } from '../interrupt.js';
import type { CliIo } from '../io.js';
import { fileLock } from '../lock.js';
import { notifyRun } from '../notify.js';
import { parseDeadline, parseNonNegativeInt, parsePositiveInt, type RunOptions } from '../options.js';
import { fileMemory } from '../recent-creates-file.js';
import { emitDocument, textStyle, writeOutFile } from '../render/emit.js';
import { runDocument } from '../render/json.js';
import { type RunStream, runStream } from '../render/run-stream.js';
import type { RunEnd } from '../render/summary-lines.js';
import { renderRun } from '../render/text.js';
import { watchStop } from '../run-stop.js';
import { prepare, reportTargetFailures } from './prepare.js';

export async function runCommand(options: RunOptions, io: CliIo): Promise<CommandOutcome> {
  const startedAt = io.clock();
  const deadline = parseDeadline(options.deadline, startedAt);
  const maxDeletes = parseNonNegativeInt('--max-deletes', options.maxDeletes);
  const concurrency = parsePositiveInt('--concurrency', options.concurrency) ?? DEFAULT_CONCURRENCY;
  const call = callDeadline(deadline, io);
  const stop = watchStop(io, deadline);
  const { config, now, runId, targets, failures: unresolved, progress } = await prepare(options, io, call);
  const stream = streaming(options, io);
  const ran = await forEachTarget(targets, unresolved, (target) =>
    runTarget(target.ec2, config, {
      now,
      runId,
      concurrency,
      dryRun: options.dryRun === true,
      exclusive: fileLock({ runId, clock: io.clock }),
      memory: fileMemory(),
      ...(target.copiesOnly === true ? { copiesOnly: true } : {}),
      ...(options.only === undefined ? {} : { only: options.only }),
      ...(maxDeletes === undefined ? {} : { maxDeletes }),
      ...(deadline === undefined ? {} : { deadline }),
      ...(call === undefined ? {} : { signal: call.signal }),
      onProgress: (event) => {
        if ('resource' in event) progress.collect(event);
        else progress.apply(target.label, event);
      },
      ...(stream === undefined
        ? {}
        : {
            onPlan: (plan: Plan) => stream.plan(plan),
            onResult: (result: ActionResult) => stream.result(stop.result(result), target.label),
          }),
    }),
  );
  progress.done();
  const reports = ran.values.map(stop.report);
  const failures = ran.failures.map(stop.failure);
  // An account × region the interrupt stopped is reported as such, not as a failure.
  const failed = failures.filter((f) => !(f.error instanceof InterruptedError));
  const interrupted = stop.interrupted();
  reportTargetFailures(failures, progress, (e) => formatErrorForCli(e, options.verbose === true));
  if (options.dryRun !== true) {
    await notifyRun(config, runId, reports, failed, options, (message) =>
      progress.log(`warning: ${message}`),
    );
  }
  await emitReports(
    reports,
    { failures, ...(interrupted === undefined ? {} : { interrupted }) },
    now,
    options,
    io,
    stream,
  );
  return {
    failed: failed.length > 0 || reports.some(hasFailures),
    changes:
      reports.some((r) => r.results.some((result) => result.status === 'done')) || hasPlannedChanges(reports),
    ...(interrupted === undefined ? {} : { interrupted }),
  };
}

/**
 * Without a terminal (a cron log, a pipe) text is printed as the run goes: each plan before it is
 * applied, each result as it lands. On a terminal the progress line shows that, and the plan and
 * results come whole at the end; JSON is always one document at the end.
 */
function streaming(options: RunOptions, io: CliIo): RunStream | undefined {
  if (options.output === 'json' || io.stdout.isTTY === true) return undefined;
  return runStream((text) => io.stdout.write(text), textStyle(options, io));
}

/**
 * `--deadline` bounds the whole run: no action starts after it, and calls still in flight then
 * (collection included) are cancelled, so a silent endpoint cannot hold the run and its lock.
 */
function callDeadline(deadline: number | undefined, io: CliIo): CallDeadline | undefined {
  if (deadline === undefined) return io.signal === undefined ? undefined : { signal: io.signal };
  return { signal: abortAt(deadline - io.clock(), io.signal), at: deadline };
}

function hasPlannedChanges(reports: readonly RunReport[]): boolean {
  return reports.some(
    (r) =>
      r.dryRun &&
      r.plan.summary.create +
        r.plan.summary.copy +
        r.plan.summary.delete +
        (r.plan.summary.lock ?? 0) +
        (r.plan.summary.unshare ?? 0) >
        0,
  );
}

async function emitReports(
  reports: readonly RunReport[],
  end: RunEnd,
  now: number,
  options: RunOptions,
  io: CliIo,
  stream: RunStream | undefined,
): Promise<void> {
  const document = runDocument(reports, now, end.failures, end.interrupted);
  if (stream === undefined)
    return emitDocument(document, (style) => renderRun(reports, style, end), options, io);
  await writeOutFile(document, options);
  stream.end(reports, end);
}
