import { describe, expect, it } from 'vitest';
import { fleet, manual, series, spaced } from '../../test/support/builders/fleet.js';
import { actionFor, creates, deletedIds } from '../../test/support/builders/plan-queries.js';
import { DAY, HOUR, policy } from '../../test/support/builders/policy.js';
import { TAG } from './model.js';
import { planSnapshots } from './plan.js';

const now = Date.parse('2024-05-10T12:00:00Z');
const options = { now, runId: 'run-1' };
const web = policy({ id: 'web', select: { instances: { 'tag:Role': 'web' } }, every: '12h' });

describe('planSnapshots: due', () => {
  it('takes the first snapshot of a new volume (due.first)', () => {
    // Prepare
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .build();

    // Act
    const plan = planSnapshots(inventory, [web], options);

    // Assess
    expect(creates(plan)).toHaveLength(1);
    expect(creates(plan)[0]).toMatchObject({
      volumeId: 'vol-0001',
      instanceId: 'i-web-1',
      device: '/dev/xvda',
    });
    expect(creates(plan)[0]!.reason.code).toBe('due.first');
    expect(plan.summary).toEqual({ create: 1, copy: 0, delete: 0, keep: 0, skip: 0 });
  });

  it('does not let a manual snapshot newer than `every` suppress the schedule', () => {
    // Prepare
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .snapshots(series('web', [now - 13 * HOUR]))
      .snapshots(manual([now - HOUR]))
      .build();

    // Act
    const plan = planSnapshots(inventory, [web], options);

    // Assess
    expect(creates(plan).map((c) => c.reason.code)).toEqual(['due.interval']);
    const manualSnapshot = inventory.snapshots[1]!;
    expect(actionFor(plan, manualSnapshot.id).reason.code).toBe('protected.unmanaged');
  });

  it('neither counts nor deletes another policy’s snapshots', () => {
    // Prepare
    const other = policy({
      id: 'other',
      select: { instances: { 'tag:Role': 'db' } },
      every: '1d',
      retention: { minimum: 5 },
    });
    const strict = policy({ ...webInput(), retention: { minimum: 1, maxAge: '1d' } });
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .snapshots(series('other', spaced(5, DAY, { from: now - HOUR })))
      .build();

    // Act
    const plan = planSnapshots(inventory, [strict, other], options);

    // Assess: 'web' has no snapshot of its own, so it is due for the first; nothing is deleted
    // although 'other' has 5 snapshots older than web's max_age, and 'other' keeps its minimum.
    expect(creates(plan).map((c) => [c.policy, c.reason.code])).toEqual([['web', 'due.first']]);
    expect(deletedIds(plan)).toEqual([]);
    expect(plan.actions.filter((a) => a.policy === 'other' && a.action === 'keep')).toHaveLength(5);
  });

  it('gives two policies on one volume two independent series', () => {
    // Prepare
    const hourly = policy({ id: 'hourly', select: { instances: { 'tag:Role': 'web' } }, every: '1h' });
    const daily = policy({
      id: 'daily',
      select: { instances: { 'tag:Role': 'web' } },
      every: '1d',
      retention: { minimum: 2 },
    });
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .snapshots(series('hourly', spaced(3, HOUR, { from: now - 2 * HOUR })))
      .snapshots(series('daily', spaced(3, DAY, { from: now - HOUR })))
      .build();

    // Act
    const plan = planSnapshots(inventory, [hourly, daily], options);

    // Assess: hourly is due (its newest is 2 h old), daily is not (1 h old);
    // hourly keeps 1 of 3, daily keeps 2 of 3.
    expect(creates(plan).map((c) => c.policy)).toEqual(['hourly']);
    expect(plan.actions.find((a) => a.action === 'skip')?.policy).toBe('daily');
    expect(plan.actions.filter((a) => a.action === 'delete').map((a) => a.policy)).toEqual([
      'daily',
      'hourly',
      'hourly',
    ]);
    expect(
      plan.warnings.filter(
        (w) => w.code === 'plan.overlap' && w.message.includes('selected by policies daily + hourly'),
      ),
    ).toHaveLength(1);
  });

  it('never touches snapshots of another account', () => {
    // Prepare
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .snapshots(series('web', spaced(4, DAY, { from: now - DAY }), { ownerId: '999999999999' }))
      .build();

    // Act
    const plan = planSnapshots(inventory, [web], options);

    // Assess: not ours, so not counted either: the volume is due for its first snapshot.
    expect(deletedIds(plan)).toEqual([]);
    expect(plan.actions.filter((a) => a.reason.code === 'protected.foreign')).toHaveLength(4);
    expect(creates(plan)[0]!.reason.code).toBe('due.first');
  });
});

describe('planSnapshots: the plan', () => {
  it('orders actions by policy, volume, then snapshot start', () => {
    // Prepare
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume({ id: 'vol-b' })
      .snapshots(series('web', [now - 2 * DAY, now - 3 * DAY]))
      .volume({ id: 'vol-a', device: '/dev/xvdf' })
      .snapshots(series('web', [now - DAY]))
      .build();

    // Act
    const plan = planSnapshots(inventory, [web], options);

    // Assess
    expect(plan.actions.map((a) => [a.action, a.volumeId, 'snapshotId' in a ? a.snapshotId : ''])).toEqual([
      ['create', 'vol-a', ''],
      ['keep', 'vol-a', 'snap-0003'],
      ['create', 'vol-b', ''],
      ['delete', 'vol-b', 'snap-0002'],
      ['keep', 'vol-b', 'snap-0001'],
    ]);
    expect(plan).toMatchObject({ now: '2024-05-10T12:00:00.000Z', runId: 'run-1' });
  });

  it('warns about a policy that selects no volume and about unknown policy tags', () => {
    // Prepare
    const inventory = fleet()
      .instance('db-1', { tags: { Role: 'db' } })
      .volume()
      .snapshots(series('gone', [now - DAY]))
      .build();

    // Act
    const plan = planSnapshots(inventory, [web], options);

    // Assess
    expect(plan.warnings).toContainEqual({
      code: 'plan.selects-nothing',
      message: 'policy web: selects no volume',
    });
    expect(plan.warnings.some((w) => w.code === 'plan.unknown-policy' && w.message.includes('"gone"'))).toBe(
      true,
    );
    expect(actionFor(plan, 'snap-0002').reason.code).toBe('protected.unmanaged');
  });

  it('tags each create with the ownership contract', () => {
    // Prepare
    const p = policy({ ...webInput(), retention: { maxAge: '14d' } });
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .build();

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(creates(plan)[0]!.tags).toEqual({
      [TAG.policy]: 'web',
      [TAG.volumeId]: 'vol-0001',
      [TAG.instanceId]: 'i-web-1',
      [TAG.device]: '/dev/xvda',
      [TAG.expiresAt]: '2024-05-24T12:00:00.000Z',
      [TAG.runId]: 'run-1',
    });
    expect(creates(plan)[0]!.description).toBe('web vol-0001 from i-web-1');
  });

  it('plans one create per volume with consistency instance, and volume consistency when detached', () => {
    // Prepare
    const p = policy({ ...webInput(), snapshot: { consistency: 'instance' } });
    const q = policy({
      id: 'data',
      select: { volumes: { 'tag:Backup': 'true' } },
      snapshot: { consistency: 'instance' },
    });
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .volume({ device: '/dev/xvdf' })
      .detachedVolume({ tags: { Backup: 'true' } })
      .build();

    // Act
    const plan = planSnapshots(inventory, [p, q], options);

    // Assess
    expect(creates(plan).map((c) => [c.policy, c.volumeId, c.consistency])).toEqual([
      ['data', 'vol-0003', 'volume'],
      ['web', 'vol-0001', 'instance'],
      ['web', 'vol-0002', 'instance'],
    ]);
  });
});

function webInput() {
  return { id: 'web', select: { instances: { 'tag:Role': 'web' } }, every: '12h' } as const;
}
