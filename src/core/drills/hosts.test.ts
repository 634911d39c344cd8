import { describe, expect, it } from 'vitest';
import { fleet } from '../../../test/support/builders/fleet.js';
import { instanceId } from '../model.js';
import { freeDevices, hostCandidates } from './hosts.js';

describe('drill hosts and devices', () => {
  it('offers /dev/sdz downwards, leaving out what the host’s volumes use in either spelling', () => {
    // Prepare: the host has /dev/xvda, /dev/xvdz and /dev/sdy
    const inventory = fleet()
      .instance('host', {})
      .volume({ device: '/dev/xvda' })
      .volume({ device: '/dev/xvdz' })
      .volume({ device: '/dev/sdy' })
      .build();

    // Act
    const free = freeDevices(inventory, instanceId('i-host'), new Set(['/dev/sdx']));

    // Assess
    expect(free.slice(0, 2)).toEqual(['/dev/sdw', '/dev/sdv']);
    expect(free).toHaveLength(21 - 3);
    expect(free.at(-1)).toBe('/dev/sdf');
  });

  it('hosts on running instances only, by id or by every tag, in the zone when one is given', () => {
    // Prepare
    const inventory = fleet()
      .instance('a', { tags: { Role: 'drill' }, az: 'eu-west-1a' })
      .instance('b', { tags: { Role: 'drill' }, az: 'eu-west-1b' })
      .instance('c', { tags: { Role: 'drill' }, az: 'eu-west-1a', state: 'stopped' })
      .instance('d', { tags: { Role: 'web' }, az: 'eu-west-1a' })
      .build();

    // Act
    const byTags = hostCandidates(inventory, { tags: { Role: 'drill' } }, undefined, 'seed');
    const inZone = hostCandidates(inventory, { tags: { Role: 'drill' } }, 'eu-west-1b', 'seed');
    const byId = hostCandidates(inventory, { instanceId: 'i-c' }, undefined, 'seed');

    // Assess
    expect(byTags.map((i) => i.id).sort()).toEqual(['i-a', 'i-b']);
    expect(inZone.map((i) => i.id)).toEqual(['i-b']);
    expect(byId).toEqual([]);
  });
});
