/**
 * Freeze → snapshot → thaw, for one instance (SPEC §15). The promise is that nothing the tool
 * froze stays frozen, whatever fails or crashes when, and that no snapshot says `application`
 * unless its pre script succeeded:
 *
 * 1. tag it (`ebs-snapper:frozen-by = <run id>`, `ebs-snapper:frozen-policy`) BEFORE the pre script;
 * 2. the pre script, waited for up to `timeout`, tried again `retries` times (thawed in between);
 * 3. the set's snapshots — `application` when the pre script succeeded, else (`on_failure`)
 *    `crash`, or none at all (`skip`, a failure);
 * 4. the post script at once, ALWAYS once a pre script was (or may have been) sent, through SSM
 *    calls the deadline does not cancel, whatever happened in 2–3; then the tags go, once the
 *    post script succeeded. A post that fails keeps the tags for the next run.
 *
 * A crash anywhere leaves the tags, and the next run thaws first (`thaw-crashed.ts`); the
 * built-in script's watchdog thaws by itself `timeout + 30 s` after the freeze. An instance SSM
 * does not manage takes the `on_failure` path at once, untouched (`consistency.no-agent`).
 */
import { watchdogSeconds } from '../../../core/fsfreeze-script.js';
import { TAG } from '../../../core/model.js';
import { BUILTIN_FSFREEZE } from '../../../core/policy/types.js';
import { type ErrorInfo, errorInfoOf } from '../../kit/classify-error.js';
import { DEADLINE_CODE, type InstancePort } from '../../kit/ports.js';
import type { AgentPing, SsmPort } from '../../kit/ssm-port.js';
import {
  runScript,
  runScriptOnce,
  type ScriptRun,
  type ScriptTarget,
  type ScriptWaiting,
  scriptRequest,
} from './freeze-scripts.js';

/** The consistency a set of snapshots is tagged with. */
export type SetConsistency = 'application' | 'crash';

/** Reason codes of the freeze workflow (results carry them as `reason` or `error`). */
export const CONSISTENCY_REASONS = {
  preFailed: 'consistency.pre-failed',
  noAgent: 'consistency.no-agent',
  skipped: 'consistency.skipped',
  /** The set's CreateSnapshots came so late (its retries) that the watchdog may have thawed first. */
  thawedEarly: 'consistency.thawed-early',
} as const;

/**
 * How long before the built-in watchdog would thaw a freeze a CreateSnapshots may still start as
 * `application`: the call itself takes a moment, and the watchdog's clock is the instance's.
 */
const WATCHDOG_MARGIN_MS = 10_000;

/** How the set is to be taken. */
export interface SetPlan {
  readonly consistency: SetConsistency;
  /** Why it is not `application`. */
  readonly reason?: ErrorInfo;
  /**
   * Epoch ms (the context's clock) after which a CreateSnapshots of this set must not start as
   * `application` any more: the freeze's watchdog may thaw first. The caller checks before each
   * attempt (a retry after a rate limit comes seconds later) and says `crash` past it.
   */
  readonly claimUntil?: number;
}

export interface FreezeContext extends ScriptWaiting {
  /** True once the run must end (its deadline, a signal): no pre script is tried again. */
  readonly mustStop: () => boolean;
  /** The pre script's SSM (the deadline cancels it). */
  readonly ssm: SsmPort;
  /** The post script's: never cancelled by the deadline. */
  readonly ssmUnbounded: SsmPort;
  readonly instances: InstancePort;
  readonly runId: string;
}

export interface FreezeTarget extends ScriptTarget {
  readonly policy: string;
  /** SSM's word on the agent; `unknown` when SSM could not be asked (the pre script is tried). */
  readonly agent: AgentPing | 'not-managed' | 'unknown';
}

/** How the workflow ended. */
export interface FreezeOutcome {
  /** The consistency the set was taken with; absent when no snapshot was taken (`skip`). */
  readonly snapshotted?: SetConsistency;
  /** Why it is not `application` (`consistency.no-agent`, `consistency.pre-failed`). */
  readonly reason?: ErrorInfo;
  /**
   * No snapshot was taken: `on_failure: skip` (failed, `consistency.skipped`), the deadline came
   * during the pre script (deferred), or something failed unexpectedly (failed).
   */
  readonly notSnapshotted?: { readonly status: 'failed' | 'deferred'; readonly error: ErrorInfo };
  /** Pre scripts sent (or that may have been). */
  readonly preSent: number;
  /** From the pre script's end to the post script's send, as the tool saw it, ms. */
  readonly frozenMs?: number;
  /** The thaw, when there was one to do: its failure keeps the tags for the next run. */
  readonly thaw?: { readonly ok: boolean; readonly error?: ErrorInfo };
}

/**
 * Run the workflow; `snapshot` takes the set (and settles its results) with the consistency given.
 *
 * @example await freezeSnapshotThaw(context, target, (consistency) => createTheSet(consistency));
 */
export async function freezeSnapshotThaw(
  context: FreezeContext,
  target: FreezeTarget,
  snapshot: (plan: SetPlan) => Promise<void>,
): Promise<FreezeOutcome> {
  if (target.agent !== 'Online' && target.agent !== 'unknown') {
    const reason = {
      code: CONSISTENCY_REASONS.noAgent,
      message: `${target.instanceId} is ${target.agent === 'not-managed' ? 'not managed by SSM' : `not reachable by SSM (agent ${target.agent})`}: no script was sent`,
    };
    return onFailure(target, reason, 0, snapshot);
  }
  await context.instances.tag(target.instanceId, {
    [TAG.frozenBy]: context.runId,
    [TAG.frozenPolicy]: target.policy,
  });
  const held: Held = { preSent: 0, thawed: true };
  let outcome: FreezeOutcome;
  let preEndedAt: number | undefined;
  try {
    const pre = await freeze(context, target, held);
    if (pre.ok) {
      preEndedAt = context.clock();
      const sentAt = preEndedAt - (pre.last?.elapsedMs ?? 0);
      const until = claimUntil(target, sentAt);
      await snapshot({ consistency: 'application', ...(until === undefined ? {} : { claimUntil: until }) });
      outcome = { snapshotted: 'application', preSent: held.preSent };
    } else if (pre.error?.code === DEADLINE_CODE || context.mustStop()) {
      outcome = { preSent: held.preSent, notSnapshotted: { status: 'deferred', error: stopped(target) } };
    } else {
      const times = pre.attempts > 1 ? ` ${pre.attempts} times` : '';
      const reason = {
        code: CONSISTENCY_REASONS.preFailed,
        message: `${target.instanceId}: the pre script failed${times}: ${pre.error?.code}: ${pre.error?.message}`,
      };
      outcome = await onFailure(target, reason, held.preSent, snapshot);
    }
  } catch (error) {
    // A bug, or a snapshot call that threw: the thaw below still runs.
    outcome = { preSent: held.preSent, notSnapshotted: { status: 'failed', error: errorInfoOf(error) } };
  }
  if (held.thawed) {
    // No pre script went out (SendCommand refused it): nothing to thaw, the tags go at once.
    const untagged = await untag(context, target);
    return untagged.ok ? outcome : { ...outcome, thaw: untagged };
  }
  const thawStart = context.clock();
  const thawed = await thaw(context, target, held, { untag: true });
  return {
    ...outcome,
    ...(preEndedAt === undefined ? {} : { frozenMs: thawStart - preEndedAt }),
    thaw: thawed,
  };
}

/** What the workflow holds on the instance: pre scripts sent, and whether a post followed the last. */
interface Held {
  preSent: number;
  thawed: boolean;
}

/**
 * The pre script with its retries. A failed attempt that was (or may have been) sent is thawed
 * before the next one (the tags stay: the instance is still in the workflow), so every attempt
 * starts from a thawed instance; a thaw that fails, or a run that must end, stops the retries.
 */
async function freeze(
  context: FreezeContext,
  target: FreezeTarget,
  held: Held,
): Promise<ScriptRun & { readonly attempts: number }> {
  const request = scriptRequest('pre', target);
  for (let attempts = 1; ; attempts++) {
    const run = await runScriptOnce(context.ssm, request, target.scripts.timeoutMs, context);
    if (run.sent > 0) {
      held.preSent += 1;
      held.thawed = false;
    }
    if (run.ok || attempts > target.scripts.retries || context.mustStop()) return { ...run, attempts };
    if (!held.thawed && !(await thaw(context, target, held, { untag: false })).ok) {
      return { ...run, attempts };
    }
  }
}

/** The post script (with its retries, never cancelled by the deadline), then the tags once it succeeded. */
async function thaw(
  context: FreezeContext,
  target: FreezeTarget,
  held: Held,
  options: { readonly untag: boolean },
): Promise<Thaw> {
  const post = await runScript(context.ssmUnbounded, 'post', target, context);
  if (!post.ok) {
    return { ok: false, error: post.error ?? { code: 'ScriptFailed', message: 'the post script failed' } };
  }
  held.thawed = true;
  return options.untag ? untag(context, target) : { ok: true };
}

type Thaw = NonNullable<FreezeOutcome['thaw']>;

/**
 * The tags go once nothing is frozen. If they cannot, the next run sends the post script again,
 * which finds nothing frozen.
 */
async function untag(context: FreezeContext, target: FreezeTarget): Promise<Thaw> {
  try {
    await context.instances.untag(target.instanceId, [TAG.frozenBy, TAG.frozenPolicy]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: errorInfoOf(error) };
  }
}

/** `on_failure`: the set as `crash`, or no snapshot at all (`skip`, a failure). */
async function onFailure(
  target: FreezeTarget,
  reason: ErrorInfo,
  preSent: number,
  snapshot: (plan: SetPlan) => Promise<void>,
): Promise<FreezeOutcome> {
  if (target.scripts.onFailure === 'skip') {
    const skipped = {
      code: CONSISTENCY_REASONS.skipped,
      message: `${target.instanceId} not snapshotted (on_failure: skip): ${reason.code}: ${reason.message}`,
    };
    return { reason, notSnapshotted: { status: 'failed', error: skipped }, preSent };
  }
  await snapshot({ consistency: 'crash', reason });
  return { snapshotted: 'crash', reason, preSent };
}

/**
 * The built-in pre script arms its watchdog as it starts (`sentAt` is no later): a set started
 * after this time may be taken after the watchdog thawed. A document of the user's has no
 * watchdog of the tool's: its freeze lasts until the post script.
 */
function claimUntil(target: FreezeTarget, sentAt: number): number | undefined {
  if (target.scripts.pre !== BUILTIN_FSFREEZE) return undefined;
  return sentAt + watchdogSeconds(target.scripts.timeoutMs / 1000) * 1000 - WATCHDOG_MARGIN_MS;
}

const stopped = (target: FreezeTarget): ErrorInfo => ({
  code: DEADLINE_CODE,
  message: `${target.instanceId}: the run reached its deadline during the pre script: thawed, no snapshot; the next run picks it up`,
});
