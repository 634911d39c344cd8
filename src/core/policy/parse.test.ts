import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import {
  loadConfig,
  MAX_CONFIG_BYTES,
  MAX_PROBLEMS_LISTED,
  parseConfig,
  parseConfigObject,
} from './parse.js';
import type { Config, Policy } from './types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** SPEC §2's example, with real-looking ids where the spec abbreviates them. */
const SPEC_EXAMPLE = `
version: 1
settings:                          # optional, account-wide
  regions: [us-east-1, eu-west-1]
  guard:
    max_deletes: 200
  notify:
    sns_topic_arn: arn:aws:sns:us-east-1:123456789012:backup-alerts
    webhook_url: https://example.invalid/hook
    on: [failure]
policies:
  - id: web-daily
    select:
      instances:
        tag:Role: web
      instance_names: [web-*]
      instance_ids: [i-0abc1234567890def]
      asg: [web-asg]
      volumes:
        tag:Backup: "true"
      exclude:
        boot_volume: false
        volume_ids: [vol-0123456789abcdef0]
        instance_ids: [i-0fedcba9876543210]
        tags: {ebs-snapper:exclude: "true"}
    schedule:
      every: 12 hours
    retention:
      max_age: 14 days
      minimum: 5
      keep_daily: 7
      keep_weekly: 4
      keep_monthly: 12
      keep_yearly: 2
      orphaned: keep
    snapshot:
      consistency: volume
      copy_tags: instance+volume
      tags: {Team: web}
      description: "{policy} {volume_id} from {instance_id}"
      stop_instance: false
    copy_to:
      - region: us-west-2
        retention: {max_age: 30 days, minimum: 3}
        kms_key_id: alias/backup
`;

const EXPECTED_POLICY: Policy = {
  id: 'web-daily',
  select: {
    instances: { 'tag:Role': ['web'] },
    instanceNames: ['web-*'],
    instanceIds: ['i-0abc1234567890def'],
    asg: ['web-asg'],
    volumes: { 'tag:Backup': ['true'] },
    exclude: {
      bootVolume: false,
      volumeIds: ['vol-0123456789abcdef0'],
      instanceIds: ['i-0fedcba9876543210'],
      tags: { 'ebs-snapper:exclude': 'true' },
    },
  },
  schedule: { kind: 'every', everyMs: 12 * HOUR, toleranceMs: 5 * MINUTE, source: '12 hours' },
  retention: {
    maxAgeMs: 14 * DAY,
    minimum: 5,
    keepDaily: 7,
    keepWeekly: 4,
    keepMonthly: 12,
    keepYearly: 2,
    orphaned: { kind: 'keep' },
  },
  snapshot: {
    consistency: 'volume',
    copyTags: 'instance+volume',
    tags: { Team: 'web' },
    description: '{policy} {volume_id} from {instance_id}',
    stopInstance: false,
    stopTimeoutMs: 600_000,
  },
  copyTo: [
    {
      region: 'us-west-2',
      retention: {
        maxAgeMs: 30 * DAY,
        minimum: 3,
        keepDaily: 0,
        keepWeekly: 0,
        keepMonthly: 0,
        keepYearly: 0,
        orphaned: { kind: 'keep' },
      },
      kmsKeyId: 'alias/backup',
    },
  ],
};

/** The smallest valid policy, as YAML lines under `policies:`. */
const MINIMAL_POLICY = `
  - id: web
    select: {instances: {tag:Role: web}}
    schedule: {every: 1 day}
    retention: {max_age: 7 days}
`;

describe('parseConfig: the SPEC §2 example', () => {
  it('normalizes every key', () => {
    // Prepare / Act
    const result = parseConfig(SPEC_EXAMPLE);

    // Assess
    expect(result.errors).toEqual([]);
    const expected: Config = {
      version: 1,
      settings: {
        regions: ['us-east-1', 'eu-west-1'],
        organization: false,
        guard: { maxDeletes: { kind: 'count', count: 200 } },
        notify: {
          snsTopicArn: 'arn:aws:sns:us-east-1:123456789012:backup-alerts',
          webhookUrl: 'https://example.invalid/hook',
          on: ['failure'],
        },
      },
      policies: [EXPECTED_POLICY],
    };
    expect(result.config).toEqual(expected);
  });

  it('reads the SPEC example with copy_to and stop_instance without a warning', () => {
    // Prepare / Act
    const result = parseConfig(SPEC_EXAMPLE);

    // Assess
    expect(result.warnings).toEqual([]);
    expect(result.config?.policies[0]?.copyTo).toEqual([
      {
        region: 'us-west-2',
        retention: expect.objectContaining({ minimum: 3, maxAgeMs: 30 * 86_400_000 }),
        kmsKeyId: 'alias/backup',
      },
    ]);
  });

  it('reads the same document as JSON', () => {
    // Prepare
    const yamlResult = parseConfig(SPEC_EXAMPLE);
    const json = JSON.stringify({
      version: 1,
      policies: [
        {
          id: 'web',
          select: { instances: { 'tag:Role': 'web' } },
          schedule: { every: '1 day' },
          retention: { max_age: '7 days' },
        },
      ],
    });

    // Act
    const jsonResult = parseConfig(json);

    // Assess
    expect(yamlResult.config).toBeDefined();
    expect(jsonResult.errors).toEqual([]);
    expect(jsonResult.config?.policies[0]?.schedule).toEqual({
      kind: 'every',
      everyMs: DAY,
      toleranceMs: 5 * MINUTE,
      source: '1 day',
    });
  });
});

describe('parseConfig: defaults', () => {
  it('fills every default of a minimal policy', () => {
    // Prepare / Act
    const result = parseConfig(`version: 1\npolicies:${MINIMAL_POLICY}`);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.config).toEqual({
      version: 1,
      settings: { guard: {}, organization: false },
      policies: [
        {
          id: 'web',
          select: {
            instances: { 'tag:Role': ['web'] },
            exclude: { bootVolume: false, volumeIds: [], instanceIds: [], tags: {} },
          },
          schedule: { kind: 'every', everyMs: DAY, toleranceMs: 5 * MINUTE, source: '1 day' },
          retention: {
            maxAgeMs: 7 * DAY,
            minimum: 1,
            keepDaily: 0,
            keepWeekly: 0,
            keepMonthly: 0,
            keepYearly: 0,
            orphaned: { kind: 'keep' },
          },
          snapshot: {
            consistency: 'volume',
            copyTags: 'instance+volume',
            tags: {},
            description: '{policy} {volume_id} from {instance_id}',
            stopInstance: false,
            stopTimeoutMs: 600_000,
          },
          copyTo: [],
        },
      ],
    } satisfies Config);
  });

  it('defaults cron schedules to UTC and a 5 minute tolerance', () => {
    // Prepare
    const policy = MINIMAL_POLICY.replace('{every: 1 day}', '{cron: "0 5 * * ? *"}');

    // Act
    const result = parseConfig(`version: 1\npolicies:${policy}`);

    // Assess
    expect(result.config?.policies[0]?.schedule).toEqual({
      kind: 'cron',
      pattern: '0 0 5 * * * *',
      timezone: 'UTC',
      toleranceMs: 5 * MINUTE,
      source: '0 5 * * ? *',
    });
  });

  it('defaults notify.on to [failure] and reads a percentage guard', () => {
    // Prepare
    const settings =
      'settings:\n  guard: {max_deletes: "10%"}\n  notify: {webhook_url: "https://hooks.example.com/x"}\n';

    // Act
    const result = parseConfig(`version: 1\n${settings}policies:${MINIMAL_POLICY}`);

    // Assess
    expect(result.config?.settings).toEqual({
      guard: { maxDeletes: { kind: 'percent', percent: 10 } },
      notify: { webhookUrl: 'https://hooks.example.com/x', on: ['failure'] },
      organization: false,
    });
  });

  it('reads the deployment settings: accounts, organization and the Scheduler schedule', () => {
    // Prepare
    const settings =
      'settings:\n  accounts: ["111111111111", "222222222222"]\n  schedule: {expression: "cron(30 2 * * ? *)", timezone: Europe/Berlin}\n';

    // Act
    const result = parseConfig(`version: 1\n${settings}policies:${MINIMAL_POLICY}`);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.config?.settings).toMatchObject({
      accounts: ['111111111111', '222222222222'],
      organization: false,
      schedule: { expression: 'cron(30 2 * * ? *)', timezone: 'Europe/Berlin' },
    });
  });

  it.each([
    ['accounts: [123]', 'settings.accounts[0]: expected a text value, got 123'],
    [
      'accounts: ["12345"]',
      'settings.accounts[0]: "12345" is not an AWS account id (12 digits, quoted in YAML)',
    ],
    [
      '{accounts: ["111111111111"], organization: true}',
      'settings.accounts: give accounts or organization: true, not both',
    ],
    [
      'schedule: "rate(1 hours)"',
      'settings.schedule: "rate(1 hours)" is not a schedule: a rate of 1 takes a singular unit: "rate(1 hour)"',
    ],
    [
      'schedule: "cron(0 3 * * *)"',
      'settings.schedule: "cron(0 3 * * *)" is not a schedule: cron(...) takes 6 fields (AWS style, with ? and a year)',
    ],
    [
      'schedule: {expression: "rate(5 minutes)", timezone: Mars/Base}',
      'settings.schedule.timezone: "Mars/Base" is not an IANA time zone',
    ],
  ])('refuses the deployment setting %s', (setting, problem) => {
    // Prepare
    const settings = setting.startsWith('{') ? `settings: ${setting}\n` : `settings:\n  ${setting}\n`;

    // Act
    const result = parseConfig(`version: 1\n${settings}policies:${MINIMAL_POLICY}`);

    // Assess
    expect(result.errors).toEqual([problem]);
  });

  it('turns YAML booleans and numbers in tag and filter values into their text', () => {
    // Prepare
    const policy = MINIMAL_POLICY.replace('{tag:Role: web}', '{tag:Backup: true, tag:Tier: [1, 2]}');

    // Act
    const result = parseConfig(`version: 1\npolicies:${policy}`);

    // Assess
    expect(result.config?.policies[0]?.select.instances).toEqual({
      'tag:Backup': ['true'],
      'tag:Tier': ['1', '2'],
    });
  });

  it('accepts a single value where a list is expected', () => {
    // Prepare
    const policy = MINIMAL_POLICY.replace(
      '{instances: {tag:Role: web}}',
      '{asg: web-asg, instance_names: "web-*"}',
    );

    // Act
    const result = parseConfig(`version: 1\npolicies:${policy}`);

    // Assess
    expect(result.config?.policies[0]?.select).toMatchObject({ asg: ['web-asg'], instanceNames: ['web-*'] });
  });
});

describe('parseConfig: aliases', () => {
  it('reads retention as max_age and keep_last as minimum', () => {
    // Prepare
    const policy = MINIMAL_POLICY.replace('{max_age: 7 days}', '{retention: 4 days, keep_last: 5}');

    // Act
    const result = parseConfig(`version: 1\npolicies:${policy}`);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.config?.policies[0]?.retention).toMatchObject({ maxAgeMs: 4 * DAY, minimum: 5 });
  });

  it('accepts minimum 0 with tiers, and warns that only the tiers keep snapshots', () => {
    // Prepare
    const policy = MINIMAL_POLICY.replace('{max_age: 7 days}', '{minimum: 0, keep_daily: 7}');

    // Act
    const result = parseConfig(`version: 1\npolicies:${policy}`);

    // Assess
    expect(result.config?.policies[0]?.retention).toMatchObject({ minimum: 0, keepDaily: 7 });
    expect(result.warnings).toEqual([
      {
        code: 'config.retention',
        message:
          'policies[0].retention: minimum is 0 and there is no max_age: only the keep_* tiers keep snapshots',
      },
    ]);
  });
});

describe('parseConfigObject', () => {
  it('validates an already-parsed document', () => {
    // Prepare
    const document = {
      version: 1,
      policies: [
        {
          id: 'db',
          select: { volumes: { 'volume-type': ['gp3', 'io2'] } },
          schedule: { cron: '@daily', timezone: 'Europe/Berlin' },
          retention: { orphaned: { 'expire-after': '30 days' }, max_age: '2w' },
        },
      ],
    };

    // Act
    const result = parseConfigObject(document);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.config?.policies[0]).toMatchObject({
      select: { volumes: { 'volume-type': ['gp3', 'io2'] } },
      schedule: { kind: 'cron', pattern: '0 0 0 * * * *', timezone: 'Europe/Berlin' },
      retention: { maxAgeMs: 14 * DAY, orphaned: { kind: 'expire-after', afterMs: 30 * DAY } },
    });
  });
});

describe('loadConfig', () => {
  it('returns the config and its warnings when the file is valid', () => {
    // Prepare / Act
    const { config, warnings } = loadConfig(SPEC_EXAMPLE, { source: 'ebs-snapper.yaml' });

    // Assess
    expect(config.policies.map((policy) => policy.id)).toEqual(['web-daily']);
    expect(warnings).toEqual([]);
  });

  it('throws a ConfigError listing every problem', () => {
    // Prepare
    const text = `version: 1\npolicies:${MINIMAL_POLICY.replace('7 days', '4 dayz')}`;

    // Act
    const attempt = () => loadConfig(text, { source: 'ebs-snapper.yaml' });

    // Assess
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe('ebs-snapper.yaml: 1 problem in the policy file');
      expect((error as ConfigError).problems).toEqual([
        'policies[0].retention.max_age: "4 dayz" is not a duration',
      ]);
    }
  });

  it('refuses a document over the size cap before parsing it', () => {
    // Prepare: a million unknown keys would take minutes to report one by one
    const huge = `version: 1\n${'x: 1\n'.repeat(MAX_CONFIG_BYTES / 5 + 1)}`;

    // Act
    const attempt = () => loadConfig(huge, { source: 'big.yaml' });

    // Assess
    expect(attempt).toThrow(/^big\.yaml: \d+ bytes is too big for a policy file \(at most 1048576\)/);
  });

  it('lists at most the first problems and counts the rest', () => {
    // Prepare
    const unknownKeys = Array.from({ length: 300 }, (_, i) => `  k${i}: 1\n`).join('');
    const text = `version: 1\nsettings:\n${unknownKeys}policies:${MINIMAL_POLICY}`;

    // Act
    let error: unknown;
    try {
      loadConfig(text, { source: 'many.yaml' });
    } catch (thrown) {
      error = thrown;
    }

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    const { message, problems } = error as ConfigError;
    expect(message).toBe('many.yaml: 300 problems in the policy file');
    expect(problems).toHaveLength(MAX_PROBLEMS_LISTED + 1);
    expect(problems.at(-1)).toBe(`… and ${300 - MAX_PROBLEMS_LISTED} more problems`);
  });

  it('refuses bytes that are not UTF-8 instead of mangling a selector', () => {
    // Prepare: "Rolle: Büro" in Latin-1
    const latin1 = Uint8Array.from(
      Buffer.from(`version: 1\npolicies:${MINIMAL_POLICY}# B\xfcro\n`, 'latin1'),
    );

    // Act
    const attempt = () => loadConfig(latin1, { source: 'latin1.yaml' });

    // Assess
    expect(attempt).toThrow('latin1.yaml: not valid UTF-8 text; save the policy file as UTF-8');
  });
});
