/**
 * What a token bucket allows: the shortest time in which a run can make its calls.
 */

/** A bucket's shape, as the proxy and the tool's ThrottleRegistry take it. */
export interface BucketShape {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/**
 * Seconds the calls take at best when each group (an action with its own bucket) runs beside
 * the others, as the apply step runs creates and deletes, and every bucket starts full: the
 * burst is free, the rest comes at the refill rate, and the slowest group sets the time.
 *
 * @example idealSeconds([600, 600], { capacity: 100, refillPerSecond: 50 }) // 10
 */
export function idealSeconds(groups: readonly number[], bucket: BucketShape): number {
  return Math.max(0, ...groups.map((calls) => Math.max(0, calls - bucket.capacity) / bucket.refillPerSecond));
}

/**
 * How many calls the buckets allow in `seconds`: for each group's bucket, the burst plus the
 * refill, but no more than the group has.
 *
 * @example allowedCalls([3000, 3000], { capacity: 100, refillPerSecond: 50 }, 25) // 2700
 */
export function allowedCalls(groups: readonly number[], bucket: BucketShape, seconds: number): number {
  return groups.reduce(
    (sum, calls) => sum + Math.min(calls, bucket.capacity + bucket.refillPerSecond * seconds),
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
