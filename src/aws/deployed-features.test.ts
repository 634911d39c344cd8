import { describe, expect, it } from 'vitest';
import { policy } from '../../test/support/builders/policy.js';
import type { Config } from '../core/policy/types.js';
import {
  EVERY_FEATURE,
  featureGap,
  featuresParameter,
  lackingFeatures,
  parseFeatures,
} from './deployed-features.js';

describe('deployed features', () => {
  it('records the features a config uses, sorted, and every feature without a config', () => {
    // Prepare
    const config = configOf({ stopInstance: true }, {});

    // Act / Assess
    expect(featuresParameter(config)).toBe('stop-instance,volume-snapshots');
    expect(featuresParameter(undefined)).toBe(EVERY_FEATURE);
  });

  it('reads an unset or empty parameter (a stack of an older version) as every feature', () => {
    // Act / Assess
    expect(parseFeatures(undefined)).toBe('*');
    expect(parseFeatures('')).toBe('*');
    expect(parseFeatures(' * ')).toBe('*');
    expect(parseFeatures('stop-instance, volume-snapshots')).toEqual(
      new Set(['stop-instance', 'volume-snapshots']),
    );
  });

  it('names what the roles lack in the policy file’s words, with the fix', () => {
    // Prepare
    const config = configOf({ stopInstance: true });

    // Act
    const lacking = lackingFeatures(config, new Set(['volume-snapshots']));
    const gap = featureGap(config, new Set(['volume-snapshots']), 'backups.yaml');

    // Assess
    expect(lacking).toEqual(['stop-instance']);
    expect(gap).toBe(
      "the deployment's roles do not allow stop_instance: run `ebs-snapper deploy --config backups.yaml` first, which gives the roles what the config uses",
    );
    expect(featureGap(config, '*')).toBeUndefined();
    expect(featureGap(config, new Set(['volume-snapshots', 'stop-instance']))).toBeUndefined();
  });
});

/** A config of one policy per snapshot setting given, selecting web instances daily. */
function configOf(...snapshots: NonNullable<Parameters<typeof policy>[0]['snapshot']>[]): Config {
  return {
    version: 1,
    settings: { guard: {}, organization: false },
    policies: snapshots.map((snapshot, index) =>
      policy({ id: `p${index}`, select: { instances: { 'tag:Role': 'web' } }, every: '1d', snapshot }),
    ),
  };
}
