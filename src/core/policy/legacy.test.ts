/**
 * Legacy documents here are the ones published in rackerlabs/ebs_snapper (README.md, DESIGN.md and
 * its tests), so the importer is checked against what that tool's users really stored.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { convertLegacy, legacyToYaml } from './legacy.js';
import { convertLegacyCron } from './legacy-cron.js';
import { parseConfig, parseConfigObject } from './parse.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** README.md, "Background": back up everything tagged backup=yes. */
const README_EXAMPLE = {
  match: { 'tag:backup': 'yes' },
  snapshot: { retention: '4 days', minimum: 5, frequency: '12 hours' },
  ignore: [],
};

/** README.md, `configure -s ... daily_tagged`. */
const README_DAILY = {
  snapshot: { minimum: 5, frequency: '1 day', retention: '5 days' },
  match: { 'tag:backup': 'daily' },
};

/** DESIGN.md, the crontab example ("midnight CDT"). */
const DESIGN_CRON = {
  match: { 'instance-id': 'i-abc12345', 'tag:key': 'tag-value', 'tag:Name': 'legacy_server_name_*' },
  snapshot: { retention: '4 days', minimum: 5, frequency: '0 5 * * ? *' },
};

/** tests/test_dynamo.py. */
const DYNAMO_TEST = {
  match: { 'instance-id': 'i-abc12345', 'tag:plant': 'special_flower', 'tag:Name': 'legacy_server' },
  snapshot: { retention: '6 days', minimum: 6, frequency: '13 hours' },
};

/** tests/test_utils.py: a 5-field crontab. */
const UTILS_CRON = {
  snapshot: { minimum: 5, frequency: '30 * * * *', retention: '5 days' },
  match: { 'tag:backup': 'yes' },
};

/** tests/test_snapshot.py: a list of instance ids. */
const SNAPSHOT_TEST = {
  match: { 'instance-id': ['i-0123456789abcdef0', 'i-0fedcba9876543210'] },
  snapshot: { retention: '3 days', minimum: 4, frequency: '11 hours' },
};

describe('convertLegacy', () => {
  it('converts the README example into an equivalent policy', () => {
    // Prepare / Act
    const { config } = convertLegacy(README_EXAMPLE);

    // Assess
    expect(config).toEqual({
      version: 1,
      policies: [
        {
          id: 'legacy-1',
          select: { instances: { 'tag:backup': 'yes', 'instance-state-name': ['running', 'stopped'] } },
          schedule: { every: '12 hours' },
          retention: { max_age: '4 days', minimum: 5 },
        },
      ],
    });
  });

  it.each([
    ['README example', README_EXAMPLE],
    ['README daily_tagged', README_DAILY],
    ['DESIGN.md crontab example', DESIGN_CRON],
    ['test_dynamo.py', DYNAMO_TEST],
    ['test_utils.py crontab', UTILS_CRON],
    ['test_snapshot.py id list', SNAPSHOT_TEST],
  ])('produces a document that validates without errors (%s)', (_name, legacy) => {
    // Prepare
    const { config } = convertLegacy(legacy);

    // Act
    const result = parseConfigObject(config);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.config?.policies).toHaveLength(1);
  });

  it('keeps the meaning of retention, minimum and frequency', () => {
    // Prepare
    const { config } = convertLegacy(DYNAMO_TEST);

    // Act
    const policy = parseConfigObject(config).config?.policies[0];

    // Assess
    expect(policy?.retention).toMatchObject({ maxAgeMs: 6 * DAY, minimum: 6 });
    expect(policy?.schedule).toMatchObject({ kind: 'every', everyMs: 13 * HOUR });
    expect(policy?.select.instances).toEqual({
      'instance-id': ['i-abc12345'],
      'tag:plant': ['special_flower'],
      'tag:Name': ['legacy_server'],
      'instance-state-name': ['running', 'stopped'],
    });
  });

  it('turns the AWS-looking legacy cron into a daily 05:00 UTC schedule', () => {
    // Prepare
    const { config } = convertLegacy(DESIGN_CRON);

    // Act
    const schedule = parseConfigObject(config).config?.policies[0]?.schedule;

    // Assess
    expect(config.policies[0]?.schedule).toEqual({ cron: '0 5 * * *' });
    expect(schedule).toMatchObject({ kind: 'cron', pattern: '0 0 5 * * * *', timezone: 'UTC' });
  });

  it('splits ignore into instance and volume exclusions', () => {
    // Prepare
    const legacy = { ...README_EXAMPLE, ignore: ['i-abc12345', 'vol-0123456789abcdef0', 'snap-1'] };

    // Act
    const { config, warnings } = convertLegacy(legacy);

    // Assess
    expect(config.policies[0]?.select.exclude).toEqual({
      instance_ids: ['i-abc12345'],
      volume_ids: ['vol-0123456789abcdef0'],
    });
    expect(warnings).toContain(
      'legacy config: ignore entry "snap-1" is neither an instance nor a volume id; left out',
    );
    expect(parseConfigObject(config).errors).toEqual([]);
  });

  it('converts a list, with ids from the DynamoDB keys made unique', () => {
    // Prepare
    const legacy = [
      { id: 'Tagged_Instances', ...README_EXAMPLE },
      { id: 'daily tagged', ...README_DAILY },
      { id: 'daily_tagged', ...README_DAILY },
      UTILS_CRON,
    ];

    // Act
    const { config } = convertLegacy(legacy);

    // Assess
    expect(config.policies.map((policy) => policy.id)).toEqual([
      'tagged-instances',
      'daily-tagged',
      'daily-tagged-2',
      'legacy-4',
    ]);
    expect(parseConfigObject(config).errors).toEqual([]);
  });

  it('skips what ebs_snapper itself skipped, and says so', () => {
    // Prepare
    const legacy = [
      README_EXAMPLE,
      { match: {}, snapshot: README_EXAMPLE.snapshot },
      { match: { 'tag:x': 'y' } },
    ];

    // Act
    const { config, warnings } = convertLegacy(legacy);

    // Assess
    expect(config.policies).toHaveLength(1);
    expect(warnings.filter((warning) => warning.includes('skipped'))).toEqual([
      'legacy config [1]: skipped, as ebs_snapper did: it needs a non-empty "match" and snapshot retention, minimum, frequency',
      'legacy config [2]: skipped, as ebs_snapper did: it needs a non-empty "match" and snapshot retention, minimum, frequency',
    ]);
  });

  it('warns about ignore_retention, unsupported filters and the old DeleteOn snapshots', () => {
    // Prepare
    const legacy = {
      ...README_EXAMPLE,
      match: { 'vpc-id': 'vpc-1' },
      ignore_retention: true,
      replication: 'x',
    };

    // Act
    const { config, warnings } = convertLegacy(legacy);

    // Assess
    expect(warnings).toEqual([
      'legacy config: "replication" has no equivalent and was left out',
      'legacy config: "ignore_retention" was left out: ebs-snapper never deletes below the minimum',
      expect.stringMatching(
        /^legacy config: match filter "vpc-id" is not supported .*; replace it before use$/,
      ),
      expect.stringMatching(/DeleteOn/),
    ]);
    // The unsupported filter is kept, so validation names it instead of the policy silently selecting more.
    expect(parseConfigObject(config).errors).toEqual([
      expect.stringMatching(/^policies\[0\]\.select\.instances\.vpc-id: unknown filter/),
    ]);
  });
});

describe('convertLegacyCron', () => {
  it.each([
    ['0 5 * * ? *', '0 5 * * *'],
    ['30 * * * *', '30 * * * *'],
    ['0 5 * * 1 *', '0 5 * * 1'],
    ['0 5 * * 1 2027', '0 5 ? * MON 2027'],
    ['0 5 1 * * 2027', '0 5 1 * ? 2027'],
    ['0 5 * * 1-5 2027', '0 5 ? * MON-FRI 2027'],
    ['0 0 5 * * ? *', '0 5 * * *'],
  ])('reads parse-crontab %j as %j', (legacy, expected) => {
    expect(convertLegacyCron(legacy).cron).toBe(expected);
  });

  it('warns when a seconds field is dropped', () => {
    expect(convertLegacyCron('30 0 5 * * ? *').warnings).toEqual([
      'the seconds field "30" was dropped; schedules run on whole minutes',
    ]);
  });
});

describe('legacyToYaml', () => {
  it('prints a commented version 1 document that parses', () => {
    // Prepare
    const text = JSON.stringify(DESIGN_CRON);

    // Act
    const yaml = legacyToYaml(text);
    const result = parseConfig(yaml);

    // Assess
    expect(yaml).toMatch(/^# Converted from an ebs_snapper \(Rackspace\) configuration\.\n# warning: /);
    expect(yaml).toContain('version: 1\n');
    expect(result.errors).toEqual([]);
    expect(result.config?.policies[0]?.id).toBe('legacy-1');
  });

  it('throws ConfigError for text that is not JSON or YAML', () => {
    expect(() => legacyToYaml('{"match": ')).toThrow(ConfigError);
  });

  it('throws ConfigError when nothing can be converted', () => {
    expect(() => legacyToYaml('{"match": {}}')).toThrow(ConfigError);
  });
});
