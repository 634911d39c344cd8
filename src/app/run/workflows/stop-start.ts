/**
 * Shut down → snapshot → start up, for one instance (SPEC §6). The promise is that no instance
 * the tool stopped is ever left stopped, whatever fails or crashes when:
 *
 * 1. tag it (`ebs-snapper:stopped-by`, and `ebs-snapper:standby-by` in a group) BEFORE anything;
 * 2. put it in Standby (`ShouldDecrementDesiredCapacity`), so its group does not replace it;
 * 3. stop it; wait for `stopped` at most `stop_timeout` — past it, give it back and report;
 * 4. take the snapshots (they are point-in-time once initiated: no wait for `completed`);
 * 5. give it back (`give-back.ts`): start, wait for `running`, ExitStandby, untag — always, after
 *    whatever happened in 2–4, through calls the deadline does not cancel. A give-back that fails
 *    is part of the outcome (a failure of the run), and the tags stay for the next run.
 *
 * A crash anywhere leaves the tags, and the next run gives the instance back first. An instance
 * that is already stopped is snapshotted as it is and never started — unless this run's own tag
 * says this run stopped it (an earlier invocation of the same run: a deployed continuation). An
 * instance terminated on the way ends every wait at once.
 */
import type { StopWorkflow } from '../../../core/actions.js';
import { type InstanceId, TAG } from '../../../core/model.js';
import { type ErrorInfo, errorInfoOf } from '../../kit/classify-error.js';
import type { InstancePort, LiveInstance } from '../../kit/ports.js';
import {
  type GiveBackOutcome,
  type Gone,
  giveBack,
  goneState,
  type Held,
  type Waiting,
  waitFor,
} from './give-back.js';
import { ownerOf } from './stop-tags.js';

export interface StopContext extends Waiting {
  readonly instances: InstancePort;
  readonly runId: string;
  /** Epoch ms after which no stop may start. */
  readonly deadline?: number;
}

/** How the workflow ended, and how the give-back went when there was one. */
export type StopOutcome =
  | { readonly kind: 'snapshotted'; readonly stopped: boolean; readonly back?: GiveBackOutcome }
  | {
      readonly kind: 'not-snapshotted';
      readonly status: 'deferred' | 'failed' | 'skipped';
      readonly error: ErrorInfo;
      readonly back?: GiveBackOutcome;
    };

/** The error code of a workflow that ended because the instance was terminated. */
export const TERMINATED_CODE = 'InstanceTerminated';

/**
 * Run the workflow; `snapshot` takes the instance's snapshots (and settles their results).
 *
 * @example await stopSnapshotStart(context, instanceId('i-0abc'), { timeoutMs: 600_000 }, () => createTheSnapshots());
 */
export async function stopSnapshotStart(
  context: StopContext,
  id: InstanceId,
  stop: StopWorkflow,
  snapshot: () => Promise<void>,
): Promise<StopOutcome> {
  const { instances, deadline } = context;
  if (deadline !== undefined && context.clock() + stop.timeoutMs > deadline) {
    return ended(
      'deferred',
      'Deadline',
      `less than stop_timeout left before the deadline: ${id} not stopped`,
    );
  }
  const live = await instances.describe(id, stop.asg);
  const gone = goneState(live);
  if (gone !== undefined || live === undefined) {
    return ended('skipped', TERMINATED_CODE, `${id} is ${goneWord(gone)}: nothing to stop or snapshot`);
  }
  const tagged = tagOwners(live, context.runId);
  if (live.state === 'stopped') return snapshotStopped(context, id, stop, snapshot, tagged);
  if (tagged.other !== undefined) return heldElsewhere(id, tagged.other);
  if (live.state !== 'running') {
    return ended('deferred', 'IncorrectInstanceState', `${id} is ${live.state}; the next run tries again`);
  }
  if (stop.asg !== undefined && live.lifecycle !== 'InService') {
    return ended(
      'deferred',
      'IncorrectInstanceState',
      `${id} is ${live.lifecycle} in ${stop.asg}, not InService`,
    );
  }
  await instances.tag(id, {
    [TAG.stoppedBy]: context.runId,
    ...(stop.asg === undefined ? {} : { [TAG.standbyBy]: context.runId }),
  });
  let outcome: StopOutcome;
  try {
    outcome = await holdAndSnapshot(context, id, stop, snapshot);
  } catch (error) {
    outcome = { kind: 'not-snapshotted', status: 'failed', error: errorInfoOf(error) };
  }
  const held: Held = { stopped: true, standby: stop.asg !== undefined };
  return { ...outcome, back: await giveBack(instances, id, stop.asg, context, held, stop.timeoutMs) };
}

/** Steps 2–4: Standby, stop, snapshots. Throws when a call fails (the caller gives it back). */
async function holdAndSnapshot(
  context: StopContext,
  id: InstanceId,
  stop: StopWorkflow,
  snapshot: () => Promise<void>,
): Promise<StopOutcome> {
  const { instances } = context;
  const seconds = Math.round(stop.timeoutMs / 1000);
  if (stop.asg !== undefined) {
    await instances.enterStandby(stop.asg, id);
    const standby = await waitFor(
      instances,
      id,
      stop.asg,
      (l) => l.lifecycle === 'Standby',
      stop.timeoutMs,
      context,
    );
    if (standby.gone !== undefined) return terminated(id, standby.gone, 'while it was put in Standby');
    if (!standby.reached) {
      return ended(
        'failed',
        'StandbyTimeout',
        `${id} was not in Standby in ${stop.asg} within ${seconds} s; not stopped, no snapshot`,
      );
    }
  }
  await instances.stop(id);
  const stopped = await waitFor(
    instances,
    id,
    stop.asg,
    (l) => l.state === 'stopped',
    stop.timeoutMs,
    context,
  );
  if (stopped.gone !== undefined) return terminated(id, stopped.gone, 'while the tool was stopping it');
  if (!stopped.reached) {
    return ended(
      'failed',
      'StopTimeout',
      `${id} was not stopped within ${seconds} s; started again, no snapshot`,
    );
  }
  await snapshot();
  return { kind: 'snapshotted', stopped: true };
}

/**
 * An instance found stopped: snapshotted as it is. Never started — unless this run's own tag
 * says this run stopped it; another run's or a person's tag is theirs to act on.
 */
async function snapshotStopped(
  context: StopContext,
  id: InstanceId,
  stop: StopWorkflow,
  snapshot: () => Promise<void>,
  tagged: TagOwners,
): Promise<StopOutcome> {
  await snapshot();
  if (tagged.own.stopped || tagged.own.standby) {
    const back = await giveBack(context.instances, id, stop.asg, context, tagged.own, stop.timeoutMs);
    return { kind: 'snapshotted', stopped: true, back };
  }
  return { kind: 'snapshotted', stopped: false };
}

interface TagOwners {
  /** Which of this run's own tags the instance carries. */
  readonly own: Held;
  /** A tag set by anyone else (another run, a person), as `key=value`. */
  readonly other?: { readonly tag: string; readonly foreign: boolean };
}

function tagOwners(live: LiveInstance, runId: string): TagOwners {
  const own = { stopped: false, standby: false };
  let other: TagOwners['other'];
  for (const key of [TAG.stoppedBy, TAG.standbyBy]) {
    const value = live.tags[key];
    if (value === undefined) continue;
    const owner = ownerOf(value, runId);
    if (owner === 'own') own[key === TAG.stoppedBy ? 'stopped' : 'standby'] = true;
    else other ??= { tag: `${key}=${value}`, foreign: owner === 'foreign' };
  }
  return other === undefined ? { own } : { own, other };
}

/**
 * A running instance another run (or a person) has tagged is not stopped: a person's tag fails
 * the instance's snapshots until it is removed; another run's defers them (it gives it back).
 */
function heldElsewhere(id: InstanceId, other: NonNullable<TagOwners['other']>): StopOutcome {
  return other.foreign
    ? ended(
        'failed',
        'StopTagForeign',
        `${id} carries ${other.tag}, which is not a run id of ebs-snapper: not stopped, no snapshot; remove the tag`,
      )
    : ended(
        'deferred',
        'StopTagHeld',
        `${id} carries ${other.tag}: another run holds it; the next run tries again`,
      );
}

function terminated(id: InstanceId, gone: Gone, when: string): StopOutcome {
  return ended('failed', TERMINATED_CODE, `${id} was ${goneWord(gone)} ${when}: no snapshot, not started`);
}

const goneWord = (gone: Gone | undefined): string =>
  gone === 'shutting-down'
    ? 'shutting down'
    : gone === 'terminated'
      ? 'terminated'
      : 'terminated (no longer found)';

const ended = (status: 'deferred' | 'failed' | 'skipped', code: string, message: string): StopOutcome => ({
  kind: 'not-snapshotted',
  status,
  error: { code, message },
});
