/**
 * Coverage added up over every account × region of a report: the totals a page's header shows
 * and the per-policy lines (a policy is one definition, whatever the target).
 */
import { addSizes, costOf, emptySizes, type Prices, type SizeTotals } from './cost.js';
import type { CoverageReport, PolicyCoverage } from './types.js';

export interface CoverageTotals {
  /** Series rows: (policy, selected volume) pairs. */
  readonly series: number;
  readonly ok: number;
  readonly overdue: number;
  readonly unprotected: number;
  /** The policies' snapshots. */
  readonly sizes: SizeTotals;
  readonly monthlyCost: number;
  readonly unmanaged: SizeTotals;
  readonly orphanSeries: number;
  readonly targets: number;
}

export interface CoverageSummary {
  readonly totals: CoverageTotals;
  /** By policy id, summed over targets. */
  readonly policies: readonly PolicyCoverage[];
}

/**
 * Add up reports of several targets.
 *
 * @example summarizeCoverage(reports, DEFAULT_PRICES).totals.overdue
 */
export function summarizeCoverage(reports: readonly CoverageReport[], prices: Prices): CoverageSummary {
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
  return {
    totals: {
      series,
      ok,
      overdue: series - ok,
      unprotected,
      sizes,
      monthlyCost: costOf(sizes, prices),
      unmanaged,
      orphanSeries,
      targets: reports.length,
    },
    policies,
  };
}
