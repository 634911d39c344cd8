/**
 * `protected.drill`: a snapshot a drill is restoring right now stays, whatever retention says, until
 * the drill ends (its volume was made from it, and its result goes on it). Other protections (an
 * AMI, a lock) keep their own reason; a plain keep or delete becomes this one.
 */
import type { Reason } from '../actions.js';
import type { SeriesTable } from '../series.js';

/**
 * Rewrite `reasons[p - from]` for the snapshots of positions `from..to` that are under a drill.
 *
 * @example protectDrilled(table, from, to, reasons, judgement.underDrill)
 */
export function protectDrilled(
  table: SeriesTable,
  from: number,
  to: number,
  reasons: Reason[],
  underDrill: ReadonlyMap<string, string>,
): void {
  for (let p = from; p < to; p++) {
    const volume = underDrill.get(table.ids[p]!);
    if (volume === undefined || reasons[p - from]!.code.startsWith('protected.')) continue;
    reasons[p - from] = {
      code: 'protected.drill',
      message: `a restore drill is in flight on it (volume ${volume}); kept until the drill ends`,
    };
  }
}
