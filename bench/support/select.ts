/**
 * Which benches `npm run bench -- <name>...` runs: all of them without names, else the named
 * ones in the suite's order; an unknown name is an error that lists the known ones.
 */

/**
 * The benches to run.
 *
 * @example selectBenches(['api-calls', 'plan'], suite) // [plan, api-calls] (suite order)
 */
export function selectBenches<T extends { readonly name: string }>(
  names: readonly string[],
  suite: readonly T[],
): T[] {
  const unknown = names.filter((name) => !suite.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    const known = suite.map((bench) => bench.name).join(', ');
    throw new Error(`unknown bench ${unknown.map((n) => `"${n}"`).join(', ')}; the benches are: ${known}`);
  }
  return names.length === 0 ? [...suite] : suite.filter((bench) => names.includes(bench.name));
}
