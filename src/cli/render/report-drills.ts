/**
 * The report's "last restore" per volume (restore drills, docs/drills.md) in text, JSON and HTML:
 * shown only when some volume's policy has drills or some series has a drill on record, so a
 * report of a config without drills reads as before.
 */
import type { CoverageReport, SeriesCoverage } from '../../core/report/types.js';
import { escapeHtml } from './html/escape.js';
import { safeText } from './safe-text.js';
import { formatTime } from './units.js';

/** Does the report show the column at all? */
export const showsDrills = (reports: readonly CoverageReport[]): boolean =>
  reports.some((r) => r.series.some((s) => s.drilled === true || s.lastDrill !== undefined));

/** `2026-06-01 12:00 passed`, `none` (drilled, never yet), or `-` (the policy has no drills). */
export function lastRestoreText(row: SeriesCoverage): string {
  const last = row.lastDrill;
  if (last === undefined) return row.drilled === true ? 'none' : '-';
  return safeText(`${formatTime(last.at)} ${last.result}`);
}

/** The JSON keys a volume gets when the report shows drills. */
export function lastRestoreJson(row: SeriesCoverage): Record<string, unknown> {
  const last = row.lastDrill;
  return {
    drilled: row.drilled === true,
    last_drill:
      last === undefined
        ? null
        : {
            snapshot_id: last.snapshotId,
            at: new Date(last.at).toISOString(),
            result: last.result,
            detail: last.detail ?? null,
          },
    last_passed_drill_at: row.lastPassedAt === undefined ? null : new Date(row.lastPassedAt).toISOString(),
  };
}

/** The HTML cell (sorted by time; hover shows the snapshot and the step times). */
export function lastRestoreCell(row: SeriesCoverage | undefined): string {
  if (row === undefined) return '<td data-v="0">—</td>';
  const last = row.lastDrill;
  if (last === undefined) return `<td data-v="0">${row.drilled === true ? 'none yet' : '—'}</td>`;
  const title = `${last.snapshotId}${last.detail === undefined ? '' : `: ${last.detail}`}`;
  return `<td data-v="${last.at}" title="${escapeHtml(title)}"><span class="pill ${last.result === 'passed' ? 'OK' : 'OVERDUE'}">${escapeHtml(last.result)}</span> ${escapeHtml(formatTime(last.at))}</td>`;
}
