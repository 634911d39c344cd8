/**
 * The policy language: parse and validate a policy file into the normalized `Config`, plus the
 * duration, cron and legacy-import helpers the planner and the CLI use.
 */

export type { CronResult } from './cron.js';
export { isValidTimeZone, latestCronTime, nextCronTime, normalizeCron } from './cron.js';
export { formatDuration, parseDuration } from './durations.js';
export { INSTANCE_FILTERS, PLACEHOLDERS, VOLUME_FILTERS } from './filters.js';
export { configJsonSchema, configJsonSchemaText } from './json-schema.js';
export type { LegacyConversion } from './legacy.js';
export { convertLegacy, legacyToYaml } from './legacy.js';
export { DEFAULT_MINIMUM } from './normalize-retention.js';
export { DEFAULT_TIMEZONE, DEFAULT_TOLERANCE_MS } from './normalize-schedule.js';
export { isVolumeTargeted } from './normalize-select.js';
export { mayOverlap, patternsMayOverlap } from './overlap.js';
export type { ParseOptions } from './parse.js';
export {
  loadConfig,
  MAX_CONFIG_BYTES,
  MAX_PROBLEMS_LISTED,
  parseConfig,
  parseConfigObject,
} from './parse.js';
export type { RawDocument, RawPolicy } from './schema.js';
export { configSchema } from './schema.js';
export * from './types.js';
