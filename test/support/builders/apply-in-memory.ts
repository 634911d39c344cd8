/**
 * Apply a plan to an inventory the way a perfect apply step would: creates become `pending`
 * snapshots started at the plan's `now` with the planned tags; deletes disappear.
 */
import type { Plan } from '../../../src/core/actions.js';
import { type Inventory, type Snapshot, snapshotId } from '../../../src/core/model.js';

/** The inventory after the plan ran; new snapshot ids are `snap-new-<n>`. */
export function applyPlanInMemory(inventory: Inventory, plan: Plan): Inventory {
  const now = Date.parse(plan.now);
  const deleted = new Set<string>();
  const created: Snapshot[] = [];
  for (const action of plan.actions) {
    if (action.action === 'delete') deleted.add(action.snapshotId);
    if (action.action !== 'create') continue;
    created.push({
      id: snapshotId(`snap-new-${created.length + 1}`),
      volumeId: action.volumeId,
      ownerId: inventory.account,
      state: 'pending',
      startTime: now,
      tags: action.tags,
      description: action.description,
    });
  }
  return {
    ...inventory,
    snapshots: [...inventory.snapshots.filter((s) => !deleted.has(s.id)), ...created],
  };
}
