/** `ebs-snapper plan`: collect, plan, print; change nothing. */
import { planTarget } from '../../app/run/run.js';
import { RunMemory } from '../../app/run/run-memory.js';
import type { Plan } from '../../core/actions.js';
import { stoppedDeletes } from '../../core/guard.js';
import { type CommandOutcome, formatErrorForCli } from '../exit.js';
import { forEachTarget } from '../for-each-target.js';
import { InterruptedError } from '../interrupt.js';
import { saveInventories } from '../inventory-file.js';
import type { CliIo } from '../io.js';
import type { PlanOptions } from '../options.js';
import { fileMemory } from '../recent-creates-file.js';
import { emitDocument } from '../render/emit.js';
import { planDocument } from '../render/json.js';
import { renderPlans } from '../render/text.js';
import { watchStop } from '../run-stop.js';
import type { TargetFailure } from '../targets.js';
import { unreadTarget } from './collect.js';
import { prepare, reportTargetFailures } from './prepare.js';

export async function planCommand(options: PlanOptions, io: CliIo): Promise<CommandOutcome> {
  const stop = watchStop(io, undefined);
  const { config, now, runId, targets, failures: unresolved, progress } = await prepare(options, io);
  const { values, failures: unplanned } = await forEachTarget(targets, unresolved, async (target) => {
    // The plan is what `run` would do now: it reads (never writes) the journal of recent creates,
    // so a series a run snapshotted moments ago is not shown as due while EC2's listing lags.
    const memory = new RunMemory(fileMemory(), `${target.account}-${target.region}`, {
      now,
      runId,
      policyIds: config.policies.map((p) => p.id),
      dryRun: true,
      clock: io.clock,
    });
    const planned = await planTarget(target.ec2, config, {
      now,
      runId,
      recall: (collected) => memory.recall(collected),
      ...(target.copiesOnly === true ? { copiesOnly: true } : {}),
      // A saved inventory may feed `report --inventory`, which shows the other snapshots too.
      ...(options.saveInventory === undefined ? {} : { unmanaged: 'count' as const }),
      onProgress: (p) => progress.collect(p),
    });
    if (memory.warnings.length === 0) return planned;
    return {
      ...planned,
      plan: { ...planned.plan, warnings: [...planned.plan.warnings, ...memory.warnings] },
    };
  });
  progress.done();
  const plans = values.map((v) => v.plan);
  // An account × region the interrupt stopped is reported as such, not as a failure.
  const failures = unplanned.map(stop.failure);
  const failed = failures.filter((f) => !(f.error instanceof InterruptedError));
  const interrupted = stop.interrupted();
  if (options.saveInventory !== undefined) {
    await saveInventories(
      options.saveInventory,
      values.map((v) => v.inventory),
      now,
      failures.map(unreadTarget),
    );
  }
  reportTargetFailures(failures, progress, (e) => formatErrorForCli(e, options.verbose === true));
  await emitPlans(plans, failures, now, options, io);
  return {
    failed: failed.length > 0 || plans.some((p) => stoppedDeletes(p) || p.copiesHeld !== undefined),
    changes: plans.some(
      (p) =>
        p.summary.create +
          p.summary.copy +
          p.summary.delete +
          (p.summary.drill ?? 0) +
          (p.summary.lock ?? 0) +
          (p.summary.unshare ?? 0) >
        0,
    ),
    ...(interrupted === undefined ? {} : { interrupted }),
  };
}

function emitPlans(
  plans: readonly Plan[],
  failures: readonly TargetFailure[],
  now: number,
  options: PlanOptions,
  io: CliIo,
): Promise<void> {
  return emitDocument(
    planDocument(plans, now, failures),
    (style) => renderPlans(plans, style, failures),
    options,
    io,
  );
}
