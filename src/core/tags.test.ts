import { describe, expect, it } from 'vitest';
import { fleet } from '../../test/support/builders/fleet.js';
import { creates } from '../../test/support/builders/plan-queries.js';
import { policy } from '../../test/support/builders/policy.js';
import { MAX_TAGS, TAG } from './model.js';
import { planSnapshots } from './plan.js';
import { fillPlaceholders, labelSnapshot, mergeWithinLimit } from './tags.js';

const context = { runId: 'run-7', date: '2024-05-10', expiresAt: '2024-05-24T12:00:00.000Z' };
const many = (prefix: string, count: number) =>
  Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`${prefix}${String(i).padStart(2, '0')}`, 'v']),
  );

describe('labelSnapshot', () => {
  const inventory = fleet()
    .instance('web-1', { tags: { Role: 'web', Owner: 'ops', 'aws:autoscaling:groupName': 'asg' } })
    .volume({
      device: '/dev/xvdf',
      tags: { Owner: 'data', 'aws:cloudformation:stack-name': 's', [TAG.policy]: 'x' },
    })
    .build();
  const [instance] = inventory.instances;
  const [volume] = inventory.volumes;

  it('copies instance and volume tags, the volume winning, without aws: or ebs-snapper: keys', () => {
    // Prepare
    const p = policy({
      id: 'web',
      select: { instanceNames: ['*'] },
      snapshot: { copyTags: 'instance+volume' },
    });

    // Act
    const { tags, droppedTags } = labelSnapshot(p, volume!, instance, '/dev/xvdf', context);

    // Assess
    expect(tags).toEqual({
      [TAG.policy]: 'web',
      [TAG.volumeId]: 'vol-0001',
      [TAG.instanceId]: 'i-web-1',
      [TAG.device]: '/dev/xvdf',
      [TAG.expiresAt]: '2024-05-24T12:00:00.000Z',
      [TAG.runId]: 'run-7',
      Owner: 'data',
      Name: 'web-1',
      Role: 'web',
    });
    expect(droppedTags).toEqual([]);
  });

  it('copies only volume tags with copy_tags: volume, and none with none', () => {
    // Prepare
    const volumeOnly = policy({
      id: 'web',
      select: { instanceNames: ['*'] },
      snapshot: { copyTags: 'volume' },
    });
    const none = policy({ id: 'web', select: { instanceNames: ['*'] } });

    // Act
    const a = labelSnapshot(volumeOnly, volume!, instance, '/dev/xvdf', context).tags;
    const b = labelSnapshot(none, volume!, instance, '/dev/xvdf', context).tags;

    // Assess
    expect(Object.keys(a).filter((k) => !k.startsWith('ebs-snapper:'))).toEqual(['Owner']);
    expect(Object.keys(b).filter((k) => !k.startsWith('ebs-snapper:'))).toEqual([]);
  });

  it('fills placeholders in extra tags and the description; detached volumes have none', () => {
    // Prepare
    const p = policy({
      id: 'data',
      select: { volumes: { 'tag-key': 'Owner' } },
      snapshot: { tags: { Name: '{policy}-{volume_id}-{date}', Where: '{instance_id}{device}' } },
    });

    // Act
    const attached = labelSnapshot(p, volume!, instance, '/dev/xvdf', context);
    const detached = labelSnapshot(p, volume!, undefined, undefined, { runId: 'r', date: '2024-05-10' });

    // Assess
    expect(attached.tags).toMatchObject({ Name: 'data-vol-0001-2024-05-10', Where: 'i-web-1/dev/xvdf' });
    expect(attached.description).toBe('data vol-0001 from i-web-1');
    expect(detached.tags).toMatchObject({ Where: '' });
    expect(detached.description).toBe('data vol-0001 from ');
    expect(detached.tags[TAG.instanceId]).toBeUndefined();
    expect(detached.tags[TAG.expiresAt]).toBeUndefined();
  });

  it('keeps at most 50 tags: the tool’s own first, then extra, volume, instance; drops deterministically', () => {
    // Prepare: 6 tool tags + 20 extra + 20 volume + 20 instance = 66
    const big = fleet()
      .instance('i', { tags: many('i', 19) })
      .volume({ tags: many('v', 20) })
      .build();
    const p = policy({
      id: 'web',
      select: { instanceNames: ['*'] },
      snapshot: { copyTags: 'instance+volume', tags: many('e', 20) },
    });

    // Act
    const first = labelSnapshot(p, big.volumes[0]!, big.instances[0], '/dev/xvda', context);
    const again = labelSnapshot(p, big.volumes[0]!, big.instances[0], '/dev/xvda', context);

    // Assess: 4 instance tags fit (Name, i00, i01, i02 sorted: 'Name' < 'i..'); 16 dropped from the end
    expect(Object.keys(first.tags)).toHaveLength(MAX_TAGS);
    expect(
      Object.keys(first.tags)
        .slice(0, 6)
        .every((k) => k.startsWith('ebs-snapper:')),
    ).toBe(true);
    expect(first.tags).toMatchObject({ e19: 'v', v19: 'v', Name: 'i', i00: 'v', i02: 'v' });
    expect(first.droppedTags).toEqual([
      'i18',
      'i17',
      'i16',
      'i15',
      'i14',
      'i13',
      'i12',
      'i11',
      'i10',
      'i09',
      'i08',
      'i07',
      'i06',
      'i05',
      'i04',
      'i03',
    ]);
    expect(again).toEqual(first);
  });
});

describe('mergeWithinLimit', () => {
  it('never drops the fixed tags and drops lower groups first', () => {
    // Prepare / Act
    const { tags, dropped } = mergeWithinLimit({ a: '1', b: '2' }, [{ c: '3', d: '4' }, { e: '5' }], 3);

    // Assess
    expect(tags).toEqual({ a: '1', b: '2', c: '3' });
    expect(dropped).toEqual(['e', 'd']);
  });

  it('does not overwrite a key from a higher group and does not report it dropped', () => {
    // Prepare / Act
    const { tags, dropped } = mergeWithinLimit({ a: '1' }, [{ a: 'x', b: '2' }, { b: 'y' }], 50);

    // Assess
    expect(tags).toEqual({ a: '1', b: '2' });
    expect(dropped).toEqual([]);
  });
});

describe('fillPlaceholders', () => {
  it('leaves unknown placeholders as they are', () => {
    // Prepare
    const values = { instance_id: 'i-1', volume_id: 'vol-1', device: '', policy: 'p', date: '2024-01-02' };

    // Act / Assess
    expect(fillPlaceholders('{policy}/{unknown}/{date}', values)).toBe('p/{unknown}/2024-01-02');
  });
});

describe('consistency: instance (one CreateSnapshots call for the set)', () => {
  const estate = fleet()
    .instance('db-1', { tags: { Role: 'db', Owner: 'ops', Team: 'data' } })
    .volume({ id: 'vol-root', device: '/dev/xvda', tags: { Owner: 'root-owner' } })
    .volume({ id: 'vol-data', device: '/dev/xvdf', tags: { Purpose: 'pgdata' } })
    .build();
  const setPolicy = policy({
    id: 'db',
    select: { instanceNames: ['*'] },
    snapshot: {
      consistency: 'instance',
      copyTags: 'instance+volume',
      tags: { Backup: '{policy}-{date}', Disk: '{volume_id}' },
    },
  });

  it("copies each volume's own tags through EC2 and names what one shared tag list cannot carry", () => {
    // Act
    const plan = planSnapshots(estate, [setPolicy], {
      now: Date.parse('2024-05-10T12:00:00Z'),
      runId: 'r-1',
    });
    const [root, data] = creates(plan);

    // Assess: the shared list has what both members agree on; Owner stays the volume's (copied)
    for (const create of [root!, data!]) {
      expect(create.copyVolumeTags).toBe(true);
      expect(create.tags).toEqual({
        [TAG.policy]: 'db',
        [TAG.instanceId]: 'i-db-1',
        [TAG.runId]: 'r-1',
        Backup: 'db-2024-05-10',
        Name: 'db-1',
        Role: 'db',
        Team: 'data',
      });
      expect(create.droppedTags).toEqual([TAG.device, 'Disk']);
    }
  });

  it('does not copy volume tags when the biggest volume would not fit in 50 with the shared ones', () => {
    // Prepare
    const crowded = fleet()
      .instance('db-1')
      .volume({ device: '/dev/xvda', tags: many('k', 48) })
      .build();

    // Act
    const plan = planSnapshots(crowded, [setPolicy], {
      now: Date.parse('2024-05-10T12:00:00Z'),
      runId: 'r-1',
    });
    const [create] = creates(plan);

    // Assess
    expect(create!.copyVolumeTags).toBe(false);
    expect(create!.droppedTags).toContain('k00');
    expect(Object.keys(create!.tags).length).toBeLessThanOrEqual(MAX_TAGS);
  });
});
