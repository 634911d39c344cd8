/**
 * Run one piece of work per account × region, many at once, so one failing pair never stops
 * the others: each pair ends with a value or with the error it hit.
 */
import { runPool } from '../app/pool.js';
import type { Target } from './targets.js';

export type TargetOutcome<T> =
  | { readonly target: Target; readonly ok: true; readonly value: T }
  | { readonly target: Target; readonly ok: false; readonly error: unknown };

/** At most this many account × region pairs in flight: each has its own EC2 buckets. */
export const TARGET_PARALLELISM = 16;

export async function forEachTarget<T>(
  targets: readonly Target[],
  work: (target: Target) => Promise<T>,
): Promise<TargetOutcome<T>[]> {
  const outcomes: TargetOutcome<T>[] = new Array(targets.length);
  await runPool(targets, TARGET_PARALLELISM, async (target, index) => {
    try {
      outcomes[index] = { target, ok: true, value: await work(target) };
    } catch (error) {
      outcomes[index] = { target, ok: false, error };
    }
  });
  return outcomes;
}
