/**
 * The creates of a `consistency: application` policy: one unit per instance, its set taken inside
 * the freeze → snapshot → thaw workflow (workflows/freeze-thaw.ts), one workflow per instance at a
 * time (the `instance:<id>` slot it shares with the stop workflow). Every member action gets
 * exactly one result, with the consistency its set was tagged and why it is not `application`; an
 * instance whose post script did not succeed gets one more, a failed `thaw` result, so the run
 * fails (exit 1, record, notification) and the next run thaws it first.
 */
import { type InstanceId, type Inventory, TAG } from '../../core/model.js';
import type { FreezeScripts } from '../../core/policy/types.js';
import { type ErrorInfo, errorInfoOf } from '../kit/classify-error.js';
import type { AgentPing, SsmPort } from '../kit/ssm-port.js';
import { canWaitFor, deadlineError, isPastDeadline, resultFor } from './apply-context.js';
import { applyCreateUnit } from './apply-creates.js';
import type { StopApplyContext } from './apply-stops.js';
import type { CreateUnit } from './instance-sets.js';
import type { ActionResult } from './results.js';
import type { FreezeRecord } from './workflows/freeze-records.js';
import {
  CONSISTENCY_REASONS,
  type FreezeOutcome,
  type FreezeTarget,
  freezeSnapshotThaw,
  type SetConsistency,
  type SetPlan,
} from './workflows/freeze-thaw.js';
import { ownerOf } from './workflows/stop-tags.js';

/** How often a running script is looked at: its end starts the snapshot, so the freeze is short. */
export const SCRIPT_POLL_MS = 500;

export interface FreezeApplyContext extends StopApplyContext {
  /** SSM's word on the run's instances; undefined when SSM could not be asked. */
  readonly agents: ReadonlyMap<string, AgentPing> | undefined;
  /** `ebs-snapper:frozen-by` values the inventory found on the instances. */
  readonly frozenTags: ReadonlyMap<string, string>;
  readonly recordFreeze: (record: FreezeRecord) => void;
}

/** A run without freeze units needs no look at SSM. */
export const NO_FREEZES: Pick<FreezeApplyContext, 'agents' | 'frozenTags'> = {
  agents: new Map(),
  frozenTags: new Map(),
};

/**
 * What the freeze units of a run need before they start: SSM's word on their instances, one
 * DescribeInstanceInformation for all of them (undefined when it failed: each pre script is tried,
 * and SendCommand says whether SSM manages the instance), and the `frozen-by` tags found.
 */
export async function prepareFreezes(
  ssm: SsmPort,
  inventory: Inventory,
  units: readonly CreateUnit[],
): Promise<Pick<FreezeApplyContext, 'agents' | 'frozenTags'>> {
  const ids = [...new Set(units.flatMap((u) => (u.freeze === undefined ? [] : [u.freeze.instanceId])))];
  const frozenTags = new Map<string, string>();
  for (const instance of inventory.instances) {
    const value = instance.tags[TAG.frozenBy];
    if (value !== undefined) frozenTags.set(instance.id, value);
  }
  if (ids.length === 0) return { agents: new Map(), frozenTags };
  const agents = await ssm.managedInstances(ids).catch(() => undefined);
  return { agents, frozenTags };
}

/** Apply one freeze unit. */
export async function applyFreezeUnit(context: FreezeApplyContext, unit: CreateUnit): Promise<void> {
  const freeze = unit.freeze;
  if (freeze === undefined) return applyCreateUnit(context, unit);
  const id = freeze.instanceId;
  const held = heldElsewhere(context, id);
  if (held !== undefined) return settleRest(context, unit, held.status, held.error);
  const release = await context.stopSlots.acquireAll([{ key: `instance:${id}`, limit: 1 }]);
  try {
    if (isPastDeadline(context)) return settleRest(context, unit, 'deferred', deadlineError());
    if (!canWaitFor(context, scriptsBudgetMs(freeze.scripts))) {
      return settleRest(context, unit, 'deferred', {
        code: 'Deadline',
        message: `less than the scripts' timeouts left before the deadline: ${id} not frozen; the next run picks it up`,
      });
    }
    let taken: SetConsistency | undefined;
    const outcome = await freezeSnapshotThaw(
      freezeContext(context),
      targetOf(context, unit, freeze),
      (plan) =>
        snapshotSet(context, unit, plan, (consistency) => {
          taken = consistency;
        }),
    );
    settleOutcome(context, unit, outcome);
    context.recordFreeze({
      policy: unit.policy,
      instanceId: id,
      ...(taken === undefined ? {} : { consistency: taken }),
      preSent: outcome.preSent,
      ...(outcome.frozenMs === undefined ? {} : { frozenMs: outcome.frozenMs }),
      thawed: outcome.thaw === undefined || outcome.thaw.ok,
    });
  } catch (error) {
    // The tagging failed: no script was sent, nothing to thaw.
    settleRest(context, unit, 'failed', errorInfoOf(error));
  } finally {
    release();
  }
}

/** The pre script's attempts must fit before the deadline (the post script is never cut short). */
const scriptsBudgetMs = (scripts: FreezeScripts): number => scripts.timeoutMs * (1 + scripts.retries);

function freezeContext(context: FreezeApplyContext) {
  return {
    ssm: context.ec2.ssm,
    ssmUnbounded: context.ec2.ssmUnbounded,
    instances: context.ec2.instances,
    runId: context.runId,
    clock: context.clock,
    sleep: context.sleep,
    pollMs: Math.min(context.pollMs, SCRIPT_POLL_MS),
    mustStop: () =>
      context.signal?.aborted === true ||
      (context.deadline !== undefined && context.clock() >= context.deadline),
  };
}

function targetOf(
  context: FreezeApplyContext,
  unit: CreateUnit,
  freeze: NonNullable<CreateUnit['freeze']>,
): FreezeTarget {
  const attached = new Map(
    context.layouts.get(freeze.instanceId)?.attached.map((a) => [a.volumeId as string, a.device]),
  );
  const volumes = unit.members.flatMap((index) => {
    const action = context.creates[index];
    if (action === undefined) return [];
    const device = action.device ?? attached.get(action.volumeId);
    return [{ volumeId: action.volumeId, ...(device === undefined ? {} : { device }) }];
  });
  const agent =
    context.agents === undefined ? 'unknown' : (context.agents.get(freeze.instanceId) ?? 'not-managed');
  return {
    instanceId: freeze.instanceId,
    policy: unit.policy,
    scripts: freeze.scripts,
    volumes,
    runId: context.runId,
    agent,
  };
}

/**
 * Take the set as `plan` says. The consistency tag is decided right before each CreateSnapshots
 * attempt: one that starts after the freeze's watchdog may have thawed says `crash`.
 */
async function snapshotSet(
  context: FreezeApplyContext,
  unit: CreateUnit,
  plan: SetPlan,
  taken: (consistency: SetConsistency) => void,
): Promise<void> {
  const tagsNow = (): Record<string, string> => {
    const late = plan.claimUntil !== undefined && context.clock() > plan.claimUntil;
    const consistency = plan.consistency === 'application' && !late ? 'application' : 'crash';
    const reason: ErrorInfo | undefined = late
      ? {
          code: CONSISTENCY_REASONS.thawedEarly,
          message: `${unit.freeze?.instanceId}: the set's snapshot started so late that the freeze's watchdog may have thawed first`,
        }
      : plan.reason;
    for (const index of unit.members) {
      context.notes?.set(index, { consistency, ...(reason === undefined ? {} : { reason }) });
    }
    taken(consistency);
    return { [TAG.consistency]: consistency };
  };
  const { freeze: _freeze, ...set } = unit;
  await applyCreateUnit(context, { ...set, tagsNow });
}

/** The member results the snapshot did not settle, and the thaw's own result when it failed. */
function settleOutcome(context: FreezeApplyContext, unit: CreateUnit, outcome: FreezeOutcome): void {
  if (outcome.notSnapshotted !== undefined) {
    const { status, error } = outcome.notSnapshotted;
    if (status === 'deferred') context.deadlineReached = true;
    for (const index of unit.members) {
      if (outcome.reason !== undefined) context.notes?.set(index, { reason: outcome.reason });
    }
    settleRest(context, unit, status, error);
  }
  const thawError = outcome.thaw?.error;
  const first = context.creates[unit.members[0]!];
  if (thawError === undefined || first === undefined || unit.freeze === undefined) return;
  const result: ActionResult = {
    action: 'thaw',
    policy: unit.policy,
    account: first.account,
    region: first.region,
    instanceId: unit.freeze.instanceId,
    status: 'failed',
    error: notThawed(unit.freeze.instanceId, 'frozen by this run', thawError),
  };
  context.report(result);
}

/**
 * The error of a thaw that failed: its code, and a message that names the instance and says what
 * happens next.
 */
export function notThawed(instanceId: string, why: string, error: ErrorInfo): ErrorInfo {
  return {
    code: error.code,
    message: `${instanceId} was not thawed (${why}): ${error.message}; it keeps its ebs-snapper:frozen-by tag and the next run sends the post script first`,
  };
}

/** Another run's `frozen-by` (it may be freezing the instance now), or a person's. */
function heldElsewhere(
  context: FreezeApplyContext,
  id: InstanceId,
): { status: 'failed' | 'deferred'; error: ErrorInfo } | undefined {
  const value = context.frozenTags.get(id);
  if (value === undefined) return undefined;
  const owner = ownerOf(value, context.runId);
  if (owner === 'live') {
    return {
      status: 'deferred',
      error: {
        code: 'FreezeTagHeld',
        message: `${id} carries ${TAG.frozenBy}=${value}: another run holds it; the next run tries again`,
      },
    };
  }
  if (owner === 'foreign') {
    return {
      status: 'failed',
      error: {
        code: 'FreezeTagForeign',
        message: `${id} carries ${TAG.frozenBy}=${value}, which is not a run id of ebs-snapper: not frozen, no snapshot; remove the tag`,
      },
    };
  }
  return undefined;
}

function settleRest(
  context: FreezeApplyContext,
  unit: CreateUnit,
  status: 'failed' | 'deferred' | 'skipped',
  error: ErrorInfo,
): void {
  for (const index of unit.members) {
    const action = context.creates[index];
    if (action !== undefined && !context.isSettled(index))
      context.settle(index, resultFor(action, status, { error }));
  }
}
