/**
 * `report --fail-on unverified:<duration>`: the volumes of policies with restore drills that have
 * no passed drill within the duration (docs/drills.md), for monitoring that backups restore.
 */

import { parseDuration } from '../../core/policy/durations.js';
import { isUnverified } from '../../core/report/drill-coverage.js';
import type { CoverageReport, UnreadTarget } from '../../core/report/types.js';

/** The `--fail-on unverified:D` lines, or nothing when every drilled volume passed a drill within D. */
export function unverified(
  reports: readonly CoverageReport[],
  unread: readonly UnreadTarget[],
  failOn: string,
  now: number,
): string[] {
  const text = failOn.slice('unverified:'.length);
  const within = parseDuration(text) ?? 0;
  const count = reports.reduce((n, r) => n + r.series.filter((s) => isUnverified(s, now, within)).length, 0);
  const lines =
    count === 0
      ? []
      : [
          `report: ${count} volume series UNVERIFIED: no passed restore drill in ${text} (--fail-on ${failOn})`,
        ];
  if (unread.length > 0)
    lines.push(
      `report: ${unread.length} account × region${unread.length === 1 ? '' : 's'} UNKNOWN: could not be read, so any of its volumes may be UNVERIFIED (--fail-on ${failOn})`,
    );
  return lines;
}
