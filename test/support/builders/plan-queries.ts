/** Small queries over a plan, so tests state what they check and not how to find it. */
import type { CreateAction, DrillAction, Plan, PlanAction } from '../../../src/core/actions.js';
import type { Inventory, Snapshot } from '../../../src/core/model.js';

/** The keep or delete of one snapshot (exactly one exists for every snapshot in the inventory). */
export function actionFor(plan: Plan, id: string): PlanAction {
  const found = plan.actions.filter((a) => 'snapshotId' in a && a.snapshotId === id && a.action !== 'drill');
  if (found.length !== 1) throw new Error(`expected one action for ${id}, found ${found.length}`);
  return found[0]!;
}

/** Ids of the snapshots the plan deletes, sorted. */
export const deletedIds = (plan: Plan): string[] =>
  plan.actions.flatMap((a) => (a.action === 'delete' ? [a.snapshotId] : [])).sort();

export const creates = (plan: Plan): CreateAction[] =>
  plan.actions.filter((a): a is CreateAction => a.action === 'create');

/** The snapshot of the inventory that started at `time` (tests often know a time, not an id). */
export function snapshotAt(inventory: Inventory, time: number, volume?: string): Snapshot {
  const found = inventory.snapshots.filter((s) => s.startTime === time && (!volume || s.volumeId === volume));
  if (found.length !== 1) throw new Error(`expected one snapshot at ${new Date(time).toISOString()}`);
  return found[0]!;
}

/** The restore drills the plan starts. */
export const drills = (plan: Plan): DrillAction[] =>
  plan.actions.filter((a): a is DrillAction => a.action === 'drill');
