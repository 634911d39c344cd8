/** `ebs-snapper run` (and `snapshot` / `clean`): collect, plan, apply within the EC2 limits. */
import { DEFAULT_CONCURRENCY } from '../../app/apply.js';
import type { RunReport } from '../../app/results.js';
import { hasFailures, runTarget } from '../../app/run.js';
import { type CommandOutcome, formatErrorForCli } from '../exit.js';
import { forEachTarget } from '../for-each-target.js';
import type { CliIo } from '../io.js';
import { parseDeadline, parseNonNegativeInt, parsePositiveInt, type RunOptions } from '../options.js';
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
  const { config, now, runId, targets, failures: unresolved, progress } = await prepare(options, io);
  const { values: reports, failures } = await forEachTarget(targets, unresolved, (target) =>
    runTarget(target.ec2, config, {
      now,
      runId,
      concurrency,
      dryRun: options.dryRun === true,
      ...(options.only === undefined ? {} : { only: options.only }),
      ...(maxDeletes === undefined ? {} : { maxDeletes }),
      ...(deadline === undefined ? {} : { deadline }),
      onProgress: (event) => {
        if ('resource' in event) progress.collect(event);
        else progress.apply(target.label, event);
      },
    }),
  );
  progress.done();
  reportTargetFailures(failures, progress, (e) => formatErrorForCli(e, options.verbose === true));
  await emitReports(reports, failures, now, options, io);
  return {
    failed: failures.length > 0 || reports.some(hasFailures),
    changes:
      reports.some((r) => r.results.some((result) => result.status === 'done')) || hasPlannedChanges(reports),
  };
}

function hasPlannedChanges(reports: readonly RunReport[]): boolean {
  return reports.some((r) => r.dryRun && r.plan.summary.create + r.plan.summary.delete > 0);
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
