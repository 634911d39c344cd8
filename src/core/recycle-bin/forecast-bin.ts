/**
 * The Recycle Bin in a forecast (SPEC §14, §12): a snapshot a simulated run deletes that a rule
 * keeps goes on being billed, as a standard snapshot, for the rule's days. What it stores there
 * is what deleting it frees from its series by the change-rate model (`seriesBytes`): its own
 * changes, which the next snapshot takes over once it is gone from the bin. Forecast snapshots
 * carry only the tool's tags, so a tag-level rule matching copied volume tags is not seen there.
 */
import type { Plan } from '../actions.js';
import type { SeriesClass } from '../report/forecast-classes.js';
import { seriesBytes } from '../report/forecast-storage.js';

const DAY = 86_400_000;

/** Bytes in the bin, and until when. */
export class BinLedger {
  private readonly entries: { until: number; bytes: number }[] = [];

  /** Add what `plan`'s deletes put in the bin (call before the plan is applied to `classes`). */
  add(plan: Plan, classes: readonly SeriesClass[], changeRate: number): void {
    const days = new Map<string, number>();
    for (const a of plan.actions)
      if (a.action === 'delete' && typeof a.recycleBinDays === 'number')
        days.set(a.snapshotId, a.recycleBinDays);
    if (days.size === 0) return;
    const now = Date.parse(plan.now);
    for (const c of classes) {
      if (!c.snapshots.some((s) => days.has(s.id))) continue;
      let kept = c.snapshots;
      for (const s of c.snapshots) {
        const d = days.get(s.id);
        if (d === undefined) continue;
        const after = kept.filter((k) => k.id !== s.id);
        const freed = Math.max(
          0,
          seriesBytes(kept, c.volumeBytes, changeRate) - seriesBytes(after, c.volumeBytes, changeRate),
        );
        kept = after;
        this.entries.push({ until: now + d * DAY, bytes: freed });
      }
    }
  }

  /** What the bin holds at `time`. */
  bytesAt(time: number): number {
    let bytes = 0;
    for (const e of this.entries) if (e.until > time) bytes += e.bytes;
    return bytes;
  }
}
