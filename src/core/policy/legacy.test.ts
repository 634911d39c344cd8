/**
 * Legacy documents here are the ones published in rackerlabs/ebs_snapper (README.md, DESIGN.md and
 * its tests), so the importer is checked against what that tool's users really stored.
 */
import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { fleet, series } from '../../../test/support/builders/fleet.js';
import { ConfigError } from '../errors.js';
import { planSnapshots } from '../plan.js';
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

  it('warns about unsupported filters and the old DeleteOn snapshots', () => {
    // Prepare
    const legacy = { ...README_EXAMPLE, match: { 'vpc-id': 'vpc-1' } };

    // Act
    const { config, warnings } = convertLegacy(legacy);

    // Assess
    expect(warnings).toEqual([
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

/** tests/test_clean.py, test_clean_tagged_snapshots_ignore_retention. */
const CLEAN_IGNORE_RETENTION = {
  match: { 'instance-id': 'i-0123456789abcdef0' },
  snapshot: { retention: '6 days', minimum: 5, frequency: '13 hours' },
  ignore_retention: true,
};

describe('convertLegacy keeps what the old flags meant', () => {
  it('turns ignore_retention into orphaned snapshots that expire after the retention, below the minimum', () => {
    // Prepare: the old test's scenario — the instance and its volume are gone, one snapshot past its retention
    const NOW = Date.parse('2026-12-01T00:00:00Z');
    const { config, warnings } = convertLegacy(CLEAN_IGNORE_RETENTION);
    const policies = parseConfigObject(config).config?.policies ?? [];
    const id = policies[0]?.id ?? '';
    const inventory = fleet()
      .snapshot({ ...series(id, [NOW - 7 * DAY])[0]!, volumeId: 'vol-0gone' })
      .snapshot({ ...series(id, [NOW - 2 * DAY])[0]!, volumeId: 'vol-0gone' })
      .build();

    // Act
    const plan = planSnapshots(inventory, policies, { now: NOW, runId: 'r' });

    // Assess
    expect(config.policies[0]?.retention).toEqual({
      max_age: '6 days',
      minimum: 5,
      orphaned: { 'expire-after': '6 days' },
    });
    expect(plan.actions.filter((a) => a.action === 'delete').map((a) => a.reason.code)).toEqual([
      'retention.orphan-expired',
    ]);
    expect(warnings).toContainEqual(
      'legacy config: "ignore_retention" became retention.orphaned: snapshots of volumes that are gone expire after 6 days even below the minimum',
    );
  });

  it('without ignore_retention, orphaned snapshots stay under the minimum, as they did', () => {
    // Prepare
    const { config } = convertLegacy({ ...CLEAN_IGNORE_RETENTION, ignore_retention: false });

    // Act
    const retention = parseConfigObject(config).config?.policies[0]?.retention;

    // Assess
    expect(retention?.orphaned).toEqual({ kind: 'keep' });
  });

  it('says next to exclude that retention still applies to the excluded volumes’ snapshots', () => {
    // Prepare
    const text = JSON.stringify({ ...README_EXAMPLE, ignore: ['vol-0123456789abcdef0'] });

    // Act
    const yaml = legacyToYaml(text);

    // Assess
    expect(yaml).toMatch(
      /# warning: legacy config: "ignore" became select\.exclude; unlike ebs_snapper, retention still applies/,
    );
    expect(yaml).toMatch(
      /\n {6}# From "ignore"\. Unlike ebs_snapper, which never deleted the snapshots of ignored volumes, the\n {6}# retention below still applies to the snapshots this policy has already taken of these volumes\.\n {6}exclude:\n/,
    );
    expect(parseConfig(yaml).errors).toEqual([]);
  });

  it('points at copy_to where the old tool replicated by tag', () => {
    // Prepare
    const text = JSON.stringify({ ...README_EXAMPLE, replication: 'yes' });

    // Act
    const yaml = legacyToYaml(text);

    // Assess
    expect(yaml).toContain('# warning: legacy config: "replication": ebs_snapper copied snapshots');
    expect(yaml).toMatch(
      /# {3}copy_to: \[\{region: us-west-2, retention: \{max_age: 30 days, minimum: 3\}\}\]\n {2}- id: legacy-1/,
    );
    expect(parseConfig(yaml).errors).toEqual([]);
  });
});

describe('convertLegacyCron', () => {
  it.each([
    ['0 5 * * ? *', '0 5 * * *'],
    ['30 * * * *', '30 * * * *'],
    ['0 5 * * 1 *', '0 5 * * MON'],
    ['0 5 * * 1', '0 5 * * MON'],
    ['0 5 * * 0', '0 5 * * SUN'],
    ['0 5 * * 7', '0 5 * * SUN'],
    ['0 5 * * 1,3,5', '0 5 * * MON,WED,FRI'],
    ['0 5 * * 1-5', '0 5 * * MON-FRI'],
    ['0 5 * * 5-7', '0 5 * * FRI-SAT,SUN'],
    ['@daily', '0 0 * * *'],
    ['@hourly', '0 * * * *'],
    ['@weekly', '0 0 * * SUN'],
    ['@monthly', '0 0 1 * *'],
    ['@yearly', '0 0 1 1 *'],
    ['0 0 5 * * 1 *', '0 5 * * MON'],
    ['0 5 * * 1 2027', '0 5 ? * MON 2027'],
    ['0 5 1 * * 2027', '0 5 1 * ? 2027'],
    ['0 5 * * 1-5 2027', '0 5 ? * MON-FRI 2027'],
    ['0 0 5 * * ? *', '0 5 * * *'],
  ])('reads parse-crontab %j as %j', (legacy, expected) => {
    expect(convertLegacyCron(legacy).cron).toBe(expected);
  });

  it.each([
    ['0 5 * * 1', Date.parse('2026-12-07T05:00:00Z')],
    ['0 5 * * 0', Date.parse('2026-12-06T05:00:00Z')],
    ['0 5 * * 7', Date.parse('2026-12-06T05:00:00Z')],
    ['@weekly', Date.parse('2026-12-06T00:00:00Z')],
  ])('fires %j when parse-crontab did: next at %s after Saturday 2026-12-05 06:00Z', (legacy, next) => {
    // Prepare: 0-6 = SUN-SAT and 7 = SUN in parse-crontab; the policy must not read 1 as AWS's Sunday
    const { config } = convertLegacy({
      ...README_EXAMPLE,
      snapshot: { ...README_EXAMPLE.snapshot, frequency: legacy },
    });
    const schedule = parseConfigObject(config).config?.policies[0]?.schedule;

    // Act
    const fired =
      schedule?.kind === 'cron'
        ? new Cron(schedule.pattern, { timezone: 'UTC' }).nextRun(new Date('2026-12-05T06:00:00Z'))
        : null;

    // Assess
    expect(fired?.getTime()).toBe(next);
  });

  it('warns when both day fields are restricted: parse-crontab needed both, a cron here needs either', () => {
    expect(convertLegacyCron('0 5 1 * 1').warnings).toEqual([
      '"0 5 1 * 1" restricts both day-of-month and day-of-week: ebs_snapper required both to match, this cron fires when either matches; check it before use',
    ]);
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
