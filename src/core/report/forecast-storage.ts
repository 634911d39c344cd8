/**
 * The change-rate model of a forecast's snapshots (SPEC §12; `cost.ts` holds the one storage
 * model, of which this is the part for snapshots not made yet): EBS snapshots are incremental, so a series stores its
 * oldest snapshot in full and, for each later one, what changed since the one before it — the
 * change rate (a fraction of the volume per day) times the days between them, never more than
 * the whole volume. Deleting a snapshot in the middle moves its changes to the next one (EBS
 * keeps blocks a later snapshot still references), so only the oldest's going frees space.
 */
import type { Snapshot } from '../model.js';
import { futureBytes } from './cost.js';

/**
 * Bytes a series stores: `volumeBytes` for its oldest snapshot plus `min(1, rate × gap in days)`
 * of it for each later one. Snapshots in error hold nothing and are skipped.
 *
 * @param snapshots the series' snapshots, oldest first
 * @param changeRate fraction of the volume that changes per day, e.g. 0.03
 * @example seriesBytes([{ startTime: 0 }, { startTime: DAY }], 100, 0.03) // 103
 */
export function seriesBytes(
  snapshots: readonly Pick<Snapshot, 'startTime' | 'state'>[],
  volumeBytes: number,
  changeRate: number,
): number {
  let bytes = 0;
  let previous: number | undefined;
  for (const s of snapshots) {
    if (s.state === 'error') continue;
    bytes += futureBytes(volumeBytes, changeRate, previous, s.startTime);
    previous = s.startTime;
  }
  return bytes;
}
