/**
 * What a deployment's roles allow, by feature of the policy language (`RUN_FEATURES`): `deploy
 * --config FILE` builds the worker's role from the features FILE uses and records them in the hub
 * stack's `Features` parameter (and the worker's `EBS_SNAPPER_FEATURES`); a stack deployed without a
 * config allows every feature (`*`). A config that needs more than the roles allow is refused by
 * `config push` and failed, with the fix, by the worker — never left to an AccessDenied halfway.
 */
import type { Config } from '../core/policy/types.js';
import { featuresOf, RUN_FEATURES, type RunFeature } from './iam.js';

/** Every feature, now and in later versions (a stack deployed without a config). */
export const EVERY_FEATURE = '*';

/** The failure code of a config that needs a feature the deployment's roles lack. */
export const FEATURE_GAP_CODE = 'deployment.features';

/** The policy file's words for each feature, for messages. */
const FEATURE_WORDS: Partial<Record<RunFeature, string>> = {
  'volume-snapshots': 'consistency: volume',
  'instance-sets': 'consistency: instance',
  copies: 'copy_to',
  'encrypted-copies': 'copy_to with kms_key_id',
  'stop-instance': 'stop_instance',
};

/** What a deployment allows: every feature, or these. */
export type AllowedFeatures = typeof EVERY_FEATURE | ReadonlySet<string>;

/**
 * The `Features` parameter of a stack deployed with `config` (sorted, comma-joined), or `*`.
 *
 * @example featuresParameter(config) // 'stop-instance,volume-snapshots'
 */
export function featuresParameter(config: Config | undefined): string {
  if (config === undefined) return EVERY_FEATURE;
  return [...featuresOf(config)].sort().join(',');
}

/** A `Features` parameter (or `EBS_SNAPPER_FEATURES`) read back; unset or empty is `*` (older stacks). */
export function parseFeatures(text: string | undefined): AllowedFeatures {
  if (text === undefined || text.trim() === '' || text.trim() === EVERY_FEATURE) return EVERY_FEATURE;
  return new Set(
    text
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
  );
}

/** The features `allowed` lacks of those `config` uses, in `RUN_FEATURES` order. */
export function lackingFeatures(config: Config, allowed: AllowedFeatures): RunFeature[] {
  if (allowed === EVERY_FEATURE) return [];
  const used = featuresOf(config);
  return RUN_FEATURES.filter((f) => used.has(f) && !allowed.has(f));
}

/** `run-features` → the policy file's words: `stop_instance, copy_to`. */
function describeFeatures(features: readonly RunFeature[]): string {
  return features.map((f) => FEATURE_WORDS[f] ?? f).join(', ');
}

/**
 * Why the deployment's roles cannot run `config` (the features they lack, and the fix), or
 * undefined when they can.
 *
 * @example featureGap(config, new Set(['volume-snapshots'])) // "the deployment's roles do not allow stop_instance: …"
 */
export function featureGap(config: Config, allowed: AllowedFeatures, file = 'FILE'): string | undefined {
  const lacking = lackingFeatures(config, allowed);
  if (lacking.length === 0) return undefined;
  return (
    `the deployment's roles do not allow ${describeFeatures(lacking)}: ` +
    `run \`ebs-snapper deploy --config ${file}\` first, which gives the roles what the config uses`
  );
}
