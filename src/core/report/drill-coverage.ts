/**
 * The report's "last restore" per volume: the newest drill recorded on any snapshot of its series
 * (`ebs-snapper:drill-result`, `drill-at`, `drill-detail`), and whether a passed one is recent
 * enough for `report --fail-on unverified:<duration>`.
 */
import { snapshotDrillOf } from '../drills/tags.js';
import type { Snapshot } from '../model.js';
import type { SeriesTable } from '../series.js';

/** A drill as the report shows it. */
export interface DrillRecord {
  readonly snapshotId: string;
  /** Epoch ms of the result. */
  readonly at: number;
  readonly result: 'passed' | 'failed';
  readonly detail?: string;
}

/** What a series' snapshots say of its drills. */
export interface SeriesDrills {
  /** The newest drill, any result. */
  readonly lastDrill?: DrillRecord;
  /** Epoch ms of the newest passed drill. */
  readonly lastPassedAt?: number;
}

/** Read the drill records of series `k`'s snapshots. */
export function seriesDrills(table: SeriesTable, k: number, snapshots: readonly Snapshot[]): SeriesDrills {
  let last: DrillRecord | undefined;
  let lastPassedAt: number | undefined;
  for (let p = table.bounds[k]!; p < table.bounds[k + 1]!; p++) {
    const snapshot = snapshots[table.source[p]!]!;
    const record = snapshotDrillOf(snapshot.tags);
    if (record === undefined) continue;
    if (last === undefined || record.at > last.at)
      last = {
        snapshotId: snapshot.id,
        at: record.at,
        result: record.result,
        ...(record.detail === undefined ? {} : { detail: record.detail }),
      };
    if (record.result === 'passed' && (lastPassedAt === undefined || record.at > lastPassedAt))
      lastPassedAt = record.at;
  }
  return {
    ...(last === undefined ? {} : { lastDrill: last }),
    ...(lastPassedAt === undefined ? {} : { lastPassedAt }),
  };
}

/**
 * True when a volume of a policy with drills has no passed drill within `withinMs` of `now`.
 *
 * @example isUnverified({ drilled: true, lastPassedAt: now - 40 * DAY }, now, 30 * DAY) // true
 */
export function isUnverified(
  row: { readonly drilled?: boolean; readonly lastPassedAt?: number },
  now: number,
  withinMs: number,
): boolean {
  return row.drilled === true && (row.lastPassedAt === undefined || now - row.lastPassedAt > withinMs);
}
