/**
 * The creates of a `stop_instance` policy: one unit per instance, its snapshots taken inside the
 * stop → snapshot → start workflow (workflows/stop-start.ts), under the `max_stopped` slots. Every
 * member action gets exactly one result, whatever the workflow's outcome.
 */

import { errorInfoOf } from '../kit/classify-error.js';
import { type ApplyContext, resultFor } from './apply-context.js';
import { applyCreateUnit, type CreateContext } from './apply-creates.js';
import type { CreateUnit } from './instance-sets.js';
import type { KeyedSlots } from './semaphore.js';
import { stopSnapshotStart } from './workflows/stop-start.js';

/** How often a changing instance is looked at (SPEC §6 waits), ms. */
export const STOP_POLL_MS = 5_000;

export interface StopApplyContext extends CreateContext {
  readonly stopSlots: KeyedSlots;
  readonly pollMs: number;
}

/**
 * The slot an instance's stop takes: `max_stopped` per policy when set, else one per Auto
 * Scaling group, else none (any number at once).
 */
function slotOf(
  unit: CreateUnit & { stop: NonNullable<CreateUnit['stop']> },
): { key: string; limit: number } | undefined {
  const { workflow } = unit.stop;
  if (workflow.maxStopped !== undefined) return { key: `policy:${unit.policy}`, limit: workflow.maxStopped };
  if (workflow.asg !== undefined) return { key: `asg:${unit.policy}:${workflow.asg}`, limit: 1 };
  return undefined;
}

/** Apply one stop unit. */
export async function applyStopUnit(context: StopApplyContext, unit: CreateUnit): Promise<void> {
  const stop = unit.stop;
  if (stop === undefined) return applyCreateUnit(context, unit);
  const slot = slotOf({ ...unit, stop });
  const release = slot === undefined ? () => {} : await context.stopSlots.acquire(slot.key, slot.limit);
  try {
    const outcome = await stopSnapshotStart(
      {
        instances: context.ec2.instances,
        runId: context.runId,
        clock: context.clock,
        sleep: context.sleep,
        pollMs: context.pollMs,
        ...(context.deadline === undefined ? {} : { deadline: context.deadline }),
      },
      stop.instanceId,
      stop.workflow,
      () => snapshotMembers(context, unit),
    );
    if (outcome.kind === 'not-started') settleRest(context, unit, outcome.status, outcome.error);
  } catch (error) {
    // The give-back (or a stop step) failed: the tags stay for the next run to finish.
    settleRest(context, unit, 'failed', errorInfoOf(error));
  } finally {
    release();
  }
}

/** The unit's snapshots: one CreateSnapshots for a set, else one CreateSnapshot per volume. */
async function snapshotMembers(context: CreateContext, unit: CreateUnit): Promise<void> {
  if (unit.instanceId !== undefined) {
    await applyCreateUnit(context, {
      policy: unit.policy,
      instanceId: unit.instanceId,
      members: unit.members,
    });
    return;
  }
  await Promise.all(
    unit.members.map((member) => applyCreateUnit(context, { policy: unit.policy, members: [member] })),
  );
}

function settleRest(
  context: ApplyContext & Pick<CreateContext, 'creates'>,
  unit: CreateUnit,
  status: 'failed' | 'deferred',
  error: ReturnType<typeof errorInfoOf>,
): void {
  for (const index of unit.members) {
    const action = context.creates[index];
    if (action !== undefined && !context.isSettled(index))
      context.settle(index, resultFor(action, status, { error }));
  }
}
