/**
 * Coverage added up over every account × region of a report: the totals a page's header shows
 * and the per-policy lines (a policy is one definition, whatever the target).
 */
import { addSizes, costOf, emptySizes, type Prices, type SizeTotals } from './cost.js';
import type { CoverageReport, PolicyCoverage, UnreadTarget } from './types.js';

/**
 * The report in one word, worst first: `UNKNOWN` when a target could not be read (its volumes
 * are not known, so nothing may read as all OK), then `OVERDUE`, `UNPROTECTED`, else `OK`.
 */
type ReportStatus = 'UNKNOWN' | 'OVERDUE' | 'UNPROTECTED' | 'OK';

interface CoverageTotals {
  /** Series rows: (policy, selected volume) pairs. */
  readonly series: number;
  readonly ok: number;
  readonly overdue: number;
  readonly unprotected: number;
  /** The policies' snapshots. */
  readonly sizes: SizeTotals;
  /** Undefined when a snapshot's size is unknown. */
  readonly monthlyCost: number | undefined;
  readonly unmanaged: SizeTotals;
  readonly orphanSeries: number;
  /** Targets read. */
  readonly targets: number;
  /** Targets that could not be read: their volumes are UNKNOWN. */
  readonly unknownTargets: number;
  readonly status: ReportStatus;
}

export interface CoverageSummary {
  readonly totals: CoverageTotals;
  /** By policy id, summed over targets. */
  readonly policies: readonly PolicyCoverage[];
  /** The targets that could not be read, as given. */
  readonly unread: readonly UnreadTarget[];
}

/**
 * Add up reports of several targets; `unread` are the targets that could not be read.
 *
 * @example summarizeCoverage(reports, DEFAULT_PRICES).totals.overdue
 */
export function summarizeCoverage(
  reports: readonly CoverageReport[],
  prices: Prices,
  unread: readonly UnreadTarget[] = [],
): CoverageSummary {
  const byPolicy = new Map<
    string,
    { volumes: number; ok: number; orphanSeries: number; sizes: SizeTotals }
  >();
  const sizes = emptySizes();
  const unmanaged = emptySizes();
  let ok = 0;
  let series = 0;
  let unprotected = 0;
  let orphanSeries = 0;
  for (const report of reports) {
    series += report.series.length;
    for (const row of report.series) if (row.status === 'OK') ok++;
    unprotected += report.unprotected.length;
    orphanSeries += report.orphans.length;
    addSizes(unmanaged, report.unmanaged);
    for (const p of report.policies) {
      let entry = byPolicy.get(p.policy);
      if (entry === undefined) {
        entry = { volumes: 0, ok: 0, orphanSeries: 0, sizes: emptySizes() };
        byPolicy.set(p.policy, entry);
      }
      entry.volumes += p.volumes;
      entry.ok += p.ok;
      entry.orphanSeries += p.orphanSeries;
      addSizes(entry.sizes, p.sizes);
      addSizes(sizes, p.sizes);
    }
  }
  const policies = [...byPolicy.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([policy, e]) => ({
      policy,
      volumes: e.volumes,
      ok: e.ok,
      overdue: e.volumes - e.ok,
      sizes: e.sizes,
      monthlyCost: costOf(e.sizes, prices),
      orphanSeries: e.orphanSeries,
    }));
  const overdue = series - ok;
  const status: ReportStatus =
    unread.length > 0 ? 'UNKNOWN' : overdue > 0 ? 'OVERDUE' : unprotected > 0 ? 'UNPROTECTED' : 'OK';
  return {
    totals: {
      series,
      ok,
      overdue,
      unprotected,
      sizes,
      monthlyCost: costOf(sizes, prices),
      unmanaged,
      orphanSeries,
      targets: reports.length,
      unknownTargets: unread.length,
      status,
    },
    policies,
    unread,
  };
}
