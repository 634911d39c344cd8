/**
 * ebs-snapper's pure core, importable on its own: the inventory model, the normalized policy
 * model and the planner (`inventory + policies + now → plan`).
 *
 * @example
 * import { planSnapshots } from 'ebs-snapper';
 * const plan = planSnapshots(inventory, policies, { now: Date.now(), runId: 'r-1' });
 */
export * from './actions.js';
export * from './errors.js';
export { applyGuard, resolveGuardLimit } from './guard.js';
export * from './model.js';
export { compareSnapshots, type PlanOptions, planSnapshots } from './plan.js';
export type * from './policy/types.js';
export { CONSISTENCIES, COPY_TAGS, NOTIFY_EVENTS } from './policy/types.js';
export { createOffsetCache, DELETE_CODES, decideRetention, prepareRetention } from './retention.js';
export { decideDue, formatDuration, prepareSchedule } from './schedule.js';
export {
  compileMatcher,
  compileSelection,
  INSTANCE_FILTERS,
  indexInventory,
  selectTargets,
  type Target,
  VOLUME_FILTERS,
} from './select.js';
export { groupSnapshots } from './series.js';
export { fillPlaceholders, labelSnapshot, mergeWithinLimit } from './tags.js';
