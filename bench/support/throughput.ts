/**
 * What a token bucket allows: the shortest time in which a run can make its calls.
 */

/** A bucket's shape, as the proxy and the tool's ThrottleRegistry take it. */
export interface BucketShape {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/**
 * Seconds the calls take at best when each group (an action with its own bucket) runs after
 * the one before and every bucket starts full: the burst is free, the rest comes at the refill
 * rate. A later group's bucket refills while an earlier one runs, but never beyond full.
 *
 * @example idealSeconds([600, 600], { capacity: 100, refillPerSecond: 50 }) // 20
 */
export function idealSeconds(groups: readonly number[], bucket: BucketShape): number {
  return groups.reduce(
    (sum, calls) => sum + Math.max(0, calls - bucket.capacity) / bucket.refillPerSecond,
    0,
  );
}

/**
 * Seconds the calls take at best when every action has its own bucket and all run at once (the
 * listings of a collection): the slowest bucket decides.
 *
 * @example floorSeconds({ DescribeSnapshots: 1100, DescribeVolumes: 60 }, { capacity: 100, refillPerSecond: 20 }) // 50
 */
export function floorSeconds(calls: Readonly<Record<string, number>>, bucket: BucketShape): number {
  return Math.max(0, ...Object.values(calls).map((n) => idealSeconds([n], bucket)));
}
