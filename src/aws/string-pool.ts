/**
 * One copy of each repeated string. A million snapshots repeat a few thousand values (owner,
 * policy id, run id, source volume, expiry time, description): the XML parser makes a new string
 * for every occurrence, and keeping one instead of a million halves what the inventory holds —
 * less memory, and less for the garbage collector to copy while pages keep arriving.
 */

/** Returns the pooled copy of a string equal to `value` (or `value` itself, pooled from now on). */
export type StringPool = (value: string) => string;

/** A pool that keeps nothing: every string is its own copy. */
export const NO_POOL: StringPool = (value) => value;

/**
 * A pool of at most `limit` distinct strings; past that, new values pass through unpooled, so an
 * inventory of unique values (a `Name` tag per snapshot) cannot grow it without bound.
 *
 * @example
 * const pool = createStringPool();
 * pool('daily') === pool(['d', 'aily'].join('')); // true
 */
export function createStringPool(limit = 200_000): StringPool {
  const pooled = new Map<string, string>();
  return (value) => {
    const known = pooled.get(value);
    if (known !== undefined) return known;
    if (pooled.size < limit) pooled.set(value, value);
    return value;
  };
}
