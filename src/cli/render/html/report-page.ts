/**
 * `report --output html`: the totals, the coverage table (sortable, OVERDUE and UNPROTECTED
 * first), a bar chart of each policy's snapshots, each series' timeline, then the unprotected
 * volumes with their tags, unmanaged snapshots and orphaned series. At fleet scale the table and
 * the timelines are cut at a limit, and the page says how many rows it left out.
 */

import { count, pairs, plural } from '../../../core/plural.js';
import { type Prices, upperBoundOf } from '../../../core/report/cost.js';
import type { CoverageSummary } from '../../../core/report/summary.js';
import {
  type CoverageReport,
  type SeriesCoverage,
  type UnprotectedVolume,
  type UnreadTarget,
  unreadLabel,
} from '../../../core/report/types.js';
import { showsDrills } from '../report-drills.js';
import { atMost, formatBytes, formatTime, formatUsd } from '../units.js';
import { barChart, colorOf } from './charts.js';
import { escapeHtml } from './escape.js';
import { card, panel, renderPage } from './page.js';
import { coverageTable, leftovers, policyTable, unprotectedTable } from './report-tables.js';
import { timelineChart } from './timeline.js';

/** How much of a big fleet the page shows. */
export interface PageLimits {
  /** Rows of the coverage table (problems first). */
  readonly rows: number;
  /** Series timelines drawn (OVERDUE first). */
  readonly timelines: number;
}

const DEFAULT_LIMITS: PageLimits = { rows: 5000, timelines: 200 };

/** A row of the coverage table: a series, or a volume no policy selects. */
export type CoverageRow = SeriesCoverage | UnprotectedVolume;

const RANK = { OVERDUE: 0, UNPROTECTED: 1, OK: 2 } as const;

/** The report page. `document` is the JSON report, embedded for "download data". */
export function renderReportPage(
  reports: readonly CoverageReport[],
  summary: CoverageSummary,
  view: { readonly now: number; readonly prices: Prices; readonly document: Record<string, unknown> },
  limits: PageLimits = DEFAULT_LIMITS,
): string {
  const all: CoverageRow[] = [...reports.flatMap((r) => r.series), ...reports.flatMap((r) => r.unprotected)];
  all.sort((a, b) => RANK[a.status] - RANK[b.status]);
  const rows = all.slice(0, limits.rows);
  const policyColor = new Map(summary.policies.map((p, i) => [p.policy, colorOf(i)]));
  const many = reports.length > 1;
  const body = [
    unreadPanel(summary.unread),
    cards(summary),
    panel(
      'Coverage',
      coverageTable(rows, view.now, many, showsDrills(reports)) +
        omitted(all.length - rows.length, ['row', 'rows'], 'OK series'),
      'OVERDUE: the newest completed snapshot is older than the schedule plus its tolerance. UNPROTECTED: no policy selects the volume. Click a column to sort.',
    ),
    panel(
      'Policies',
      policyBars(summary, policyColor) + policyTable(summary),
      'Snapshots per policy; sizes and costs are upper bounds (FullSnapshotSizeInBytes, or the volume size where EC2 gives none).',
    ),
    panel('Series timelines', timelines(reports, view.now, policyColor, limits.timelines)),
    unprotectedTable(
      reports.flatMap((r) => r.unprotected),
      limits.rows,
    ),
    leftovers(reports, summary),
  ].join('\n');
  const targets = [
    ...reports.map((r) => `${r.account} ${r.region}`),
    ...summary.unread.map((u) => `${unreadLabel(u)} (UNKNOWN)`),
  ];
  return renderPage({
    title: `ebs-snapper report — ${formatTime(view.now)}`,
    heading: `<span class="brand">ebs-snapper</span> coverage report`,
    subtitle: `${targets.length <= 3 ? targets.join(', ') : `${targets.length} accounts × regions`} · as of ${formatTime(view.now)}`,
    body,
    data: { document: cutDocument(view.document, limits.rows) },
    downloadName: `ebs-snapper-report-${new Date(view.now).toISOString().slice(0, 10)}.json`,
    footer: `Made by ebs-snapper. Sizes are upper bounds: FullSnapshotSizeInBytes, or the volume size where EC2 gives none. Prices per GB-month: standard $${view.prices.standard}, archive $${view.prices.archive}.`,
  });
}

/** The targets that could not be read, in red above everything: their volumes are UNKNOWN. */
export function unreadPanel(unread: readonly UnreadTarget[]): string {
  if (unread.length === 0) return '';
  const rows = unread.map(
    (u) =>
      `<tr><td><span class="pill UNKNOWN">UNKNOWN</span></td><td class="mono">${escapeHtml(unreadLabel(u))}</td><td class="mono">${escapeHtml(u.error.code)}</td><td class="wrap">${escapeHtml(u.error.message)}</td></tr>`,
  );
  return panel(
    `Could not be read: ${pairs(unread.length)}`,
    `<table id="unread"><thead><tr><th>Status</th><th>Account/region</th><th>Error</th><th>Message</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    'Their volumes could not be listed: their coverage is UNKNOWN, and nothing below counts them.',
    true,
  );
}

function cards(summary: CoverageSummary): string {
  const t = summary.totals;
  return `<section class="cards">${[
    ...(t.unknownTargets === 0
      ? []
      : [card('Unknown', String(t.unknownTargets), 'accounts × regions not read', 'bad')]),
    card('Series', String(t.series), 'policy × selected volume'),
    card('OK', String(t.ok), 'newest snapshot on time', t.ok > 0 ? 'ok' : ''),
    card('Overdue', String(t.overdue), 'late or never snapshotted', t.overdue > 0 ? 'bad' : ''),
    card('Unprotected', String(t.unprotected), 'volumes no policy selects', t.unprotected > 0 ? 'warn' : ''),
    card('Snapshots', t.sizes.count.toLocaleString('en-US'), 'of the policies'),
    card('Stored ≤', formatBytes(upperBoundOf(t.sizes)), unknownNote(t.sizes.unknown, 'upper bound')),
    card('Cost ≤', formatUsd(t.monthlyCost), unknownNote(t.sizes.unknown, 'per month, upper bound')),
    card('Unmanaged', t.unmanaged.count.toLocaleString('en-US'), formatBytes(upperBoundOf(t.unmanaged))),
    card('Orphaned series', String(t.orphanSeries), 'source volume gone'),
  ].join('')}</section>`;
}

/** The detail line of a size card: what it is, or why it is unknown. */
const unknownNote = (unknown: number, known: string): string =>
  unknown === 0 ? known : `${count(unknown, 'snapshot')} without a size`;

function policyBars(summary: CoverageSummary, colors: ReadonlyMap<string, string>): string {
  if (summary.policies.length === 0) return '<p class="muted">No policy.</p>';
  return barChart(
    summary.policies.map((p) => ({
      label: p.policy,
      value: p.sizes.count,
      color: colors.get(p.policy)!,
      note: `${p.sizes.count.toLocaleString('en-US')} snapshots · ${atMost(upperBoundOf(p.sizes), formatBytes)} · ${atMost(p.monthlyCost, formatUsd)}/month`,
    })),
    'Snapshots per policy',
    1180,
  );
}

function timelines(
  reports: readonly CoverageReport[],
  now: number,
  colors: ReadonlyMap<string, string>,
  limit: number,
): string {
  const series = reports.flatMap((r) => r.series);
  if (series.length === 0) return '<p class="muted">No volume is selected by a policy.</p>';
  const shown = series.slice(0, limit);
  const rows = shown.map((s) => ({
    label: `${s.policy} · ${s.volumeName ?? s.instanceName ?? s.volumeId}`,
    status: s.status,
    times: s.timeline.start,
    flags: s.timeline.flags,
    color: colors.get(s.policy)!,
    note: `${s.policy} ${s.volumeId}${s.volumeName === undefined ? '' : ` (${s.volumeName})`}: ${count(s.snapshots, 'snapshot')}, ${s.status}`,
  }));
  const hint = `A tick per snapshot, on a square-root scale of age (grey: not completed, red: error). ${shown.length} of ${series.length} series, OVERDUE first.`;
  return `<p class="hint">${escapeHtml(hint)}</p><div class="scroll">${timelineChart(rows, now)}</div>${omitted(series.length - shown.length, ['series', 'series'], 'series')}`;
}

/**
 * The JSON report as the page embeds it: at most `rows` volumes and unprotected volumes, with a
 * note of how many were left out (the whole list would make a fleet's page too heavy).
 */
function cutDocument(document: Record<string, unknown>, rows: number): Record<string, unknown> {
  const cut = (key: string) => {
    const list = document[key];
    return Array.isArray(list)
      ? { kept: list.slice(0, rows), left: Math.max(0, list.length - rows) }
      : { kept: list, left: 0 };
  };
  const volumes = cut('volumes');
  const unprotected = cut('unprotected');
  if (volumes.left + unprotected.left === 0) return document;
  return {
    ...document,
    volumes: volumes.kept,
    unprotected: unprotected.kept,
    left_out: {
      volumes: volumes.left,
      unprotected: unprotected.left,
      note: 'the page is cut; --output json lists every one',
    },
  };
}

/** "1 more row not shown", "N more rows not shown" when a limit cut something. */
function omitted(n: number, [one, many]: readonly [string, string], which: string): string {
  if (n <= 0) return '';
  return `<p class="note">${n.toLocaleString('en-US')} more ${escapeHtml(plural(n, one, many))} not shown (${escapeHtml(which)}; the page is cut to stay light). <code>--output json</code> lists every one.</p>`;
}
