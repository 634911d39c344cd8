import { describe, expect, it } from 'vitest';
import {
  compareCalls,
  minimumInventoryCalls,
  minimumRunCalls,
  pagesFor,
  ratioOf,
  totalCalls,
  withoutActions,
} from '../../bench/support/minimum.js';
import { allowedCalls, floorSeconds, idealSeconds } from '../../bench/support/throughput.js';

describe('the minimum calls of SPEC §8', () => {
  it('pages each listing at its largest page, and an empty listing still costs one call', () => {
    // Prepare
    const listed = { instances: 10_000, volumes: 30_000, snapshots: 994_921, images: 0 };

    // Act
    const calls = minimumInventoryCalls(listed);

    // Assess
    expect(calls).toEqual({
      DescribeInstances: 10,
      DescribeVolumes: 60,
      DescribeSnapshots: 995,
      DescribeImages: 1,
      DescribeLockedSnapshots: 1,
    });
    expect([pagesFor(1000, 1000), pagesFor(1001, 1000), pagesFor(0, 500)]).toEqual([1, 2, 1]);
  });

  it('asks about archived snapshots 200 a call, and not at all when there are none', () => {
    // Prepare
    const listed = { instances: 1, volumes: 1, snapshots: 5_000, images: 1, locked: 2_500 };

    // Act
    const none = minimumInventoryCalls(listed);
    const some = minimumInventoryCalls({ ...listed, archived: 401 });

    // Assess
    expect(none).not.toHaveProperty('DescribeSnapshotTierStatus');
    expect(none.DescribeLockedSnapshots).toBe(3);
    expect(some.DescribeSnapshotTierStatus).toBe(3);
  });

  it('adds one call per create and per delete to the inventory', () => {
    // Prepare
    const listed = { instances: 200, volumes: 600, snapshots: 1800, images: 3 };

    // Act
    const calls = minimumRunCalls(listed, 600, 600);

    // Assess
    expect(calls).toEqual({
      DescribeInstances: 1,
      DescribeVolumes: 2,
      DescribeSnapshots: 2,
      DescribeImages: 1,
      DescribeLockedSnapshots: 1,
      CreateSnapshot: 600,
      DeleteSnapshot: 600,
    });
    expect(totalCalls(calls)).toBe(1207);
    expect(minimumRunCalls(listed, 0, 0)).not.toHaveProperty('CreateSnapshot');
  });

  it('compares actual calls with the minimum action by action, STS apart when asked', () => {
    // Prepare
    const actual = { GetCallerIdentity: 1, DescribeVolumes: 3, CreateSnapshot: 600 };
    const minimum = { DescribeVolumes: 2, CreateSnapshot: 600, DescribeImages: 1 };

    // Act
    const rows = compareCalls(actual, minimum);
    const ratio = ratioOf(totalCalls(withoutActions(actual, ['GetCallerIdentity'])), totalCalls(minimum));

    // Assess
    expect(rows).toEqual([
      ['CreateSnapshot', 600, 600, 0],
      ['DescribeImages', 0, 1, -1],
      ['DescribeVolumes', 3, 2, 1],
      ['GetCallerIdentity', 1, 0, 1],
    ]);
    expect(ratio).toBe(1);
    expect(ratioOf(1207, 1206)).toBe(1.0008);
    expect(ratioOf(1, 0)).toBeNaN();
  });
});

describe('the ideal time under a token bucket', () => {
  it('gives the burst for free and the rest at the refill rate, groups side by side', () => {
    // Prepare
    const bucket = { capacity: 100, refillPerSecond: 50 };

    // Act
    const seconds = idealSeconds([600, 1100], bucket);

    // Assess: the slower group sets the time
    expect(seconds).toBe(20);
    expect(idealSeconds([80, 0], bucket)).toBe(0);
  });

  it('counts what the buckets allow in a time: burst plus refill, no more than each group has', () => {
    // Prepare
    const bucket = { capacity: 100, refillPerSecond: 50 };

    // Act / Assess
    expect(allowedCalls([3000, 3000], bucket, 25)).toBe(2700);
    expect(allowedCalls([3000, 500], bucket, 25)).toBe(1850);
  });
});

describe('the Describe bucket floor of a collection', () => {
  it('is the busiest action’s calls less the burst, at the refill rate (each action has its own bucket)', () => {
    // Prepare
    const calls = { DescribeSnapshots: 1_009, DescribeVolumes: 65, DescribeInstances: 10 };

    // Act
    const floor = floorSeconds(calls, { capacity: 100, refillPerSecond: 20 });
    const withinBurst = floorSeconds({ DescribeVolumes: 60 }, { capacity: 100, refillPerSecond: 20 });

    // Assess
    expect(floor).toBeCloseTo(45.45, 5);
    expect(withinBurst).toBe(0);
  });
});
