/** Small builders of inventories, actions and plans for the app layer's tests. */
import type { CreateAction, DeleteAction, Plan, PlanAction } from '../../../src/core/actions.js';
import {
  type Instance,
  type Inventory,
  instanceId,
  type Snapshot,
  snapshotId,
  TAG,
  type Volume,
  volumeId,
} from '../../../src/core/model.js';

import { ACCOUNT, REGION } from './fleet.js';

export { ACCOUNT, REGION };
export const RUN_ID = '20261125T170312Z-3f9a2c';

export function instanceOf(id: string, rootDeviceName = '/dev/xvda'): Instance {
  return { id: instanceId(id), state: 'running', tags: {}, rootDeviceName };
}

/** A volume attached to `attachedTo` at `device`, or detached. */
export function volumeOf(id: string, attachedTo?: string, device = '/dev/xvdf'): Volume {
  const attachments = attachedTo === undefined ? [] : [{ instanceId: instanceId(attachedTo), device }];
  return { id: volumeId(id), tags: {}, type: 'gp3', sizeGiB: 8, attachments };
}

export function snapshotOf(id: string, volume: string, policy = 'daily'): Snapshot {
  return {
    id: snapshotId(id),
    volumeId: volumeId(volume),
    ownerId: ACCOUNT,
    state: 'completed',
    startTime: 0,
    tags: { [TAG.policy]: policy, [TAG.volumeId]: volume },
  };
}

export function inventoryOf(
  parts: Partial<Pick<Inventory, 'instances' | 'volumes' | 'snapshots'>> = {},
): Inventory {
  return {
    account: ACCOUNT,
    region: REGION,
    instances: [],
    volumes: [],
    snapshots: [],
    images: [],
    ...parts,
  };
}

/** A create of `volume` by `policy`; `instance` and `device` make it a member of an instance's set. */
export function createOf(
  volume: string,
  options: { policy?: string; instance?: string; device?: string; consistency?: 'volume' | 'instance' } = {},
): CreateAction {
  const { policy = 'daily', instance, device, consistency = 'volume' } = options;
  const tags: Record<string, string> = { [TAG.policy]: policy, [TAG.volumeId]: volume, [TAG.runId]: RUN_ID };
  if (instance !== undefined) tags[TAG.instanceId] = instance;
  if (device !== undefined) tags[TAG.device] = device;
  return {
    action: 'create',
    policy,
    account: ACCOUNT,
    region: REGION,
    volumeId: volumeId(volume),
    ...(instance === undefined ? {} : { instanceId: instanceId(instance) }),
    ...(device === undefined ? {} : { device }),
    consistency,
    tags,
    droppedTags: [],
    description: `${policy} ${volume}`,
    reason: { code: 'due.first', message: 'no snapshot yet' },
  };
}

export function deleteOf(snapshot: string, volume = 'vol-old', policy = 'daily'): DeleteAction {
  return {
    action: 'delete',
    policy,
    account: ACCOUNT,
    region: REGION,
    volumeId: volumeId(volume),
    snapshotId: snapshotId(snapshot),
    reason: { code: 'retention.expired', message: 'older than max_age' },
  };
}

export function planOf(actions: readonly PlanAction[]): Plan {
  const count = (kind: PlanAction['action']): number => actions.filter((a) => a.action === kind).length;
  return {
    account: ACCOUNT,
    region: REGION,
    now: '2026-11-25T17:03:12.000Z',
    runId: RUN_ID,
    actions,
    warnings: [],
    summary: {
      create: count('create'),
      copy: count('copy'),
      delete: count('delete'),
      keep: count('keep'),
      skip: count('skip'),
    },
  };
}
