import { describe, expect, it } from 'vitest';
import { fleet, series, spaced } from '../../test/support/builders/fleet.js';
import { actionFor, deletedIds } from '../../test/support/builders/plan-queries.js';
import { DAY, policy } from '../../test/support/builders/policy.js';
import { imageId, snapshotId } from './model.js';
import { planSnapshots } from './plan.js';

const now = Date.parse('2024-05-10T12:00:00Z');
const options = { now, runId: 'r' };
const p = policy({
  id: 'p',
  select: { instances: { 'tag:Role': 'web' } },
  every: '1d',
  retention: { minimum: 2, maxAge: '7d' },
});

/** Daily snapshots of policy `p`, newest first, the oldest `archived` of them in the archive tier since `archivedAt`. */
function withArchived(count: number, archived: number, archivedAt: number | undefined) {
  const times = spaced(count, DAY, { from: now - DAY });
  const inventory = fleet()
    .instance('web-1', { tags: { Role: 'web' } })
    .volume()
    .snapshots(series('p', times.slice(0, count - archived)))
    .snapshots(
      series('p', times.slice(count - archived), {
        storageTier: 'archive',
        ...(archivedAt === undefined ? {} : { archivedAt }),
      }),
    )
    .build();
  return { inventory, ids: inventory.snapshots.map((s) => s.id as string) };
}

describe('snapshots in the archive tier', () => {
  it('are kept until 90 days in the archive have passed (protected.archive-minimum)', () => {
    // Prepare: 30 daily snapshots (max_age 7d keeps the 6 youngest), the 5 oldest archived 89 days ago
    const { inventory, ids } = withArchived(30, 5, now - 89 * DAY);
    const archived = ids.slice(25);

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    for (const id of archived) {
      expect(actionFor(plan, id)).toMatchObject({
        action: 'keep',
        reason: { code: 'protected.archive-minimum' },
      });
    }
    expect(actionFor(plan, archived[0]!).reason.message).toContain('kept until 2024-05-11T12:00:00.000Z');
    expect(deletedIds(plan)).toEqual(ids.slice(6, 25).sort());
  });

  it('are deleted by retention once their 90 days in the archive have passed', () => {
    // Prepare
    const { inventory, ids } = withArchived(30, 5, now - 90 * DAY);

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(deletedIds(plan)).toEqual(ids.slice(6).sort());
    expect(plan.actions.some((a) => a.reason.code === 'protected.archive-minimum')).toBe(false);
  });

  it('are kept while the time they reached the archive is unknown', () => {
    // Prepare
    const { inventory, ids } = withArchived(10, 2, undefined);

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(actionFor(plan, ids[9]!).reason.message).toContain('unknown time');
    expect(deletedIds(plan)).toEqual(ids.slice(6, 8).sort());
  });

  it('count toward the minimum like any kept completed snapshot', () => {
    // Prepare: the two newest are archived (an odd but possible state); minimum 2 is met by them
    const times = spaced(4, DAY, { from: now - 20 * DAY });
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .snapshots(series('p', times.slice(0, 2), { storageTier: 'archive', archivedAt: now - DAY }))
      .snapshots(series('p', times.slice(2)))
      .build();
    const ids = inventory.snapshots.map((s) => s.id as string);

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(actionFor(plan, ids[0]!).reason.code).toBe('protected.archive-minimum');
    expect(deletedIds(plan)).toEqual(ids.slice(2).sort());
  });

  it('name an AMI first when an archived snapshot also backs one', () => {
    // Prepare
    const { inventory: base, ids } = withArchived(10, 1, now - DAY);
    const inventory = { ...base, images: [{ id: imageId('ami-1'), snapshotIds: [snapshotId(ids[9]!)] }] };

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(actionFor(plan, ids[9]!).reason.code).toBe('protected.ami');
  });
});
