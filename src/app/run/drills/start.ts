/**
 * Start one planned drill: a volume from the snapshot, in the planned zone, carrying the drill's
 * state from its first moment (TagSpecifications): a run killed right after CreateVolume — before
 * it even knew the volume's id — leaves a volume the next run finds by its tags. The client token
 * (run id + snapshot) makes a retried create, or the same run's next invocation, make no second one.
 */
import type { DrillAction } from '../../../core/actions.js';
import { DRILL_TAG, formatStep } from '../../../core/drills/tags.js';
import { TAG } from '../../../core/model.js';
import { errorInfoOf } from '../../kit/classify-error.js';
import { DEADLINE_CODE, PortError } from '../../kit/ports.js';
import { type DrillContext, outcomeBase, pastDeadline } from './context.js';
import type { DrillOutcome } from './outcomes.js';

/** @example const outcome = await startDrill(context, action); */
export async function startDrill(context: DrillContext, action: DrillAction): Promise<DrillOutcome> {
  const base = outcomeBase(context, {
    policy: action.policy,
    snapshotId: action.snapshotId,
    check: action.check,
    sourceVolumeId: action.volumeId,
  });
  if (pastDeadline(context)) {
    return {
      ...base,
      status: 'deferred',
      error: {
        code: 'Deadline',
        message: 'not started: the run reached its deadline; the next run picks it up',
      },
    };
  }
  const startedAt = new Date(context.at()).toISOString();
  try {
    const refused = await refusal(context, action);
    if (refused !== undefined) return { ...base, status: 'not-started', error: refused };
    const volumeId = await context.volumes.createVolume({
      snapshotId: action.snapshotId,
      availabilityZone: action.availabilityZone!,
      ...(action.sizeGiB === undefined ? {} : { sizeGiB: action.sizeGiB }),
      volumeType: action.volumeType,
      tags: {
        [DRILL_TAG.of]: action.snapshotId,
        [TAG.policy]: action.policy,
        [TAG.runId]: context.runId,
        [DRILL_TAG.started]: startedAt,
        [DRILL_TAG.step]: formatStep({ kind: 'creating' }),
        Name: `ebs-snapper drill of ${action.snapshotId}`,
      },
      clientToken: `${context.runId}-${action.snapshotId}`,
    });
    context.onEvent?.({
      snapshotId: action.snapshotId,
      volumeId,
      what: `started in ${action.availabilityZone}`,
    });
    return { ...base, status: 'started', drillVolumeId: volumeId, startedAt, step: 'creating' };
  } catch (error) {
    // The same token with other tags: an earlier invocation of this run made it; it is in flight.
    if (error instanceof PortError && error.code === 'IdempotentParameterMismatch')
      return { ...base, status: 'started', startedAt, step: 'creating' };
    // Cancelled by the deadline: it may have been made (then a later run finds it by its tags).
    if (error instanceof PortError && error.code === DEADLINE_CODE)
      return { ...base, status: 'deferred', error: errorInfoOf(error) };
    return { ...base, status: 'not-started', error: errorInfoOf(error) };
  }
}

/** Why the drill cannot start: no zone, or (ssm) no host SSM can reach now. */
async function refusal(context: DrillContext, action: DrillAction): Promise<DrillOutcome['error']> {
  const what = `restore drill of ${action.snapshotId} not started`;
  if (action.check === 'ssm') {
    if (action.hostId === undefined)
      return { code: 'drill.no-host', message: `${what}: no running instance matches the policy's host` };
    const pings = await context.ssm.managedInstances([action.hostId]);
    const ping = pings.get(action.hostId);
    if (ping !== 'Online')
      return {
        code: 'drill.no-host',
        message: `${what}: host ${action.hostId} is ${ping === undefined ? 'not managed by SSM' : `${ping} in SSM`}`,
      };
  }
  if (action.availabilityZone === undefined)
    return { code: 'drill.no-zone', message: `${what}: no Availability Zone (set drill.availability_zone)` };
  return undefined;
}
