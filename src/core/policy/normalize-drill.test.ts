import { describe, expect, it } from 'vitest';
import { parseConfig } from './parse.js';

/** A valid document whose one policy has this `drill` (YAML flow text) and retention. */
function withDrill(drill: string, retention = '{max_age: 60 days}'): string {
  return `version: 1
policies:
  - id: web
    select: {instances: {tag:Role: web}}
    schedule: {every: 1 day}
    retention: ${retention}
    drill: ${drill}
`;
}

describe('the drill key', () => {
  it('fills in the defaults: sample 1, check available, timeout 2 hours', () => {
    // Prepare / Act
    const result = parseConfig(withDrill('{every: 30 days}'));

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.config?.policies[0]?.drill).toEqual({
      everyMs: 30 * 86_400_000,
      everySource: '30 days',
      sample: 1,
      check: 'available',
      timeoutMs: 2 * 3_600_000,
      commands: [],
    });
  });

  it('reads an ssm drill with a host by tags and its commands', () => {
    // Prepare / Act
    const result = parseConfig(
      withDrill(
        '{every: 1w, sample: 2, check: ssm, timeout: 3h, availability_zone: us-east-1b, host: {tags: {Role: drill-host}}, commands: ["fsck -n $DRILL_DEVICE"]}',
      ),
    );

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.config?.policies[0]?.drill).toMatchObject({
      sample: 2,
      check: 'ssm',
      timeoutMs: 3 * 3_600_000,
      availabilityZone: 'us-east-1b',
      host: { tags: { Role: 'drill-host' } },
      commands: ['fsck -n $DRILL_DEVICE'],
    });
  });

  it('leaves a policy without drill without one', () => {
    // Prepare / Act
    const result = parseConfig(withDrill('{every: 30 days}').replace(/ {4}drill: .*\n/, ''));

    // Assess
    expect(result.config?.policies[0]?.drill).toBeUndefined();
  });

  it.each([
    ['{check: available}', 'policies[0].drill.every: required'],
    ['{every: 30 dayz}', 'policies[0].drill.every: "30 dayz" is not a duration'],
    ['{every: 30 days, sample: 0}', 'policies[0].drill.sample: must be at least 1'],
    ['{every: 30 days, check: boot}', 'policies[0].drill.check'],
    ['{every: 30 days, timeout: 5m}', 'policies[0].drill.timeout: "5m" is outside 10m to 7d'],
    ['{every: 30 days, timeout: 8 days}', 'policies[0].drill.timeout: "8 days" is outside 10m to 7d'],
    [
      '{every: 30 days, host: {instance_id: i-0123456789abcdef0}}',
      'policies[0].drill.host: only with check: ssm (check is available)',
    ],
    [
      '{every: 30 days, check: initialized, commands: ["true"]}',
      'policies[0].drill.commands: only with check: ssm (check is initialized)',
    ],
    ['{every: 30 days, check: ssm, commands: ["true"]}', 'policies[0].drill.host: required with check: ssm'],
    [
      '{every: 30 days, check: ssm, host: {instance_id: i-0123456789abcdef0}}',
      'policies[0].drill.commands: required with check: ssm',
    ],
    [
      '{every: 30 days, check: ssm, host: {name: x}, commands: ["true"]}',
      'policies[0].drill.host.name: unknown key',
    ],
    [
      '{every: 30 days, check: ssm, host: {instance_id: i-0123456789abcdef0, tags: {A: b}}, commands: ["true"]}',
      'policies[0].drill.host: give exactly one of instance_id or tags',
    ],
    [
      '{every: 30 days, check: ssm, host: {tags: {}}, commands: ["true"]}',
      'policies[0].drill.host.tags: must name at least one tag',
    ],
    ['{every: 30 days, availability_zone: us-east-1}', 'is not an Availability Zone like "us-east-1a"'],
    ['{every: 30 days, retries: 2}', 'policies[0].drill.retries: unknown key'],
  ])('refuses %s', (drill, expected) => {
    // Prepare / Act
    const result = parseConfig(withDrill(drill));

    // Assess
    expect(result.config).toBeUndefined();
    expect(result.errors.join('\n')).toContain(expected);
  });

  it('warns when retention deletes snapshots sooner than every: the record would go with them', () => {
    // Prepare / Act
    const result = parseConfig(withDrill('{every: 30 days}', '{max_age: 14 days}'));

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'config.drill',
        message: expect.stringContaining('policies[0].drill.every'),
      }),
    ]);
  });
});
