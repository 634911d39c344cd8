/**
 * Giving an instance back after a stop (SPEC §6): started again, returned to its Auto Scaling
 * group, untagged — in that order, each step only when needed, so it is safe to repeat after a
 * crash at any point. The tags say what the tool did: `ebs-snapper:stopped-by` is set before the
 * stop and removed last, `ebs-snapper:standby-by` before EnterStandby and removed after
 * ExitStandby. An instance that carries neither was not stopped by the tool and is never started.
 */
import { type InstanceId, TAG } from '../../../core/model.js';
import type { InstancePort, LiveInstance } from '../../kit/ports.js';

export interface Waiting {
  readonly clock: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Time between two looks at an instance that is changing state. */
  readonly pollMs: number;
}

/** How long a give-back waits for an instance to settle (stopping → stopped, pending → running). */
export const GIVE_BACK_WAIT_MS = 10 * 60 * 1000;

/**
 * Wait until the instance is in one of `states` (or its lifecycle is, with `lifecycle: true`),
 * at most `timeoutMs`; returns what it last saw.
 */
export async function waitFor(
  instances: InstancePort,
  id: InstanceId,
  asg: string | undefined,
  accept: (live: LiveInstance) => boolean,
  timeoutMs: number,
  waiting: Waiting,
): Promise<{ live: LiveInstance | undefined; reached: boolean }> {
  const until = waiting.clock() + timeoutMs;
  for (;;) {
    const live = await instances.describe(id, asg);
    if (live === undefined || accept(live)) return { live, reached: live !== undefined };
    if (waiting.clock() + waiting.pollMs > until) return { live, reached: false };
    await waiting.sleep(waiting.pollMs);
  }
}

/**
 * Undo what the tool's tags say it did to an instance. Idempotent; throws when a step fails, and
 * then leaves the tags for the next run to finish.
 *
 * @param maxWaitMs how long to wait for a state change at each step
 * @returns what was done, for the report: `started`, `exited-standby`, `untagged`.
 */
export async function giveBack(
  instances: InstancePort,
  id: InstanceId,
  asg: string | undefined,
  waiting: Waiting,
  maxWaitMs = GIVE_BACK_WAIT_MS,
): Promise<string[]> {
  const done: string[] = [];
  let live = await instances.describe(id, asg);
  if (live === undefined) return done;
  const tags = live.tags;
  if (TAG.stoppedBy in tags) {
    if (live.state === 'stopping') {
      live = (await waitFor(instances, id, asg, (l) => l.state !== 'stopping', maxWaitMs, waiting)).live;
    }
    // Still stopping: StartInstances is refused until it is stopped, and the error keeps the
    // tags for the next run.
    if (live?.state === 'stopped' || live?.state === 'stopping') {
      await instances.start(id);
      done.push('started');
    }
    // Seen running before the tag goes (and ExitStandby needs a running instance: the group
    // would replace one that is not healthy).
    await waitFor(instances, id, asg, (l) => l.state === 'running', maxWaitMs, waiting);
  }
  if (TAG.standbyBy in tags && asg !== undefined) {
    const settled = await waitFor(
      instances,
      id,
      asg,
      (l) => l.lifecycle !== 'EnteringStandby',
      maxWaitMs,
      waiting,
    );
    if (settled.live?.lifecycle === 'Standby') {
      await instances.exitStandby(asg, id);
      done.push('exited-standby');
    }
    await instances.untag(id, [TAG.standbyBy]);
  }
  if (TAG.stoppedBy in tags) {
    await instances.untag(id, [TAG.stoppedBy]);
    done.push('untagged');
  }
  return done;
}
