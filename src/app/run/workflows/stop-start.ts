/**
 * Shut down → snapshot → start up, for one instance (SPEC §6). The promise is that no instance
 * the tool stopped is ever left stopped, whatever fails or crashes when:
 *
 * 1. tag it (`ebs-snapper:stopped-by`, and `ebs-snapper:standby-by` in a group) BEFORE anything;
 * 2. put it in Standby (`ShouldDecrementDesiredCapacity`), so its group does not replace it;
 * 3. stop it; wait for `stopped` at most `stop_timeout` — past it, give it back and report;
 * 4. take the snapshots (they are point-in-time once initiated: no wait for `completed`);
 * 5. give it back (`give-back.ts`): start, wait for `running`, ExitStandby, untag — always, in a
 *    `finally`, through calls the deadline does not cancel.
 *
 * A crash anywhere leaves the tags, and the next run gives the instance back first. An instance
 * that is already stopped is snapshotted as it is and never started.
 */
import type { StopWorkflow } from '../../../core/actions.js';
import { type InstanceId, TAG } from '../../../core/model.js';
import type { ErrorInfo } from '../../kit/classify-error.js';
import type { InstancePort } from '../../kit/ports.js';
import { giveBack, type Waiting, waitFor } from './give-back.js';

export interface StopContext extends Waiting {
  readonly instances: InstancePort;
  readonly runId: string;
  /** Epoch ms after which no stop may start. */
  readonly deadline?: number;
}

/** How the workflow ended, before or after the snapshots. */
export type StopOutcome =
  | { readonly kind: 'snapshotted'; readonly stopped: boolean }
  | { readonly kind: 'not-started'; readonly status: 'deferred' | 'failed'; readonly error: ErrorInfo };

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
    return notStarted(
      'deferred',
      'Deadline',
      `less than stop_timeout left before the deadline: ${id} not stopped`,
    );
  }
  const live = await instances.describe(id, stop.asg);
  if (live === undefined) return notStarted('failed', 'InvalidInstanceID.NotFound', `${id} is gone`);
  if (live.state === 'stopped') {
    // Stopped before the tool came: snapshot it as it is, never start it.
    await snapshot();
    return { kind: 'snapshotted', stopped: false };
  }
  if (live.state !== 'running') {
    return notStarted(
      'deferred',
      'IncorrectInstanceState',
      `${id} is ${live.state}; the next run tries again`,
    );
  }
  if (stop.asg !== undefined && live.lifecycle !== 'InService') {
    return notStarted(
      'deferred',
      'IncorrectInstanceState',
      `${id} is ${live.lifecycle} in ${stop.asg}, not InService`,
    );
  }
  const tags = {
    [TAG.stoppedBy]: context.runId,
    ...(stop.asg === undefined ? {} : { [TAG.standbyBy]: context.runId }),
  };
  await instances.tag(id, tags);
  try {
    if (stop.asg !== undefined) {
      await instances.enterStandby(stop.asg, id);
      await waitFor(instances, id, stop.asg, (l) => l.lifecycle === 'Standby', stop.timeoutMs, context);
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
    if (!stopped.reached) {
      const seconds = Math.round(stop.timeoutMs / 1000);
      return notStarted(
        'failed',
        'StopTimeout',
        `${id} was not stopped within ${seconds} s; started again, no snapshot`,
      );
    }
    await snapshot();
    return { kind: 'snapshotted', stopped: true };
  } finally {
    await giveBack(instances, id, stop.asg, context, stop.timeoutMs);
  }
}

const notStarted = (status: 'deferred' | 'failed', code: string, message: string): StopOutcome => ({
  kind: 'not-started',
  status,
  error: { code, message },
});
