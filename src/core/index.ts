/**
 * ebs-snapper's pure core as a library: the policy language and the planner
 * (`inventory + policies + now → plan`), with the types they take and give. This is the stable
 * API; everything else in the package is internal and may change.
 *
 * @example
 * import { loadConfig, planSnapshots } from 'ebs-snapper';
 * const { config } = loadConfig(yamlText, { source: 'ebs-snapper.yaml' });
 * const plan = planSnapshots(inventory, config.policies, { now: Date.now(), runId: 'what-if' });
 * for (const action of plan.actions) console.log(action.action, action.reason.code);
 */

export {
  type CreateAction,
  type DeleteAction,
  type GuardOutcome,
  type KeepAction,
  type Plan,
  type PlanAction,
  type PlanSummary,
  REASON_CODES,
  type Reason,
  type ReasonCode,
  type SkipAction,
} from './actions.js';
export { ConfigError, EbsSnapperError, UsageError } from './errors.js';
export { stoppedDeletes } from './guard.js';
export {
  INVENTORY_FORMAT,
  INVENTORY_FORMAT_VERSION,
  InventoryDocumentError,
  InventoryReader,
  inventoryDocumentChunks,
  parseInventoryDocument,
  type ReaderLimits,
  type SavedInventories,
} from './inventory-document.js';
// What it plans on
export {
  type Attachment,
  type Brand,
  type Image,
  type ImageId,
  type Instance,
  type InstanceId,
  type InstanceState,
  type Inventory,
  type InventoryGap,
  imageId,
  instanceId,
  type Snapshot,
  type SnapshotId,
  type SnapshotState,
  type StorageTier,
  snapshotId,
  TAG,
  type Tags,
  type Volume,
  type VolumeId,
  volumeId,
} from './model.js';
// The planner
export { type PlanOptions, planSnapshots } from './plan.js';
export { formatDuration, parseDuration } from './policy/durations.js';
export { configJsonSchema } from './policy/json-schema.js';
export { convertLegacy, type LegacyConversion, legacyToYaml } from './policy/legacy.js';
// The policy language
export { loadConfig, type ParseOptions, parseConfig, parseConfigObject } from './policy/parse.js';
export type {
  Config,
  CopyTarget,
  GuardLimit,
  ParseResult,
  Policy,
  Retention,
  Schedule,
  Selection,
  Settings,
  SnapshotSettings,
} from './policy/types.js';

// Coverage, cost and the forecast (the planner run forward), and saved inventories
export {
  type CoverageOptions,
  type CoverageStatus,
  type Forecast,
  type ForecastOptions,
  forecastPolicies,
  type PolicyForecast,
  reportCoverage,
} from './report/index.js';
export { WARNING_CODES, type Warning, type WarningCode } from './warnings.js';
