/**
 * Giving an instance back after a stop (SPEC §6): started again, returned to its Auto Scaling
 * group, untagged — in that order, each step only when needed, so it is safe to repeat after a
 * crash at any point. The tags say what the tool did: `ebs-snapper:stopped-by` is set before the
 * stop and removed last, `ebs-snapper:standby-by` before EnterStandby and removed after
 * ExitStandby. A tag is removed only once its step is seen done: an instance that could not be
 * given back keeps its tags, and the next run gives it back first.
 *
 * An instance that is terminated (or shutting down, or no longer found) cannot be given back: the
 * give-back ends at once and says so, never waiting for a `running` that cannot come.
 */
import { EbsSnapperError } from '../../../core/errors.js';
import { type InstanceId, TAG } from '../../../core/model.js';
import { type ErrorInfo, errorInfoOf } from '../../kit/classify-error.js';
import type { InstancePort, LiveInstance } from '../../kit/ports.js';

export interface Waiting {
  readonly clock: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Time between two looks at an instance that is changing state. */
  readonly pollMs: number;
}

/** How long a give-back waits for an instance to settle (stopping → stopped, pending → running). */
const GIVE_BACK_WAIT_MS = 10 * 60 * 1000;

/** States an instance never comes back from: a wait for anything else ends there. */
const GONE_STATES: ReadonlySet<string> = new Set(['shutting-down', 'terminated']);

/** What a wait or a give-back found when the instance is gone: its state, or `not-found`. */
export type Gone = 'shutting-down' | 'terminated' | 'not-found';

/** The instance's state when it is gone for good, else undefined. */
export function goneState(live: LiveInstance | undefined): Gone | undefined {
  if (live === undefined) return 'not-found';
  return GONE_STATES.has(live.state) ? (live.state as Gone) : undefined;
}

export interface WaitResult {
  readonly live: LiveInstance | undefined;
  readonly reached: boolean;
  /** Set when the wait ended because the instance is gone. */
  readonly gone?: Gone;
}

/**
 * Wait until `accept` holds for the instance, at most `timeoutMs`; ends at once when the
 * instance is gone (terminated, shutting down, not found). Returns what it last saw.
 */
export async function waitFor(
  instances: InstancePort,
  id: InstanceId,
  asg: string | undefined,
  accept: (live: LiveInstance) => boolean,
  timeoutMs: number,
  waiting: Waiting,
): Promise<WaitResult> {
  const until = waiting.clock() + timeoutMs;
  for (;;) {
    const live = await instances.describe(id, asg);
    const gone = goneState(live);
    if (gone !== undefined) return { live, reached: false, gone };
    if (live !== undefined && accept(live)) return { live, reached: true };
    if (waiting.clock() + waiting.pollMs > until) return { live, reached: false };
    await waiting.sleep(waiting.pollMs);
  }
}

/** What the tool did to the instance, so what giving it back undoes. */
export interface Held {
  /** It was (or may have been) stopped by the tool: started again when stopped. */
  readonly stopped: boolean;
  /** It was (or may have been) put in Standby by the tool: ExitStandby when in Standby. */
  readonly standby: boolean;
}

/** How a give-back ended. */
export interface GiveBackOutcome {
  /** `started`, `exited-standby`, `untagged`. */
  readonly done: readonly string[];
  /** The instance is gone: nothing could be given back (its tags go with it). */
  readonly gone?: Gone;
  /** A step failed: the tags stay, the next run tries again. */
  readonly error?: ErrorInfo;
}

/**
 * Undo what `held` says the tool did. Idempotent; never throws: a failed step ends the give-back
 * with `error`, the tags left for the next run.
 *
 * @param maxWaitMs how long to wait for a state change at each step
 * @example const { done, error } = await giveBack(instances, id, 'web-asg', waiting, { stopped: true, standby: true });
 */
export async function giveBack(
  instances: InstancePort,
  id: InstanceId,
  asg: string | undefined,
  waiting: Waiting,
  held: Held,
  maxWaitMs = GIVE_BACK_WAIT_MS,
): Promise<GiveBackOutcome> {
  const done: string[] = [];
  try {
    const gone = await undo(instances, id, asg, waiting, held, maxWaitMs, done);
    if (gone !== undefined) await untagGone(instances, id, held, gone);
    return gone === undefined ? { done } : { done, gone };
  } catch (error) {
    const info =
      error instanceof StuckError ? { code: error.code, message: error.message } : errorInfoOf(error);
    return { done, error: info };
  }
}

async function undo(
  instances: InstancePort,
  id: InstanceId,
  asg: string | undefined,
  waiting: Waiting,
  held: Held,
  maxWaitMs: number,
  done: string[],
): Promise<Gone | undefined> {
  if (held.stopped) {
    const settled = await waitFor(instances, id, asg, (l) => l.state !== 'stopping', maxWaitMs, waiting);
    if (settled.gone !== undefined) return settled.gone;
    // Still stopping: StartInstances is refused until it is stopped, and the error keeps the tags.
    if (settled.live?.state === 'stopped' || settled.live?.state === 'stopping') {
      await instances.start(id);
      done.push('started');
    }
    // Seen running before the tag goes (and ExitStandby needs a running instance: the group
    // would replace one that is not healthy).
    const running = await waitFor(instances, id, asg, (l) => l.state === 'running', maxWaitMs, waiting);
    if (running.gone !== undefined) return running.gone;
    if (!running.reached) throw notRunning(id, running.live, maxWaitMs);
  }
  if (held.standby && asg !== undefined) {
    const settled = await waitFor(
      instances,
      id,
      asg,
      (l) => l.lifecycle !== 'EnteringStandby',
      maxWaitMs,
      waiting,
    );
    if (settled.gone !== undefined) return settled.gone;
    // Still entering Standby: taking the tag now would leave it in Standby with no mark.
    if (!settled.reached) {
      const seconds = Math.round(maxWaitMs / 1000);
      throw new StuckError('StandbyTimeout', `${id} is still EnteringStandby in ${asg} after ${seconds} s`);
    }
    if (settled.live?.lifecycle === 'Standby') {
      await instances.exitStandby(asg, id);
      done.push('exited-standby');
    }
    await instances.untag(id, [TAG.standbyBy]);
  }
  if (held.stopped) {
    await instances.untag(id, [TAG.stoppedBy]);
    done.push('untagged');
  }
  return undefined;
}

/**
 * A terminated instance's tags go with it; one that is shutting down is still listed for a while,
 * so its tags are removed when EC2 lets us — and if it does not, later runs only report it again.
 */
async function untagGone(instances: InstancePort, id: InstanceId, held: Held, gone: Gone): Promise<void> {
  if (gone === 'not-found') return;
  const keys = [...(held.stopped ? [TAG.stoppedBy] : []), ...(held.standby ? [TAG.standbyBy] : [])];
  await instances.untag(id, keys).catch(() => {});
}

/** A step whose instance did not get where it must: the tags stay, the next run looks again. */
class StuckError extends EbsSnapperError {
  /** `StartFailed`, `StartTimeout`, `StandbyTimeout`. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Started (or never stopped), yet not seen `running`. */
function notRunning(id: InstanceId, live: LiveInstance | undefined, waitedMs: number): StuckError {
  const state = live?.state ?? 'unknown';
  return state === 'stopped'
    ? new StuckError('StartFailed', `${id} is stopped again after StartInstances: EC2 could not start it`)
    : new StuckError(
        'StartTimeout',
        `${id} is still ${state} ${Math.round(waitedMs / 1000)} s after it was started`,
      );
}
