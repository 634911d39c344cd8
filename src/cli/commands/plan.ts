/** `ebs-snapper plan`: collect, plan, print; change nothing. */
import { planTarget } from '../../app/run.js';
import type { Plan } from '../../core/actions.js';
import { stoppedDeletes } from '../../core/guard.js';
import { type CommandOutcome, formatErrorForCli } from '../exit.js';
import { forEachTarget } from '../for-each-target.js';
import { saveInventories } from '../inventory-file.js';
import type { CliIo } from '../io.js';
import type { PlanOptions } from '../options.js';
import { emitDocument } from '../render/emit.js';
import { planDocument } from '../render/json.js';
import { renderPlans } from '../render/text.js';
import { prepare, reportTargetFailures } from './prepare.js';

export async function planCommand(options: PlanOptions, io: CliIo): Promise<CommandOutcome> {
  const { config, now, runId, targets, progress } = await prepare(options, io);
  const outcomes = await forEachTarget(targets, (target) =>
    planTarget(target.ec2, config, {
      now,
      runId,
      onProgress: (p) => progress.collect(p),
    }),
  );
  progress.done();
  const plans = outcomes.flatMap((o) => (o.ok ? [o.value.plan] : []));
  if (options.saveInventory !== undefined) {
    const inventories = outcomes.flatMap((o) => (o.ok ? [o.value.inventory] : []));
    await saveInventories(options.saveInventory, inventories, now);
  }
  const failures = outcomes.flatMap((o) => (o.ok ? [] : [o]));
  reportTargetFailures(failures, progress, (e) => formatErrorForCli(e, options.verbose === true));
  await emitPlans(plans, now, options, io);
  return {
    failed: failures.length > 0 || plans.some(stoppedDeletes),
    changes: plans.some((p) => p.summary.create + p.summary.delete > 0),
  };
}

function emitPlans(plans: readonly Plan[], now: number, options: PlanOptions, io: CliIo): Promise<void> {
  return emitDocument(planDocument(plans, now), (style) => renderPlans(plans, style), options, io);
}
