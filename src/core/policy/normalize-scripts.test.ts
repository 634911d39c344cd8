/**
 * `consistency: application` and its `scripts` as users write them: the defaults, the ranges, the
 * keys that only make sense together, and the policies that cannot be application-consistent.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from './parse.js';

/** One policy with the given select and snapshot blocks (YAML flow style). */
const doc = (snapshot: string, select = '{instance_names: [db-*]}') => `version: 1
policies:
  - id: db
    select: ${select}
    schedule: {every: 1 day}
    retention: {minimum: 1}
    snapshot: ${snapshot}
`;

describe('snapshot.consistency: application', () => {
  it('fills in the built-in fsfreeze both ways, 30 s, no retry and crash-consistent', () => {
    // Prepare / Act
    const { config, errors } = parseConfig(doc('{consistency: application}'));

    // Assess
    expect(errors).toEqual([]);
    expect(config?.policies[0]?.snapshot).toMatchObject({
      consistency: 'application',
      scripts: {
        pre: 'fsfreeze',
        post: 'fsfreeze',
        timeoutMs: 30_000,
        retries: 0,
        onFailure: 'crash-consistent',
      },
    });
  });

  it('takes documents by name or ARN, a timeout, retries and on_failure: skip', () => {
    // Prepare
    const scripts =
      '{pre: Flush-Postgres, post: "arn:aws:ssm:us-east-1:123456789012:document/Thaw-Postgres", timeout: 2m, retries: 3, on_failure: skip}';

    // Act
    const { config, errors } = parseConfig(doc(`{consistency: application, scripts: ${scripts}}`));

    // Assess
    expect(errors).toEqual([]);
    expect(config?.policies[0]?.snapshot.scripts).toEqual({
      pre: 'Flush-Postgres',
      post: 'arn:aws:ssm:us-east-1:123456789012:document/Thaw-Postgres',
      timeoutMs: 120_000,
      retries: 3,
      onFailure: 'skip',
    });
  });

  it.each([
    [
      '{timeout: 5 seconds}',
      'policies[0].snapshot.scripts.timeout: "5 seconds" is not between 10 seconds and 120 seconds',
    ],
    ['{timeout: 3m}', 'policies[0].snapshot.scripts.timeout: "3m" is not between 10 seconds and 120 seconds'],
    ['{retries: 4}', 'policies[0].snapshot.scripts.retries: 4 is more than 3'],
    ['{on_failure: ignore}', 'policies[0].snapshot.scripts.on_failure'],
    [
      '{pre: "rm -rf /"}',
      'policies[0].snapshot.scripts.pre: "rm -rf /" is neither "fsfreeze" nor the name or ARN of an SSM command document',
    ],
    ['{pre: fsfreeze, tiemout: 30s}', 'policies[0].snapshot.scripts'],
  ])('refuses scripts %s', (scripts, message) => {
    // Prepare / Act
    const { config, errors } = parseConfig(doc(`{consistency: application, scripts: ${scripts}}`));

    // Assess
    expect(config).toBeUndefined();
    expect(errors.join('\n')).toContain(message);
  });

  it('refuses a policy that selects volumes only, saying why', () => {
    // Prepare / Act
    const { config, errors } = parseConfig(
      doc('{consistency: application}', '{volumes: {tag:Backup: "yes"}}'),
    );

    // Assess
    expect(config).toBeUndefined();
    expect(errors).toEqual([
      expect.stringMatching(/^policies\[0\]\.snapshot\.consistency: "application" needs instances/),
    ]);
  });

  it('refuses scripts without application, and application with stop_instance', () => {
    // Prepare / Act
    const scriptsAlone = parseConfig(doc('{consistency: instance, scripts: {retries: 1}}'));
    const withStop = parseConfig(doc('{consistency: application, stop_instance: true}'));

    // Assess
    expect(scriptsAlone.errors).toEqual([
      'policies[0].snapshot.scripts: only used with consistency: application',
    ]);
    expect(withStop.errors).toEqual([expect.stringMatching(/^policies\[0\]\.snapshot\.stop_instance: /)]);
  });

  it('warns that fsfreeze leaves / alone unless the boot volume is excluded', () => {
    // Prepare / Act
    const withBoot = parseConfig(doc('{consistency: application}'));
    const withoutBoot = parseConfig(
      doc('{consistency: application}', '{instance_names: [db-*], exclude: {boot_volume: true}}'),
    );
    const ownDocument = parseConfig(doc('{consistency: application, scripts: {pre: Flush, post: Thaw}}'));

    // Assess
    expect(withBoot.warnings.map((w) => w.code)).toEqual(['config.consistency']);
    expect(withoutBoot.warnings).toEqual([]);
    expect(ownDocument.warnings).toEqual([]);
  });
});
