/**
 * Each delete of a plan says what the Recycle Bin will do with it (SPEC §14): kept N days
 * (`recycleBinDays`), or `unknown` when the account × region's rules could not be read — never
 * "none" for rules nobody saw.
 */
import type { PlanAction } from '../actions.js';
import type { Inventory, Tags } from '../model.js';
import { type Warning, warning } from '../warnings.js';
import { binOutcome } from './rules.js';

/**
 * Annotates the deletes of `actions` in place (only deletes are replaced, so the few objects that
 * change are the plan's deletes). Nothing happens when the inventory has no bin rules.
 *
 * @example annotateBinDays(inventory, plan.actions, warnings)
 */
export function annotateBinDays(inventory: Inventory, actions: PlanAction[], warnings: Warning[]): void {
  const bin = inventory.recycleBin;
  if (bin === undefined) return;
  const deleting = new Set<string>();
  for (const a of actions) if (a.action === 'delete') deleting.add(a.snapshotId);
  if (deleting.size === 0) return;
  if ('unreadable' in bin) {
    warnings.push(
      warning(
        'plan.recycle-bin-unknown',
        `the Recycle Bin rules could not be read (${bin.unreadable}): whether a delete can be taken back is unknown`,
      ),
    );
  }
  const tags = new Map<string, Tags>();
  for (const s of inventory.snapshots) if (deleting.has(s.id)) tags.set(s.id, s.tags);
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    if (a.action !== 'delete') continue;
    const days = binOutcome(tags.get(a.snapshotId) ?? {}, bin);
    if (days !== undefined) actions[i] = { ...a, recycleBinDays: days };
  }
}
