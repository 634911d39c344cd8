import { describe, expect, it } from 'vitest';
import { patternsMayOverlap } from './overlap.js';
import { parseConfig } from './parse.js';

/** Parses policies given by their `select` (YAML flow text) and returns the overlap warnings. */
function overlapWarnings(...selects: string[]): readonly string[] {
  const policies = selects
    .map(
      (select, index) =>
        `  - {id: p${index}, select: ${select}, schedule: {every: 1 day}, retention: {max_age: 7 days}}\n`,
    )
    .join('');
  const result = parseConfig(`version: 1\npolicies:\n${policies}`);
  expect(result.errors).toEqual([]);
  return result.warnings.map((w) => w.message);
}

const SAME_VOLUMES =
  'policies "p1" and "p0" (policies[1] and policies[0]) may select the same volumes: each keeps its own series';

describe('overlap warnings', () => {
  it('warns when both select the same tag value', () => {
    const warnings = overlapWarnings('{instances: {tag:Role: web}}', '{instances: {tag:Role: [db, web]}}');
    expect(warnings).toEqual([SAME_VOLUMES]);
  });

  it('stays quiet when the same tag key has different values', () => {
    const warnings = overlapWarnings('{instances: {tag:Role: web}}', '{instances: {tag:Role: db}}');
    expect(warnings).toEqual([]);
  });

  it('warns when a wildcard covers the other value', () => {
    const warnings = overlapWarnings('{instance_names: [web-*]}', '{instances: {tag:Name: web-01}}');
    expect(warnings).toEqual([SAME_VOLUMES]);
  });

  it('stays quiet when wildcards cannot meet', () => {
    const warnings = overlapWarnings('{instance_names: [web-*]}', '{instance_names: [db-*]}');
    expect(warnings).toEqual([]);
  });

  it('warns when one policy does not narrow the dimension the other uses', () => {
    const warnings = overlapWarnings('{instances: {tag:Role: web}}', '{instances: {tag:Env: prod}}');
    expect(warnings).toEqual([SAME_VOLUMES]);
  });

  it('warns when a volume-targeted policy meets an instance-targeted one', () => {
    const warnings = overlapWarnings('{instances: {tag:Role: web}}', '{volumes: {tag:Backup: "true"}}');
    expect(warnings).toEqual([SAME_VOLUMES]);
  });

  it('stays quiet for different Auto Scaling groups', () => {
    const warnings = overlapWarnings('{asg: [web-asg]}', '{asg: db-asg}');
    expect(warnings).toEqual([]);
  });

  it('treats instance_ids and the instance-id filter as one dimension', () => {
    const disjoint = overlapWarnings(
      '{instance_ids: [i-0123456789abcdef0]}',
      '{instances: {instance-id: i-0fedcba9876543210}}',
    );
    const same = overlapWarnings(
      '{instance_ids: [i-0123456789abcdef0]}',
      '{instances: {instance-id: i-0123456789abcdef0}}',
    );
    expect(disjoint).toEqual([]);
    expect(same).toEqual([SAME_VOLUMES]);
  });

  it('stays quiet when one policy excludes every instance the other selects', () => {
    const warnings = overlapWarnings(
      '{instances: {tag:Role: web}, exclude: {instance_ids: [i-0123456789abcdef0]}}',
      '{instance_ids: [i-0123456789abcdef0]}',
    );
    expect(warnings).toEqual([]);
  });

  it('reports every overlapping pair, later policy first', () => {
    const warnings = overlapWarnings(
      '{instances: {tag:Role: web}}',
      '{instances: {tag:Role: db}}',
      '{asg: [any]}',
    );
    expect(warnings).toEqual([
      'policies "p2" and "p0" (policies[2] and policies[0]) may select the same volumes: each keeps its own series',
      'policies "p2" and "p1" (policies[2] and policies[1]) may select the same volumes: each keeps its own series',
    ]);
  });
});

describe('patternsMayOverlap', () => {
  it.each([
    ['web', 'web', true],
    ['web', 'db', false],
    ['web-*', 'web-01', true],
    ['web-01', 'web-*', true],
    ['web-?', 'web-01', false],
    ['web-??', 'web-01', true],
    ['web-*', 'db-*', false],
    ['web-*', '*-prod', true],
    ['*-prod', '*-test', false],
    ['*', 'anything', true],
    ['a.b', 'axb', false],
  ])('%j and %j → %s', (a, b, expected) => {
    expect(patternsMayOverlap(a, b)).toBe(expected);
  });
});
