/**
 * Deterministic choices for a run: the same run id always picks the same, another run id may pick
 * otherwise, so over many runs every candidate gets its turn without any state kept between runs.
 */

/** FNV-1a, 32 bits: small, fast, and the same in every runtime. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** `items` ordered by the hash of `seed` and each item's key (ties by key): a seeded shuffle. */
export function pickBy<T>(items: readonly T[], keyOf: (item: T) => string, seed: string): T[] {
  return items
    .map((item) => ({ item, key: keyOf(item), rank: hash32(`${seed}\u0000${keyOf(item)}`) }))
    .sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((entry) => entry.item);
}
