/**
 * Counts in words, the same way in every command's output: "1 policy", "2 policies", "0 snapshots",
 * "1 account × region", "2 accounts × regions" — never "1 snapshots" or "snapshot(s)".
 */

/** The word for `n` of a thing: `one` for exactly 1, else `many` (default `one` + "s"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/**
 * `n` and the word for that many, with thousands separated ("1,024 snapshots").
 *
 * @example count(1, 'policy', 'policies') // '1 policy'
 * @example count(2, 'snapshot') // '2 snapshots'
 */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${plural(n, one, many)}`;
}

/**
 * The places a command works on: "1 account × region", "2 accounts × regions".
 *
 * @example pairs(0) // '0 accounts × regions'
 */
export function pairs(n: number): string {
  return count(n, 'account × region', 'accounts × regions');
}
