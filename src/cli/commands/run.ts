/** `ebs-snapper run` (and `snapshot` / `clean`): collect, plan, apply within the EC2 limits. */
import { DEFAULT_CONCURRENCY } from '../../app/run/apply.js';
import type { RunReport } from '../../app/run/results.js';
import { hasFailures, runTarget } from '../../app/run/run.js';
import { abortAt, type CallDeadline } from '../../aws/http.js';
import { type CommandOutcome, formatErrorForCli } from '../exit.js';
import { forEachTarget } from '../for-each-target.js';
import type { CliIo } from '../io.js';
import { fileLock } from '../lock.js';
import { notifyRun } from '../notify.js';
import { parseDeadline, parseNonNegativeInt, parsePositiveInt, type RunOptions } from '../options.js';
import { fileMemory } from '../recent-creates-file.js';
import { emitDocument } from '../render/emit.js';
import { runDocument } from '../render/json.js';
import { renderRun } from '../render/text.js';
import type { TargetFailure } from '../targets.js';
import { prepare, reportTargetFailures } from './prepare.js';

export async function runCommand(options: RunOptions, io: CliIo): Promise<CommandOutcome> {
  const startedAt = io.clock();
  const deadline = parseDeadline(options.deadline, startedAt);
  const maxDeletes = parseNonNegativeInt('--max-deletes', options.maxDeletes);
  const concurrency = parsePositiveInt('--concurrency', options.concurrency) ?? DEFAULT_CONCURRENCY;
  const call = callDeadline(deadline, io);
  const { config, now, runId, targets, failures: unresolved, progress } = await prepare(options, io, call);
  const { values: reports, failures } = await forEachTarget(targets, unresolved, (target) =>
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
    }),
  );
  progress.done();
  reportTargetFailures(failures, progress, (e) => formatErrorForCli(e, options.verbose === true));
  if (options.dryRun !== true) {
    await notifyRun(config, runId, reports, failures, options, (message) =>
      progress.log(`warning: ${message}`),
    );
  }
  await emitReports(reports, failures, now, options, io);
  return {
    failed: failures.length > 0 || reports.some(hasFailures),
    changes:
      reports.some((r) => r.results.some((result) => result.status === 'done')) || hasPlannedChanges(reports),
  };
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

function emitReports(
  reports: readonly RunReport[],
  failures: readonly TargetFailure[],
  now: number,
  options: RunOptions,
  io: CliIo,
): Promise<void> {
  return emitDocument(runDocument(reports, now, failures), (style) => renderRun(reports, style), options, io);
}
