import { describe, expect, it } from 'vitest';
import { fleet, manual, series, spaced } from '../../test/support/builders/fleet.js';
import { creates, deletedIds } from '../../test/support/builders/plan-queries.js';
import { DAY, HOUR, policy } from '../../test/support/builders/policy.js';
import { resolveGuardLimit, stoppedDeletes } from './guard.js';
import { planSnapshots } from './plan.js';

const now = Date.parse('2024-05-10T12:00:00Z');
const p = policy({ id: 'p', select: { instanceNames: ['*'] }, every: '12h', retention: { minimum: 1 } });

/** Two volumes with 5 snapshots each (13 h apart, so both are due): 8 deletes wanted. */
const inventory = fleet()
  .instance('a')
  .volume()
  .snapshots(series('p', spaced(5, DAY, { from: now - 13 * HOUR })))
  .volume({ device: '/dev/xvdf' })
  .snapshots(series('p', spaced(5, DAY, { from: now - 13 * HOUR })))
  .snapshots(manual([now - 30 * DAY]))
  .build();

describe('guard', () => {
  it('blocks every delete in the account × region and still lets creates through', () => {
    // Prepare / Act
    const plan = planSnapshots(inventory, [p], { now, runId: 'r', guard: { kind: 'count', count: 7 } });

    // Assess
    expect(deletedIds(plan)).toEqual([]);
    expect(creates(plan)).toHaveLength(2);
    expect(plan.guard).toEqual({ tripped: true, limit: 7, wanted: 8 });
    expect(plan.actions.filter((a) => a.reason.code === 'guard.max-deletes')).toHaveLength(8);
    expect(plan.warnings.some((w) => w.code === 'plan.guard')).toBe(true);
  });

  it('lets the deletes through at the limit', () => {
    // Prepare / Act
    const plan = planSnapshots(inventory, [p], { now, runId: 'r', guard: { kind: 'count', count: 8 } });

    // Assess
    expect(deletedIds(plan)).toHaveLength(8);
    expect(plan.guard).toEqual({ tripped: false, limit: 8, wanted: 8 });
  });

  it('takes a percent of the managed snapshots only (ours, of configured policies), rounded down', () => {
    // Prepare / Act: 10 managed (the manual one does not count); 79% of 10 = 7
    const plan = planSnapshots(inventory, [p], { now, runId: 'r', guard: { kind: 'percent', percent: 79 } });

    // Assess
    expect(plan.guard).toEqual({ tripped: true, limit: 7, wanted: 8 });
  });

  it('is absent from the plan when no limit is configured', () => {
    // Prepare / Act
    const plan = planSnapshots(inventory, [p], { now, runId: 'r' });

    // Assess
    expect(plan.guard).toBeUndefined();
    expect(resolveGuardLimit({ kind: 'percent', percent: 10 }, 1234)).toBe(123);
  });
});

describe('deletes held when delete safety cannot be checked', () => {
  it('keeps every snapshot it would delete, says why, and still creates', () => {
    // Prepare: DescribeImages was refused, so an AMI-backed snapshot could not be told apart
    const partial = {
      ...inventory,
      images: [],
      gaps: [{ resource: 'images', error: 'DescribeImages: UnauthorizedOperation' }],
    };

    // Act
    const plan = planSnapshots(partial, [p], { now, runId: 'r' });

    // Assess
    expect(deletedIds(plan)).toEqual([]);
    expect(creates(plan)).toHaveLength(2);
    expect(plan.actions.filter((a) => a.reason.code === 'guard.unverified')).toHaveLength(8);
    expect(plan.deletesHeld).toEqual(['images (DescribeImages: UnauthorizedOperation)']);
    expect(stoppedDeletes(plan)).toBe(true);
    expect(plan.warnings.map((w) => w.code)).toContain('plan.deletes-held');
  });

  it('is absent when every listing was read', () => {
    // Prepare / Act
    const plan = planSnapshots(inventory, [p], { now, runId: 'r' });

    // Assess
    expect(plan.deletesHeld).toBeUndefined();
    expect(stoppedDeletes(plan)).toBe(false);
  });
});
