/**
 * The creates of a `stop_instance` policy: one unit per instance, its snapshots taken inside the
 * stop → snapshot → start workflow (workflows/stop-start.ts), under the stop slots (`max_stopped`
 * per policy, one per Auto Scaling group across all policies, one per instance). Every member
 * action gets exactly one result, whatever the workflow's outcome; an instance that could not be
 * given back gets one more, a failed `give-back` result, so the run fails (exit 1, record,
 * notification) even when all its snapshots were taken.
 */

import type { InstanceId } from '../../core/model.js';
import { type ErrorInfo, errorInfoOf } from '../kit/classify-error.js';
import { type ApplyContext, resultFor } from './apply-context.js';
import { applyCreateUnit, type CreateContext } from './apply-creates.js';
import type { CreateUnit } from './instance-sets.js';
import type { ActionResult } from './results.js';
import { type KeyedSlots, type ReleaseSlots, SlotLostError, stopSlotsOf } from './semaphore.js';
import { notGivenBack } from './workflows/finish-crashed.js';
import { type StopOutcome, stopSnapshotStart, TERMINATED_CODE } from './workflows/stop-start.js';

/** How often a changing instance is looked at (SPEC §6 waits), ms. */
export const STOP_POLL_MS = 5_000;

export interface StopApplyContext extends CreateContext {
  readonly stopSlots: KeyedSlots;
  readonly pollMs: number;
  /** Adds a result that belongs to no plan action: an instance's give-back. */
  readonly report: (result: ActionResult) => void;
}

/** Apply one stop unit. */
export async function applyStopUnit(context: StopApplyContext, unit: CreateUnit): Promise<void> {
  const stop = unit.stop;
  if (stop === undefined) return applyCreateUnit(context, unit);
  let release: ReleaseSlots;
  try {
    release = await context.stopSlots.acquireAll(stopSlotsOf(unit.policy, stop.instanceId, stop.workflow));
  } catch (error) {
    if (!(error instanceof SlotLostError)) throw error;
    settleRest(context, unit, 'deferred', slotLost(stop.instanceId, error.key));
    return;
  }
  let lost = false;
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
    if (outcome.kind === 'not-snapshotted') settleRest(context, unit, outcome.status, outcome.error);
    const back = giveBackResult(context, unit, stop.instanceId, outcome);
    if (back !== undefined) context.report(back);
    lost = outcome.back?.error !== undefined;
  } catch (error) {
    // A step before the tags were set failed (the describe, the tagging): nothing to give back.
    settleRest(context, unit, 'failed', errorInfoOf(error));
  } finally {
    release({ lost });
  }
}

/** Another instance of the same group (or policy) is still down: this one is left for the next run. */
function slotLost(id: InstanceId, key: string): ErrorInfo {
  const [kind, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  const whose = kind === 'asg' ? `group ${name}` : kind === 'policy' ? `policy ${name}'s max_stopped` : name;
  return {
    code: 'StopSlotLost',
    message: `${id} not stopped: an instance of ${whose} could not be given back in this run and is still down; the next run tries again`,
  };
}

/**
 * The give-back's own result, when there is something to say: it failed (the run fails, the
 * tags stay), or the instance was terminated after its snapshots while the tool had it stopped.
 */
function giveBackResult(
  context: CreateContext,
  unit: CreateUnit,
  id: InstanceId,
  outcome: StopOutcome,
): ActionResult | undefined {
  const { back } = outcome;
  const member = context.creates[unit.members[0]!];
  if (back === undefined || member === undefined) return undefined;
  const base = {
    action: 'give-back',
    policy: unit.policy,
    account: member.account,
    region: member.region,
    instanceId: id,
  } as const;
  const after =
    outcome.kind === 'snapshotted' ? 'after its snapshots were taken' : 'after its workflow ended';
  if (back.error !== undefined) {
    return {
      ...base,
      status: 'failed',
      error: notGivenBack(id, `stopped by this run, ${after}`, back.error),
    };
  }
  if (back.gone !== undefined && outcome.kind === 'snapshotted') {
    const message = `${id} was ${back.gone === 'not-found' ? 'terminated (no longer found)' : back.gone} while the tool had it stopped, ${after}: it was not started`;
    return { ...base, status: 'skipped', error: { code: TERMINATED_CODE, message } };
  }
  return undefined;
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
  status: 'failed' | 'deferred' | 'skipped',
  error: ReturnType<typeof errorInfoOf>,
): void {
  for (const index of unit.members) {
    const action = context.creates[index];
    if (action !== undefined && !context.isSettled(index))
      context.settle(index, resultFor(action, status, { error }));
  }
}
