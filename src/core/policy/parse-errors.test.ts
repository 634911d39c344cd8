import { describe, expect, it } from 'vitest';
import { parseConfig } from './parse.js';

/** A valid policy as YAML; `overrides` replace whole top-level keys of it (given as YAML flow text). */
function policy(id: string, overrides: Record<string, string | undefined> = {}): string {
  const keys: Record<string, string | undefined> = {
    id,
    select: `{instances: {tag:Role: ${id}}}`,
    schedule: '{every: 1 day}',
    retention: '{max_age: 7 days}',
    ...overrides,
  };
  const lines = Object.entries(keys)
    .filter(([, value]) => value !== undefined)
    .map(([key, value], index) => `${index === 0 ? '  - ' : '    '}${key}: ${value}`);
  return `${lines.join('\n')}\n`;
}

function documentWith(...policies: string[]): string {
  return `version: 1\npolicies:\n${policies.join('')}`;
}

function errorsOf(text: string): readonly string[] {
  const result = parseConfig(text);
  expect(result.config).toBeUndefined();
  return result.errors;
}

describe('parseConfig error messages', () => {
  it('names the path and the bad duration exactly as SPEC §2 says', () => {
    // Prepare
    const text = documentWith(policy('a'), policy('b'), policy('c', { retention: '{max_age: 4 dayz}' }));

    // Act
    const errors = errorsOf(text);

    // Assess
    expect(errors).toEqual(['policies[2].retention.max_age: "4 dayz" is not a duration']);
  });

  it('tells a bare number is not a duration', () => {
    const errors = errorsOf(documentWith(policy('a', { schedule: '{every: 12}' })));
    expect(errors).toEqual(['policies[0].schedule.every: 12 is not a duration: add a unit, e.g. "12 days"']);
  });

  it('rejects an unknown key and suggests the likely one', () => {
    // Prepare
    const text = documentWith(policy('a', { retention: undefined, retension: '{max_age: 7 days}' }));

    // Act
    const errors = errorsOf(text);

    // Assess
    expect(errors).toEqual([
      'policies[0].retention: required',
      'policies[0].retension: unknown key; did you mean "retention"?',
    ]);
  });

  it('lists the accepted keys when nothing is close', () => {
    const errors = errorsOf(documentWith(policy('a', { schedule: '{every: 1 day, zzz: 1}' })));
    expect(errors).toEqual([
      'policies[0].schedule.zzz: unknown key; expected one of every, cron, timezone, tolerance',
    ]);
  });

  it('rejects unknown top-level keys', () => {
    const errors = errorsOf(`version: 1\npolices: []\npolicies:\n${policy('a')}`);
    expect(errors).toEqual(['polices: unknown key; did you mean "policies"?']);
  });

  it('needs exactly one of every or cron', () => {
    // Prepare
    const both = policy('b', { schedule: '{every: 1 day, cron: "0 3 * * *"}' });
    const neither = policy('c', { schedule: '{tolerance: 10m}' });

    // Act
    const errors = errorsOf(documentWith(policy('a'), both, neither));

    // Assess
    expect(errors).toEqual([
      'policies[1].schedule: give exactly one of "every" or "cron"',
      'policies[2].schedule: give exactly one of "every" or "cron"',
    ]);
  });

  it('rejects a duplicate id, naming the first use', () => {
    // Prepare
    const text = documentWith(policy('web'), policy('db'), policy('app'), policy('web'));

    // Act
    const errors = errorsOf(text);

    // Assess
    expect(errors).toEqual(['policies[3].id: "web" is used by policies[0] too']);
  });

  it.each([
    ['an empty list', 'version: 1\npolicies: []\n', 'policies: a file with no policy is an error; add one'],
    ['no policies key', 'version: 1\n', 'policies: required'],
    ['an empty file', '', 'the file is empty: it needs "version: 1" and at least one policy'],
    ['a comment only', '# nothing yet\n', 'the file is empty: it needs "version: 1" and at least one policy'],
    ['a list', '- a\n- b\n', 'expected a map with "version: 1" and "policies", got a list'],
  ])('rejects a file with no policy (%s)', (_name, text, message) => {
    expect(errorsOf(text)).toEqual([message]);
  });

  it.each([
    ['Web', '"Web" is not a policy id (lower-case letters, digits and -, at most 63)'],
    ['-web', '"-web" is not a policy id (lower-case letters, digits and -, at most 63)'],
    ['a'.repeat(64), `"${'a'.repeat(64)}" is not a policy id (lower-case letters, digits and -, at most 63)`],
  ])('rejects the bad id %j', (id, message) => {
    expect(errorsOf(documentWith(policy(id)))).toEqual([`policies[0].id: ${message}`]);
  });

  it('rejects an unknown filter name and lists the supported ones', () => {
    // Prepare
    const text = documentWith(policy('a', { select: '{instances: {instance-name: web, tag:Role: web}}' }));

    // Act
    const errors = errorsOf(text);

    // Assess
    expect(errors).toEqual([
      'policies[0].select.instances.instance-name: unknown filter "instance-name"; supported: tag:<key>, tag-key, ' +
        'instance-id, instance-state-name, instance-type, availability-zone',
    ]);
  });

  it('rejects an instance filter name on volumes', () => {
    const errors = errorsOf(documentWith(policy('a', { select: '{volumes: {instance-type: m5.large}}' })));
    expect(errors).toEqual([
      'policies[0].select.volumes.instance-type: unknown filter "instance-type"; supported: tag:<key>, tag-key, ' +
        'volume-id, volume-type, availability-zone, status, size, encrypted, attachment.instance-id, attachment.device',
    ]);
  });

  it('names a bad filter value by its key path', () => {
    const errors = errorsOf(documentWith(policy('a', { select: '{instances: {tag:Role: []}}' })));
    expect(errors).toEqual(['policies[0].select.instances.tag:Role: must not be an empty list']);
  });

  it('rejects a tag value or description that can expand past EC2 limits, before any AWS call', () => {
    // Prepare: 240 characters plus {volume_id} (up to 21) > 256; 240 plus {device} (up to 32) > 255
    const tags = `{tags: {Note: "${'n'.repeat(240)}{volume_id}"}, description: "${'d'.repeat(240)}{device}"}`;

    // Act
    const errors = errorsOf(documentWith(policy('a', { snapshot: tags })));

    // Assess
    expect(errors).toEqual([
      'policies[0].snapshot.description: can expand to 272 characters once the placeholders are filled in; EC2 allows 255',
      'policies[0].snapshot.tags.Note: can expand to 261 characters once the placeholders are filled in; EC2 allows 256',
    ]);
  });

  it('rejects a cron that can never fire again, given a clock', () => {
    // Prepare
    const text = documentWith(policy('a', { schedule: '{cron: "0 3 * * ? 2025", timezone: Europe/Berlin}' }));

    // Act
    const withClock = parseConfig(text, { now: Date.parse('2026-11-29T12:00:00Z') }).errors;
    const withoutClock = parseConfig(text).errors;

    // Assess
    expect(withClock).toEqual([
      'policies[0].schedule.cron: "0 3 * * ? 2025" never fires again after 2026-11-29T12:00:00.000Z',
    ]);
    expect(withoutClock).toEqual([]);
  });

  it('rejects a bad time zone and a bad cron', () => {
    // Prepare
    const schedule = '{cron: "0 25 * * *", timezone: Mars/Olympus}';

    // Act
    const errors = errorsOf(documentWith(policy('a', { schedule })));

    // Assess
    expect(errors).toEqual([
      'policies[0].schedule.timezone: "Mars/Olympus" is not an IANA time zone',
      'policies[0].schedule.cron: "0 25 * * *" is not a cron expression: Invalid value for hour: 25',
    ]);
  });

  it('rejects a negative minimum and a fractional tier', () => {
    const errors = errorsOf(
      documentWith(policy('a', { retention: '{max_age: 7 days, minimum: -1, keep_daily: 1.5}' })),
    );
    expect(errors).toEqual([
      'policies[0].retention.minimum: -1 is not a count (a whole number, 0 or more)',
      'policies[0].retention.keep_daily: 1.5 is not a count (a whole number, 0 or more)',
    ]);
  });

  it.each([
    ['ten', 'settings.guard.max_deletes: "ten" is not a count or a percentage like "10%"'],
    ['-5', 'settings.guard.max_deletes: -5 is not a count (a whole number, 0 or more)'],
    ['"150%"', 'settings.guard.max_deletes: "150%" is more than 100%'],
    ['true', 'settings.guard.max_deletes: true is not a count or a percentage like "10%"'],
  ])('rejects the guard value %s', (value, message) => {
    expect(
      errorsOf(`version: 1\nsettings: {guard: {max_deletes: ${value}}}\npolicies:\n${policy('a')}`),
    ).toEqual([message]);
  });

  it('reports a YAML syntax error with its line and column', () => {
    // Prepare
    const text = 'version: 1\npolicies:\n  - id: a\n    select: {instances: {tag:Role: web}\n';

    // Act
    const plain = parseConfig(text);
    const named = parseConfig(text, { source: 'ebs-snapper.yaml' });

    // Assess
    expect(plain.errors).toEqual([expect.stringMatching(/^line 5, column 1: /)]);
    expect(named.errors).toEqual([expect.stringMatching(/^ebs-snapper\.yaml:5:1: /)]);
  });

  it('rejects a key given twice in YAML', () => {
    const errors = errorsOf('version: 1\nversion: 1\npolicies: []\n');
    expect(errors).toEqual([expect.stringMatching(/^line 2, column 1: Map keys must be unique/)]);
  });

  it('rejects a key and its alias given together', () => {
    const errors = errorsOf(
      documentWith(
        policy('a', { retention: '{max_age: 7 days, retention: 4 days, minimum: 1, keep_last: 2}' }),
      ),
    );
    expect(errors).toEqual([
      'policies[0].retention: give either "max_age" or its alias "retention", not both',
      'policies[0].retention: give either "minimum" or its alias "keep_last", not both',
    ]);
  });

  it('needs every to be longer than the tolerance', () => {
    const errors = errorsOf(documentWith(policy('a', { schedule: '{every: 5 minutes}' })));
    expect(errors).toEqual([
      'policies[0].schedule.every: "5 minutes" must be longer than the tolerance (5m)',
    ]);
  });

  it('needs at least one selector', () => {
    const errors = errorsOf(documentWith(policy('a', { select: '{exclude: {boot_volume: true}}' })));
    expect(errors).toEqual([
      'policies[0].select: give at least one of instances, instance_names, instance_ids, asg, volumes',
    ]);
  });

  it('refuses an empty filter map, which would select everything', () => {
    const errors = errorsOf(documentWith(policy('a', { select: '{instances: {}}' })));
    expect(errors).toEqual([
      'policies[0].select.instances: give at least one filter (to select every instance, use instance-state-name: [running, stopped])',
    ]);
  });

  it('refuses a retention that keeps nothing', () => {
    const errors = errorsOf(documentWith(policy('a', { retention: '{minimum: 0}' })));
    expect(errors).toEqual([
      'policies[0].retention: keeps no snapshot at all: set max_age, a minimum above 0 or a keep_* tier',
    ]);
  });

  it('refuses reserved tag prefixes and unknown placeholders', () => {
    // Prepare
    const snapshot =
      '{tags: {"ebs-snapper:policy": other, Name: "{hostname}"}, description: "{policy} {volume}"}';

    // Act
    const errors = errorsOf(documentWith(policy('a', { snapshot })));

    // Assess
    expect(errors).toEqual([
      'policies[0].snapshot.description: unknown placeholder "{volume}"; use {instance_id} {volume_id} {device} {policy} {date}',
      'policies[0].snapshot.tags.ebs-snapper:policy: the "ebs-snapper:" tag prefix is reserved',
      'policies[0].snapshot.tags.Name: unknown placeholder "{hostname}"; use {instance_id} {volume_id} {device} {policy} {date}',
    ]);
  });

  it('quotes path segments that are not plain names', () => {
    const errors = errorsOf(documentWith(policy('a', { snapshot: '{tags: {"aws:cost center": x}}' })));
    expect(errors).toEqual([
      'policies[0].snapshot.tags["aws:cost center"]: the "aws:" tag prefix is reserved',
    ]);
  });

  it.each([
    ['version: 2', 'version: 2 is not supported; use 1'],
    ['version: "1"', 'version: "1" is not supported; use 1'],
    ['', 'version: required: add "version: 1" at the top'],
  ])('checks the version (%j)', (line, message) => {
    expect(errorsOf(`${line}\npolicies:\n${policy('a')}`)).toEqual([message]);
  });

  it('points legacy ebs_snapper documents to the importer', () => {
    const legacy =
      '{"match": {"tag:backup": "yes"}, "snapshot": {"retention": "4 days", "minimum": 5, "frequency": "12 hours"}}';
    expect(errorsOf(legacy)).toEqual([
      'this is a legacy ebs_snapper config; convert it with "ebs-snapper config import-legacy FILE"',
    ]);
  });

  it.each([
    [
      'regions: [us-east-1, Frankfurt]',
      'settings.regions[1]: "Frankfurt" is not a region name like "us-east-1"',
    ],
    ['regions: [us-east-1, us-east-1]', 'settings.regions[1]: "us-east-1" is listed at regions[0] too'],
    ['regions: []', 'settings.regions: must not be an empty list'],
    [
      'notify: {sns_topic_arn: backup-alerts}',
      'settings.notify.sns_topic_arn: "backup-alerts" is not an SNS topic ARN',
    ],
    [
      'notify: {webhook_url: "ftp://x.example"}',
      'settings.notify.webhook_url: "ftp://x.example" is not an http(s) URL',
    ],
    ['notify: {on: [summary]}', 'settings.notify: give sns_topic_arn or webhook_url (or remove notify)'],
    [
      'notify: {webhook_url: "https://x.example", on: [sumary]}',
      'settings.notify.on[0]: "sumary" is not one of failure, summary, overdue',
    ],
  ])('checks settings (%s)', (settings, message) => {
    expect(errorsOf(`version: 1\nsettings: {${settings}}\npolicies:\n${policy('a')}`)).toEqual([message]);
  });

  it('looks inside a union for the mistyped key', () => {
    const errors = errorsOf(
      documentWith(policy('a', { retention: '{max_age: 7 days, orphaned: {expire_after: 30 days}}' })),
    );
    expect(errors).toEqual([
      'policies[0].retention.orphaned.expire-after: required',
      'policies[0].retention.orphaned.expire_after: unknown key; did you mean "expire-after"?',
    ]);
  });

  it.each([
    [
      '{orphaned: delete, max_age: 7 days}',
      'policies[0].retention.orphaned: "delete" is neither "keep" nor {expire-after: DURATION}',
    ],
    [
      '{orphaned: {expire-after: 0d}, max_age: 7 days}',
      'policies[0].retention.orphaned.expire-after: "0d" must be longer than 0',
    ],
  ])('checks orphaned (%s)', (retention, message) => {
    expect(errorsOf(documentWith(policy('a', { retention })))).toEqual([message]);
  });

  it('explains a map where a value or list is expected', () => {
    const errors = errorsOf(documentWith(policy('a', { select: '{asg: {name: web}}' })));
    expect(errors).toEqual(['policies[0].select.asg: expected a value or a list of values, got a map']);
  });

  it('names bad ids in lists by index', () => {
    const errors = errorsOf(
      documentWith(policy('a', { select: '{instance_ids: [i-0abc1234567890def, i-nope]}' })),
    );
    expect(errors).toEqual([
      'policies[0].select.instance_ids[1]: "i-nope" is not an instance id like "i-0123456789abcdef0"',
    ]);
  });

  it('reports problems of several policies and settings in one pass', () => {
    // Prepare
    const text = `version: 1\nsettings: {guard: {max_deletes: x}}\npolicies:\n${policy('A')}${policy('b', { schedule: '{}' })}`;

    // Act
    const errors = errorsOf(text);

    // Assess
    expect(errors).toHaveLength(3);
  });

  it('names the deeper problems of a policy the schema refused in the same pass (a typo does not hide a bad cron)', () => {
    // Prepare: an unknown key (a schema problem) beside a cron, a placeholder and a copy region that
    // only the deeper checks refuse
    const text = documentWith(
      policy('a', {
        retension: '{max_age: 7 days}',
        schedule: '{cron: "0 25 * * *"}',
        snapshot: '{description: "{volume} of {policy}"}',
        copy_to: '[{region: us-west-2, retention: {max_age: 30 days, minimum: 1}}]',
      }),
    );

    // Act
    const errors = errorsOf(text);

    // Assess
    expect(errors).toEqual([
      'policies[0].retension: unknown key; did you mean "retention"?',
      expect.stringMatching(/^policies\[0\]\.schedule\.cron: /),
      expect.stringMatching(/^policies\[0\]\.snapshot\.description: unknown placeholder "\{volume\}"/),
    ]);
  });

  it('refuses a region AWS does not have, naming the closest, in settings and copy_to', () => {
    // Prepare
    const text = `version: 1\nsettings: {regions: [us-est-1]}\npolicies:\n${policy('a', { copy_to: '[{region: eu-wset-2, retention: {minimum: 1}}]' })}`;

    // Act
    const errors = errorsOf(text);

    // Assess
    expect(errors).toEqual([
      'settings.regions[0]: "us-est-1" is not an AWS region; did you mean "us-east-1"?',
      'policies[0].copy_to[0].region: "eu-wset-2" is not an AWS region; did you mean "eu-west-2"?',
    ]);
  });
});

describe('parseConfig warnings', () => {
  it('reads the stop workflow settings, and warns when they are given without stop_instance', () => {
    const withStop = parseConfig(
      documentWith(policy('a', { snapshot: '{stop_instance: true, stop_timeout: 5m, max_stopped: 2}' })),
    );
    const without = parseConfig(documentWith(policy('a', { snapshot: '{max_stopped: 2}' })));
    expect(withStop.errors).toEqual([]);
    expect(withStop.config?.policies[0]?.snapshot).toMatchObject({
      stopInstance: true,
      stopTimeoutMs: 300_000,
      maxStopped: 2,
    });
    expect(without.warnings).toEqual([
      {
        code: 'config.ignored',
        message: 'policies[0].snapshot: stop_timeout and max_stopped are only used with stop_instance: true',
      },
    ]);
  });

  it('warns that a time zone is ignored with every', () => {
    const result = parseConfig(
      documentWith(policy('a', { schedule: '{every: 1 day, timezone: Europe/Berlin}' })),
    );
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      {
        code: 'config.ignored',
        message: 'policies[0].schedule.timezone: only used with "cron"; ignored with "every"',
      },
    ]);
  });

  it('warns when a retention block sets nothing', () => {
    const result = parseConfig(documentWith(policy('a', { retention: '{}' })));
    expect(result.warnings).toEqual([
      {
        code: 'config.retention',
        message:
          'policies[0].retention: no max_age, minimum or keep_* tier: only the newest 1 snapshot is kept',
      },
    ]);
  });
});
