/**
 * The action records the planner emits for a selected volume (create or skip) and the plan's
 * summary counts. Kept apart from plan.ts so the planning loop reads on one screen.
 */
import type { CreateAction, PlanAction, PlanSummary, Reason, SkipAction } from './actions.js';
import type { Instance, InstanceId, Inventory, VolumeId } from './model.js';
import type { Policy } from './policy/types.js';
import type { SelectedVolume } from './select.js';
import { type InstanceSet, labelSetMember } from './set-tags.js';
import { labelSnapshot, type SnapshotLabels, type TagContext } from './tags.js';

/** A series that needs no snapshot now. */
export function skipAction(
  inventory: Inventory,
  policy: string,
  volumeId: VolumeId,
  reason: Reason,
): SkipAction {
  return { action: 'skip', policy, account: inventory.account, region: inventory.region, volumeId, reason };
}

/**
 * A snapshot to take of `target`'s volume, with its tags and description. `set` describes the
 * instance's set for `consistency: instance` (one CreateSnapshots call, one list of tags).
 */
export function createAction(
  inventory: Inventory,
  policy: Policy,
  target: SelectedVolume,
  tagContext: TagContext,
  reason: Reason,
  set?: InstanceSet,
): CreateAction {
  const { volume, instance, device } = target;
  const labels = labelSnapshot(policy, volume, instance, device, tagContext);
  // CreateSnapshots needs an instance: a detached volume is snapshotted on its own.
  const consistency = instance ? policy.snapshot.consistency : 'volume';
  if (consistency !== 'volume' && instance !== undefined && set !== undefined) {
    const member = labelSetMember(
      policy,
      instance,
      device,
      set,
      tagContext,
      setDescription(policy, instance, labels),
    );
    return { ...baseCreate(inventory, policy, target, consistency, reason), ...member };
  }
  return { ...baseCreate(inventory, policy, target, consistency, reason), ...labels };
}

/** One description for the whole set: the template's, unless it names a volume or device. */
function setDescription(policy: Policy, instance: Instance, labels: SnapshotLabels): string {
  return /\{(volume_id|device)\}/.test(policy.snapshot.description)
    ? `${policy.id} from ${instance.id}`
    : labels.description;
}

function baseCreate(
  inventory: Inventory,
  policy: Policy,
  target: SelectedVolume,
  consistency: CreateAction['consistency'],
  reason: Reason,
) {
  const { volume, instance, device } = target;
  const { stopInstance, stopTimeoutMs, maxStopped, scripts } = policy.snapshot;
  const stop =
    stopInstance && instance
      ? {
          stop: {
            timeoutMs: stopTimeoutMs,
            ...(maxStopped === undefined ? {} : { maxStopped }),
            ...(instance.asg === undefined ? {} : { asg: instance.asg }),
          },
        }
      : {};
  const freeze = consistency === 'application' && scripts !== undefined ? { freeze: scripts } : {};
  return {
    ...stop,
    ...freeze,
    action: 'create',
    policy: policy.id,
    account: inventory.account,
    region: inventory.region,
    volumeId: volume.id,
    ...(instance ? { instanceId: instance.id as InstanceId } : {}),
    ...(device !== undefined ? { device } : {}),
    consistency,
    reason,
  } as const;
}

/** Counts of the plan's actions by kind. */
export function summarize(actions: readonly PlanAction[]): PlanSummary {
  const summary: { -readonly [K in keyof PlanSummary]-?: number } = {
    create: 0,
    copy: 0,
    delete: 0,
    keep: 0,
    skip: 0,
    drill: 0,
    lock: 0,
    unshare: 0,
  };
  for (const a of actions) summary[a.action]++;
  // Counts of what few plans have are left out when zero, so a plan reads as before without them.
  const { drill, lock, unshare, ...rest } = summary;
  return {
    ...rest,
    ...(drill > 0 ? { drill } : {}),
    ...(lock > 0 ? { lock } : {}),
    ...(unshare > 0 ? { unshare } : {}),
  };
}
