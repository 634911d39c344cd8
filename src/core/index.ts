/**
 * ebs-snapper's pure core, importable on its own: the inventory model, the policy language and
 * the planner (`inventory + policies + now → plan`).
 *
 * @example
 * import { parseConfig, planSnapshots } from 'ebs-snapper';
 * const { config } = parseConfig(yamlText);
 * const plan = planSnapshots(inventory, config!.policies, { now: Date.now(), runId: 'r-1' });
 */
export * from './actions.js';
export * from './errors.js';
export { applyGuard, holdDeletes, resolveGuardLimit, stoppedDeletes } from './guard.js';
export {
  INVENTORY_FORMAT,
  INVENTORY_FORMAT_VERSION,
  InventoryDocumentError,
  inventoryDocumentChunks,
  parseInventoryDocument,
  type SavedInventories,
} from './inventory-document.js';
export * from './model.js';
export { type PlanOptions, planSnapshots } from './plan.js';
export * from './policy/index.js';
export * from './report/index.js';
export {
  DELETE_CODES,
  decideRetention,
  type Protections,
  prepareRetention,
  type RetentionRules,
} from './retention.js';
export { type DueDecision, decideDue, prepareSchedule, type ScheduleClock } from './schedule.js';
export {
  type CompiledSelection,
  compileMatcher,
  compileSelection,
  type InventoryIndex,
  indexInventory,
  type SelectedVolume,
  selectVolumes,
} from './select.js';
export { FLAG, groupSnapshots, type PolicySeries, type SeriesTable, sortSeries } from './series.js';
export {
  fillPlaceholders,
  labelSnapshot,
  mergeWithinLimit,
  type SnapshotLabels,
  type TagContext,
} from './tags.js';
export { createOffsetCache } from './time-zone.js';
export * from './warnings.js';
