/**
 * `consistency: instance`: the plan has one create action per volume, EC2 takes one
 * CreateSnapshots call per instance. This file groups the actions and builds that call.
 */
import type { CreateAction, StopWorkflow } from '../../core/actions.js';
import { type InstanceId, type Inventory, TAG, type VolumeId } from '../../core/model.js';
import type { CreateSnapshotsRequest } from '../kit/ports.js';

/** One create call: a single volume, or the volumes of one instance under one policy. */
export interface CreateUnit {
  readonly policy: string;
  /** Set for an instance set (one CreateSnapshots call). */
  readonly instanceId?: InstanceId;
  /** Positions in the list of create actions given to `groupCreates`. */
  readonly members: readonly number[];
  /** `stop_instance`: the instance is stopped for all of the unit's snapshots (SPEC §6). */
  readonly stop?: { readonly instanceId: InstanceId; readonly workflow: StopWorkflow };
  /** `consistency: application`: the set is taken between a pre and a post script (SPEC §15). */
  readonly freeze?: {
    readonly instanceId: InstanceId;
    readonly scripts: NonNullable<CreateAction['freeze']>;
  };
  /**
   * Tags over the plan's, read right before each CreateSnapshots attempt (a set's consistency
   * can change between attempts: a retry may come after the freeze's watchdog).
   */
  readonly tagsNow?: () => Readonly<Record<string, string>>;
}

/** What EC2 needs to know of an instance to exclude the right volumes from its set. */
export interface InstanceLayout {
  readonly rootDevice?: string;
  readonly attached: readonly { readonly volumeId: VolumeId; readonly device: string }[];
}

/** Per-volume tags: a set's snapshots carry their own VolumeId instead (SPEC §3). */
const PER_VOLUME_KEYS: ReadonlySet<string> = new Set([TAG.volumeId, TAG.device]);

/** `/dev/xvda` and `xvda` name the same device. */
const normalizeDevice = (device: string): string => device.replace(/^\/dev\//, '');

/**
 * Group create actions into calls, in plan order: `consistency: instance` (and `application`) actions by
 * (policy, instance); everything else (and instance actions without an instance) one per volume.
 */
export function groupCreates(creates: readonly CreateAction[]): CreateUnit[] {
  const units: {
    policy: string;
    instanceId?: InstanceId;
    members: number[];
    stop?: NonNullable<CreateUnit['stop']>;
    freeze?: NonNullable<CreateUnit['freeze']>;
  }[] = [];
  const sets = new Map<string, { members: number[] }>();
  creates.forEach((action, index) => {
    const perInstance = action.consistency !== 'volume' || action.stop !== undefined;
    if (!perInstance || action.instanceId === undefined) {
      units.push({ policy: action.policy, members: [index] });
      return;
    }
    const key = `${action.policy}\u0000${action.instanceId}`;
    const existing = sets.get(key);
    if (existing !== undefined) {
      existing.members.push(index);
      return;
    }
    const unit = {
      policy: action.policy,
      ...(action.consistency === 'volume' ? {} : { instanceId: action.instanceId }),
      members: [index],
      ...(action.stop === undefined
        ? {}
        : { stop: { instanceId: action.instanceId, workflow: action.stop } }),
      ...(action.freeze === undefined
        ? {}
        : { freeze: { instanceId: action.instanceId, scripts: action.freeze } }),
    };
    sets.set(key, unit);
    units.push(unit);
  });
  return units;
}

/** Root device and attached volumes of every instance, from one pass over the inventory. */
export function indexInstanceLayouts(inventory: Inventory): Map<InstanceId, InstanceLayout> {
  const layouts = new Map<
    InstanceId,
    { rootDevice?: string; attached: InstanceLayout['attached'][number][] }
  >();
  for (const instance of inventory.instances) {
    layouts.set(
      instance.id,
      instance.rootDeviceName === undefined
        ? { attached: [] }
        : { rootDevice: instance.rootDeviceName, attached: [] },
    );
  }
  for (const volume of inventory.volumes) {
    for (const attachment of volume.attachments) {
      layouts.get(attachment.instanceId)?.attached.push({ volumeId: volume.id, device: attachment.device });
    }
  }
  return layouts;
}

/**
 * The CreateSnapshots request for some volumes of one instance: the boot volume is excluded
 * unless one of them is at the root device; every other attached data volume is excluded.
 * With no known root device nothing counts as boot (EC2 then refuses a root in the exclusions,
 * which is reported as that set's failure). Tags are those every action agrees on, minus the
 * per-volume keys; the description is the actions' common one, else `{policy} from {instance}`.
 */
export function buildSetRequest(
  instanceId: InstanceId,
  actions: readonly CreateAction[],
  layout: InstanceLayout | undefined,
): CreateSnapshotsRequest {
  const root = layout?.rootDevice === undefined ? undefined : normalizeDevice(layout.rootDevice);
  const isRoot = (device: string | undefined): boolean =>
    root !== undefined && device !== undefined && normalizeDevice(device) === root;
  const attachedDevice = new Map(layout?.attached.map((a) => [a.volumeId, a.device]));
  const wanted = new Set(actions.map((a) => a.volumeId));
  const includesBoot = actions.some((a) => isRoot(a.device ?? attachedDevice.get(a.volumeId)));
  const excludeDataVolumeIds = (layout?.attached ?? [])
    .filter((a) => !wanted.has(a.volumeId) && !isRoot(a.device))
    .map((a) => a.volumeId)
    .sort();
  return {
    instanceId,
    excludeBootVolume: !includesBoot,
    excludeDataVolumeIds,
    description: commonDescription(instanceId, actions),
    tags: commonTags(actions),
    copyTagsFromSource: actions.some((a) => a.copyVolumeTags === true),
  };
}

function commonTags(actions: readonly CreateAction[]): Record<string, string> {
  const [first, ...rest] = actions;
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(first?.tags ?? {})) {
    if (PER_VOLUME_KEYS.has(key)) continue;
    if (rest.every((a) => a.tags[key] === value)) tags[key] = value;
  }
  return tags;
}

function commonDescription(instanceId: InstanceId, actions: readonly CreateAction[]): string {
  const first = actions[0];
  if (first === undefined) return `from ${instanceId}`;
  return actions.every((a) => a.description === first.description)
    ? first.description
    : `${first.policy} from ${instanceId}`;
}
