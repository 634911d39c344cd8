/**
 * Series (SPEC §4): the snapshots of one (policy, source volume). One pass over the inventory
 * puts every snapshot in its series, or sets it aside as not ours (another account's, or without
 * a policy the current config knows), which the planner keeps and never counts.
 */
import type { KeepAction, Reason } from './actions.js';
import { type Inventory, type Snapshot, TAG, type VolumeId } from './model.js';
import type { Policy } from './policy/types.js';

/** One policy's series, by source volume id ('' when a snapshot names no volume). */
export interface PolicySeries {
  /** Snapshots taken in this region. */
  readonly own: Map<string, Snapshot[]>;
  /** Copies made into this region from another (`ebs-snapper:source-region`). */
  readonly copies: Map<string, Snapshot[]>;
}

export interface GroupedSnapshots {
  /** Every configured policy has an entry, possibly empty. */
  readonly series: ReadonlyMap<string, PolicySeries>;
  /** Keep actions for snapshots that are not ours, in a stable order. */
  readonly unowned: KeepAction[];
  /** Snapshots that are ours: owned by the account and tagged with a configured policy. */
  readonly managed: number;
  readonly warnings: string[];
}

const NO_POLICY: Reason = { code: 'protected.unmanaged', message: 'no ebs-snapper:policy tag' };

/**
 * Group snapshots by series. The source volume is the `ebs-snapper:volume-id` tag when present
 * (copies report a placeholder volume id), else the snapshot's volume id.
 */
export function groupSnapshots(
  inventory: Inventory,
  policies: ReadonlyMap<string, Policy>,
): GroupedSnapshots {
  const { account, region } = inventory;
  const series = new Map<string, PolicySeries>();
  for (const id of policies.keys()) series.set(id, { own: new Map(), copies: new Map() });
  const foreign: Snapshot[] = [];
  const unmanaged: Snapshot[] = [];
  const unknown = new Map<string, number>();
  let managed = 0;
  for (const s of inventory.snapshots) {
    if (s.ownerId !== account) {
      foreign.push(s);
      continue;
    }
    const tags = s.tags;
    const policy = tags[TAG.policy];
    const group = policy === undefined ? undefined : series.get(policy);
    if (group === undefined) {
      if (policy !== undefined) unknown.set(policy, (unknown.get(policy) ?? 0) + 1);
      unmanaged.push(s);
      continue;
    }
    managed++;
    const source = tags[TAG.sourceRegion];
    const byVolume = source !== undefined && source !== region ? group.copies : group.own;
    const volume = tags[TAG.volumeId] ?? s.volumeId ?? '';
    const list = byVolume.get(volume);
    if (list === undefined) byVolume.set(volume, [s]);
    else list.push(s);
  }
  const warnings = [...unknown.keys()].sort().map((id) => {
    return `${unknown.get(id)} snapshot(s) tagged with policy "${id}", which is not configured: kept as unmanaged`;
  });
  const unowned = [
    ...keepAll(inventory, foreign, (s) => ({
      code: 'protected.foreign',
      message: `owned by account ${s.ownerId}, not ${account}`,
    })),
    ...keepAll(inventory, unmanaged, (s) => {
      const policy = s.tags[TAG.policy];
      return policy === undefined ? NO_POLICY : unknownPolicy(policy);
    }),
  ];
  return { series, unowned, managed, warnings };
}

const unknownPolicy = (id: string): Reason => ({
  code: 'protected.unmanaged',
  message: `policy "${id}" is not in the current config`,
});

function keepAll(
  inventory: Inventory,
  snapshots: Snapshot[],
  reasonOf: (s: Snapshot) => Reason,
): KeepAction[] {
  snapshots.sort(compareUnowned);
  return snapshots.map((s) => ({
    action: 'keep',
    account: inventory.account,
    region: inventory.region,
    ...(s.volumeId !== undefined ? { volumeId: s.volumeId as VolumeId } : {}),
    snapshotId: s.id,
    reason: reasonOf(s),
  }));
}

function compareUnowned(a: Snapshot, b: Snapshot): number {
  const va = a.volumeId ?? '';
  const vb = b.volumeId ?? '';
  if (va !== vb) return va < vb ? -1 : 1;
  return a.startTime - b.startTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
