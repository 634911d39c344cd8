import { describe, expect, it } from 'vitest';
import { fleet } from '../../test/support/builders/fleet.js';
import { policy, type SelectInput } from '../../test/support/builders/policy.js';
import type { Inventory } from './model.js';
import { parseConfig } from './policy/parse.js';
import { compileMatcher, compileSelection, indexInventory, selectVolumes } from './select.js';

/** Ids of the volumes a selection covers, sorted. */
function selected(inventory: Inventory, select: SelectInput): string[] {
  const selection = compileSelection(policy({ id: 'p', select }).select);
  return selectVolumes(selection, indexInventory(inventory))
    .map((t) => t.volume.id as string)
    .sort();
}

const estate = fleet()
  .instance('web-1', { tags: { Role: 'web', Env: 'prod' }, asg: 'web-asg', type: 't3.small' })
  .volume({ id: 'vol-web1-root', device: '/dev/xvda' })
  .volume({ id: 'vol-web1-data', device: '/dev/xvdf', tags: { Backup: 'true' } })
  .instance('web-2', { tags: { Role: 'web', Env: 'staging' }, asg: 'web-asg' })
  .volume({ id: 'vol-web2-root', device: '/dev/xvda' })
  .instance('db-1', { tags: { Role: 'db', Env: 'prod', 'ebs-snapper:exclude': 'true' } })
  .volume({ id: 'vol-db1-root', device: '/dev/xvda' })
  .instance('old-1', { tags: { Role: 'web' }, state: 'terminated' })
  .volume({ id: 'vol-old1-root', device: '/dev/xvda' })
  .instance('worker-1', { tags: { Role: 'Web' }, state: 'stopped' })
  .volume({ id: 'vol-worker1-root', device: '/dev/sda1', type: 'io2', size: 100, encrypted: true })
  .detachedVolume({ id: 'vol-spare', tags: { Backup: 'true' } })
  .detachedVolume({ id: 'vol-scratch', tags: { Backup: 'false' } })
  .build();

describe('selection', () => {
  it('selects by a tag with wildcards, case-sensitively, skipping terminated instances', () => {
    // Prepare / Act
    const byTag = selected(estate, { instances: { 'tag:Role': 'w?b' } });
    const byEnv = selected(estate, { instances: { 'tag:Env': ['prod', 'stag*'] } });

    // Assess: 'Web' is another value; old-1 is terminated
    expect(byTag).toEqual(['vol-web1-data', 'vol-web1-root', 'vol-web2-root']);
    expect(byEnv).toEqual(['vol-db1-root', 'vol-web1-data', 'vol-web1-root', 'vol-web2-root']);
  });

  it('selects by instance name, instance id and ASG, AND across keys', () => {
    // Prepare / Act
    const names = selected(estate, { instanceNames: ['web-*'] });
    const ids = selected(estate, { instanceIds: ['i-db-1'] });
    const asg = selected(estate, { asg: ['web-asg'], instances: { 'tag:Env': 'prod' } });

    // Assess
    expect(names).toEqual(['vol-web1-data', 'vol-web1-root', 'vol-web2-root']);
    expect(ids).toEqual(['vol-db1-root']);
    expect(asg).toEqual(['vol-web1-data', 'vol-web1-root']);
  });

  it('selects by instance state, type and tag-key', () => {
    // Prepare / Act
    const stopped = selected(estate, { instances: { 'instance-state-name': 'stopped' } });
    const small = selected(estate, { instances: { 'instance-type': 't3.*' } });
    const envTagged = selected(estate, { instances: { 'tag-key': 'Env' }, instanceNames: ['db-*'] });

    // Assess
    expect(stopped).toEqual(['vol-worker1-root']);
    expect(small).toEqual(['vol-web1-data', 'vol-web1-root']);
    expect(envTagged).toEqual(['vol-db1-root']);
  });

  it('covers detached volumes with a volume-targeted policy', () => {
    // Prepare / Act
    const backup = selected(estate, { volumes: { 'tag:Backup': 'true' } });
    const bigEncrypted = selected(estate, {
      volumes: { size: '100', encrypted: 'true', 'volume-type': 'io*' },
    });
    const available = selected(estate, { volumes: { status: 'available' } });

    // Assess
    expect(backup).toEqual(['vol-spare', 'vol-web1-data']);
    expect(bigEncrypted).toEqual(['vol-worker1-root']);
    expect(available).toEqual(['vol-scratch', 'vol-spare']);
  });

  it('combines instance and volume selectors: attached to a match and matching itself', () => {
    // Prepare / Act
    const both = selected(estate, { instances: { 'tag:Role': 'web' }, volumes: { 'tag:Backup': 'true' } });

    // Assess: the detached vol-spare is not attached to a web instance
    expect(both).toEqual(['vol-web1-data']);
  });

  it('honours every exclusion: boot volume, volume ids, instance ids, tags on volume or instance', () => {
    // Prepare
    const all = { instances: { 'tag:Env': '*' } };

    // Act
    const noBoot = selected(estate, { ...all, exclude: { bootVolume: true } });
    const noIds = selected(estate, {
      ...all,
      exclude: { volumeIds: ['vol-web1-data'], instanceIds: ['i-web-2'] },
    });
    const noTagged = selected(estate, {
      ...all,
      exclude: { tags: { 'ebs-snapper:exclude': 'true', Backup: 'true' } },
    });

    // Assess
    expect(noBoot).toEqual(['vol-web1-data']);
    expect(noIds).toEqual(['vol-db1-root', 'vol-web1-root']);
    expect(noTagged).toEqual(['vol-web1-root', 'vol-web2-root']);
  });

  it('selects nothing, with a problem, for an unsupported filter or no selector', () => {
    // Prepare
    const unsupported = compileSelection(
      policy({ id: 'p', select: { instances: { 'vpc-id': 'vpc-1' } } }).select,
    );
    const none = compileSelection(policy({ id: 'p', select: {} }).select);

    // Act
    const targets = selectVolumes(unsupported, indexInventory(estate));

    // Assess
    expect(targets).toEqual([]);
    expect(unsupported.problems).toEqual(['instances filter "vpc-id" is not supported']);
    expect(none.problems).toEqual(['no selector given']);
  });

  it('returns the instance and device a volume was selected through', () => {
    // Prepare / Act
    const selection = compileSelection(policy({ id: 'p', select: { instanceNames: ['web-1'] } }).select);
    const targets = selectVolumes(selection, indexInventory(estate));

    // Assess
    expect(targets.map((t) => [t.volume.id, t.instance?.id, t.device])).toEqual([
      ['vol-web1-root', 'i-web-1', '/dev/xvda'],
      ['vol-web1-data', 'i-web-1', '/dev/xvdf'],
    ]);
  });
});

describe('compileMatcher', () => {
  it.each([
    ['web-*', 'web-1', true],
    ['web-*', 'Web-1', false],
    ['web-?', 'web-12', false],
    ['*', '', true],
    ['a.b', 'axb', false],
    ['a\\*', 'a*', true],
    ['a\\*', 'ab', false],
    ['(x)*', '(x)yz', true],
  ])('%s matches %s: %s', (pattern, value, expected) => {
    // Prepare / Act / Assess
    expect(compileMatcher([pattern])(value)).toBe(expected);
  });

  it('accepts every volume filter it can evaluate, the attachment ones included', () => {
    // Prepare
    const { config, errors } = parseConfig(
      'version: 1\npolicies:\n  - {id: data, select: {volumes: {attachment.device: /dev/xvdf}}, schedule: {every: 1d}, retention: {minimum: 1}}\n',
    );

    // Act
    const selection = compileSelection(config!.policies[0]!.select);
    const ids = selectVolumes(selection, indexInventory(estate)).map((t) => t.volume.id);

    // Assess
    expect(errors).toEqual([]);
    expect(selection.problems).toEqual([]);
    expect(ids).toEqual(['vol-web1-data']);
  });
});
