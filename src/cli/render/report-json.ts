/**
 * `report --output json`: one document, snake_case keys like the plan's (docs/report.md).
 * Sizes are bytes, costs USD per month, times ISO-8601 UTC.
 */
import { type Prices, type SizeTotals, upperBoundOf } from '../../core/report/cost.js';
import type { CoverageSummary } from '../../core/report/summary.js';
import type {
  CoverageReport,
  OrphanSeries,
  SeriesCoverage,
  UnprotectedVolume,
} from '../../core/report/types.js';
import { binReportJson } from './out-of-reach.js';
import { lastRestoreJson, showsDrills } from './report-drills.js';

const REPORT_FORMAT_VERSION = 1;

const iso = (time: number): string => new Date(time).toISOString();

/** Dollars to a hundredth of a cent: no float noise in the document; null when unknown. */
export function usd(amount: number): number;
export function usd(amount: number | undefined): number | null;
export function usd(amount: number | undefined): number | null {
  return amount === undefined ? null : Math.round(amount * 10_000) / 10_000;
}

/** Sizes of a set of snapshots. */
function sizesToJson(sizes: SizeTotals): Record<string, number | null> {
  return {
    snapshots: sizes.count,
    full_size_bytes: sizes.fullSizeBytes,
    snapshots_without_size: sizes.unsized,
    // No size at all (no FullSnapshotSizeInBytes, no volume size): the bound and the cost are null.
    snapshots_size_unknown: sizes.unknown,
    upper_bound_bytes: upperBoundOf(sizes) ?? null,
    standard_bytes: sizes.standardBytes,
    archive_bytes: sizes.archiveBytes,
  };
}

export const pricesToJson = (prices: Prices) => ({
  standard_per_gb_month: prices.standard,
  archive_per_gb_month: prices.archive,
});

function seriesToJson(row: SeriesCoverage, now: number): Record<string, unknown> {
  return {
    status: row.status,
    policy: row.policy,
    account: row.account,
    region: row.region,
    volume_id: row.volumeId,
    volume_name: row.volumeName ?? null,
    size_gib: row.sizeGiB,
    instance_id: row.instanceId ?? null,
    instance_name: row.instanceName ?? null,
    device: row.device ?? null,
    newest_snapshot:
      row.newest === undefined
        ? null
        : {
            snapshot_id: row.newest.snapshotId,
            start_time: iso(row.newest.startTime),
            age_seconds: Math.round((now - row.newest.startTime) / 1000),
          },
    next_due: row.nextDue === undefined ? null : iso(row.nextDue),
    snapshots: row.snapshots,
    reason: row.reason,
  };
}

function unprotectedToJson(u: UnprotectedVolume): Record<string, unknown> {
  return {
    status: u.status,
    account: u.account,
    region: u.region,
    volume_id: u.volumeId,
    volume_name: u.volumeName ?? null,
    size_gib: u.sizeGiB,
    state: u.state ?? null,
    instance_id: u.instanceId ?? null,
    instance_name: u.instanceName ?? null,
    device: u.device ?? null,
    tags: u.tags,
    reason: u.reason,
  };
}

function orphanToJson(o: OrphanSeries): Record<string, unknown> {
  return {
    policy: o.policy,
    account: o.account,
    region: o.region,
    volume_id: o.volumeId,
    oldest: o.oldest === undefined ? null : iso(o.oldest),
    newest: o.newest === undefined ? null : iso(o.newest),
    ...sizesToJson(o.sizes),
    expire_after_seconds: o.expireAfterMs === undefined ? null : o.expireAfterMs / 1000,
  };
}

/** The report document. */
export function reportDocument(
  reports: readonly CoverageReport[],
  summary: CoverageSummary,
  now: number,
  prices: Prices,
): Record<string, unknown> {
  const t = summary.totals;
  const drills = showsDrills(reports);
  const accounts = [
    ...new Set([...reports.map((r) => r.account), ...summary.unread.flatMap((u) => u.account ?? [])]),
  ].sort();
  return {
    version: REPORT_FORMAT_VERSION,
    kind: 'report',
    account: accounts.length === 0 ? null : accounts.length === 1 ? accounts[0] : accounts,
    regions: [
      ...new Set([...reports.map((r) => r.region), ...summary.unread.flatMap((u) => u.region ?? [])]),
    ].sort(),
    now: iso(now),
    // The report in one word, worst first: UNKNOWN (a target could not be read), OVERDUE,
    // UNPROTECTED, OK. `complete` is false while any target is UNKNOWN.
    status: t.status,
    complete: t.unknownTargets === 0,
    targets: targetsToJson(reports, summary),
    prices: pricesToJson(prices),
    size_note: 'upper bounds: FullSnapshotSizeInBytes, or the volume size where EC2 gives none',
    totals: {
      targets: t.targets + t.unknownTargets,
      targets_read: t.targets,
      targets_unknown: t.unknownTargets,
      series: t.series,
      ok: t.ok,
      overdue: t.overdue,
      unprotected: t.unprotected,
      ...sizesToJson(t.sizes),
      monthly_cost_usd: usd(t.monthlyCost),
      unmanaged_snapshots: t.unmanaged.count,
      unmanaged_bytes: upperBoundOf(t.unmanaged) ?? null,
      orphaned_series: t.orphanSeries,
    },
    policies: summary.policies.map((p) => ({
      policy: p.policy,
      volumes: p.volumes,
      ok: p.ok,
      overdue: p.overdue,
      ...sizesToJson(p.sizes),
      monthly_cost_usd: usd(p.monthlyCost),
      orphaned_series: p.orphanSeries,
    })),
    volumes: reports.flatMap((r) =>
      r.series.map((row) =>
        drills ? { ...seriesToJson(row, now), ...lastRestoreJson(row) } : seriesToJson(row, now),
      ),
    ),
    unprotected: reports.flatMap((r) => r.unprotected.map(unprotectedToJson)),
    unmanaged: reports.map((r) => ({ account: r.account, region: r.region, ...sizesToJson(r.unmanaged) })),
    orphaned_series: reports.flatMap((r) => r.orphans.map(orphanToJson)),
    gaps: reports.flatMap((r) => (r.gaps ?? []).map((g) => ({ account: r.account, region: r.region, ...g }))),
    ...binReportJson(reports),
    warnings: warningsOf(reports),
  };
}

/**
 * Every account × region: `READ`, or `UNKNOWN` with its error — its volumes could not be listed,
 * so their coverage is unknown (`volumes: null`).
 */
function targetsToJson(reports: readonly CoverageReport[], summary: CoverageSummary) {
  return [
    ...summary.unread.map((u) => ({
      account: u.account ?? null,
      region: u.region ?? null,
      status: 'UNKNOWN',
      error: u.error,
      volumes: null,
      note: 'could not be read: its volumes are unknown',
    })),
    ...reports.map((r) => ({
      account: r.account,
      region: r.region,
      status: 'READ',
      error: null,
      volumes: new Set([...r.series.map((row) => row.volumeId), ...r.unprotected.map((u) => u.volumeId)])
        .size,
    })),
  ];
}

/** Every warning with the account × region it was found in. */
function warningsOf(reports: readonly CoverageReport[]) {
  return reports.flatMap((r) =>
    r.warnings.map((w) => ({ code: w.code, message: w.message, account: r.account, region: r.region })),
  );
}
