/**
 * Volumes that more than one policy selects. That is allowed — each policy keeps its own series
 * (SPEC §4) — but an operator should know, so the plan says it once per combination of policies
 * rather than once per volume (a fleet can have thousands of such volumes).
 */
import { type Warning, warning } from './warnings.js';

/** How many example volume ids a warning names. */
const EXAMPLES = 3;

/**
 * @param selectedBy volume id → the ids of the policies that select it, in planning order
 * @example describeOverlaps(new Map([['vol-1', ['a', 'b']]]))
 * // ['1 volume is selected by policies a + b (each keeps its own series): vol-1']
 */
export function describeOverlaps(selectedBy: ReadonlyMap<string, readonly string[]>): Warning[] {
  const byCombination = new Map<string, string[]>();
  for (const [volume, policies] of selectedBy) {
    if (policies.length < 2) continue;
    const key = policies.join(' + ');
    const volumes = byCombination.get(key);
    if (volumes === undefined) byCombination.set(key, [volume]);
    else volumes.push(volume);
  }
  return [...byCombination.keys()].sort().map((key) => {
    const volumes = byCombination.get(key)!.sort();
    const shown = volumes.slice(0, EXAMPLES).join(', ');
    const more = volumes.length > EXAMPLES ? `, … (${volumes.length - EXAMPLES} more)` : '';
    const count = volumes.length === 1 ? '1 volume is' : `${volumes.length} volumes are`;
    return warning(
      'plan.overlap',
      `${count} selected by policies ${key} (each keeps its own series): ${shown}${more}`,
    );
  });
}
