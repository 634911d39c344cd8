/**
 * Run one piece of work per account × region, many at once, so one failing pair never stops
 * the others: each pair ends with a value or with the error it hit.
 */
import { runPool } from '../app/kit/pool.js';
import type { Target, TargetFailure } from './targets.js';

/** At most this many account × region pairs in flight: each has its own EC2 buckets. */
const TARGET_PARALLELISM = 16;

export interface TargetResults<T> {
  /** What each target that ran to its end gave, in target order. */
  readonly values: T[];
  /** Accounts that could not be resolved, then targets whose work threw. */
  readonly failures: TargetFailure[];
}

/**
 * Run `work` on every target; `unresolved` are the accounts that failed before (a refused role)
 * and come first among the failures.
 *
 * @example const { values: plans, failures } = await forEachTarget(targets, failed, (t) => planTarget(t.ec2, ...));
 */
export async function forEachTarget<T>(
  targets: readonly Target[],
  unresolved: readonly TargetFailure[],
  work: (target: Target) => Promise<T>,
): Promise<TargetResults<T>> {
  const outcomes: ({ ok: true; value: T } | { ok: false; failure: TargetFailure })[] = new Array(
    targets.length,
  );
  await runPool(targets, TARGET_PARALLELISM, async (target, index) => {
    try {
      outcomes[index] = { ok: true, value: await work(target) };
    } catch (error) {
      const { label, account, region } = target;
      outcomes[index] = { ok: false, failure: { label, account, region, error } };
    }
  });
  return {
    values: outcomes.flatMap((o) => (o.ok ? [o.value] : [])),
    failures: [...unresolved, ...outcomes.flatMap((o) => (o.ok ? [] : [o.failure]))],
  };
}
