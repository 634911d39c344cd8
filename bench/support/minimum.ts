/**
 * The fewest API calls a run can make (SPEC §8): each inventory listing at its largest page, one
 * call per create and one per delete. Pure, so the benches and their test share it.
 */

/** The largest page of each inventory listing (EC2's MaxResults maxima). */
export const PAGE_SIZES = {
  DescribeInstances: 1000,
  DescribeVolumes: 500,
  DescribeSnapshots: 1000,
  DescribeImages: 1000,
  DescribeLockedSnapshots: 1000,
} as const;

/** Archived snapshots asked about per DescribeSnapshotTierStatus call (EC2's 200 filter values). */
export const TIER_STATUS_IDS_PER_CALL = 200;

/** The minimum of {@link minimumInventoryCalls}, in SPEC §8's terms. */
export const MINIMUM_IN_SPEC_TERMS =
  '⌈instances/1000⌉ + ⌈volumes/500⌉ + ⌈snapshots of the configured policies/1000⌉ + ⌈images/1000⌉ + ' +
  '⌈locked snapshots/1000⌉ + ⌈archived snapshots/200⌉ (an empty listing costs 1 call; no tier-status call without archived snapshots)';

/** How many of each resource the listings return. */
export interface ListedCounts {
  readonly instances: number;
  readonly volumes: number;
  /** The snapshots of the configured policies: the only ones collection asks for. */
  readonly snapshots: number;
  readonly images: number;
  /** Snapshots under a lock in force. Default 0. */
  readonly locked?: number;
  /** Archived snapshots among `snapshots`. Default 0. */
  readonly archived?: number;
}

/** Calls per action; a missing action counts as zero. */
export type CallCounts = Readonly<Record<string, number>>;

/**
 * Pages needed to list `count` items `pageSize` at a time. SPEC §8 writes ⌈count/pageSize⌉; a
 * listing that finds nothing still takes one call to learn that, so the floor is 1.
 *
 * @example pagesFor(1800, 1000) // 2
 */
export function pagesFor(count: number, pageSize: number): number {
  return Math.max(1, Math.ceil(count / pageSize));
}

/**
 * The minimum inventory calls per Describe action.
 *
 * @example minimumInventoryCalls({ instances: 200, volumes: 600, snapshots: 1800, images: 0 })
 * // { DescribeInstances: 1, DescribeVolumes: 2, DescribeSnapshots: 2, DescribeImages: 1, DescribeLockedSnapshots: 1 }
 */
export function minimumInventoryCalls(listed: ListedCounts): Record<string, number> {
  const calls: Record<string, number> = {
    DescribeInstances: pagesFor(listed.instances, PAGE_SIZES.DescribeInstances),
    DescribeVolumes: pagesFor(listed.volumes, PAGE_SIZES.DescribeVolumes),
    DescribeSnapshots: pagesFor(listed.snapshots, PAGE_SIZES.DescribeSnapshots),
    DescribeImages: pagesFor(listed.images, PAGE_SIZES.DescribeImages),
    DescribeLockedSnapshots: pagesFor(listed.locked ?? 0, PAGE_SIZES.DescribeLockedSnapshots),
  };
  const archived = listed.archived ?? 0;
  if (archived > 0) calls.DescribeSnapshotTierStatus = Math.ceil(archived / TIER_STATUS_IDS_PER_CALL);
  return calls;
}

/**
 * The minimum calls of a whole run: the inventory, one CreateSnapshot per create, one
 * DeleteSnapshot per delete (zero-call actions left out).
 */
export function minimumRunCalls(
  listed: ListedCounts,
  creates: number,
  deletes: number,
): Record<string, number> {
  const calls: Record<string, number> = minimumInventoryCalls(listed);
  if (creates > 0) calls.CreateSnapshot = creates;
  if (deletes > 0) calls.DeleteSnapshot = deletes;
  return calls;
}

/** Sum of the counts. */
export function totalCalls(counts: CallCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** Calls of `actual` minus those of the given actions (e.g. STS, counted apart). */
export function withoutActions(actual: CallCounts, actions: readonly string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(actual).filter(([action]) => !actions.includes(action)));
}

/**
 * One row per action seen in either map: actual, minimum, and the difference.
 *
 * @example compareCalls({ DescribeVolumes: 3 }, { DescribeVolumes: 2 }) // [['DescribeVolumes', 3, 2, 1]]
 */
export function compareCalls(
  actual: CallCounts,
  minimum: CallCounts,
): Array<readonly [action: string, actual: number, minimum: number, extra: number]> {
  const actions = [...new Set([...Object.keys(minimum), ...Object.keys(actual)])].sort();
  return actions.map((action) => {
    const a = actual[action] ?? 0;
    const m = minimum[action] ?? 0;
    return [action, a, m, a - m] as const;
  });
}

/** `a ÷ b` rounded to 4 decimals; NaN when b is 0. */
export function ratioOf(a: number, b: number): number {
  return b === 0 ? Number.NaN : Math.round((a / b) * 10_000) / 10_000;
}
