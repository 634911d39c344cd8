/**
 * `report` as text: the coverage table (OVERDUE first), the volumes no policy selects with their
 * instance and tags, a line per policy with sizes and cost (both upper bounds), unmanaged
 * snapshots, orphaned series, and one summary line. Everything from AWS goes through `safeText`.
 */

import { count, pairs } from '../../core/plural.js';
import { upperBoundOf } from '../../core/report/cost.js';
import type { CoverageSummary } from '../../core/report/summary.js';
import {
  type CoverageReport,
  type OrphanSeries,
  type SeriesCoverage,
  type UnprotectedVolume,
  unreadLabel,
} from '../../core/report/types.js';
import { binReportLines } from './out-of-reach.js';
import { lastRestoreText, showsDrills } from './report-drills.js';
import { safeText } from './safe-text.js';
import { paint, type Tone, table } from './table.js';
import type { TextStyle } from './text.js';
import { atMost, formatAge, formatBytes, formatTime, formatUsd } from './units.js';

const TONE: Record<string, Tone> = { OK: 'green', OVERDUE: 'red', UNPROTECTED: 'yellow', UNKNOWN: 'red' };

/** The whole report. */
export function renderReport(
  reports: readonly CoverageReport[],
  summary: CoverageSummary,
  style: TextStyle,
): string {
  const now = reports[0]?.now;
  const many = reports.length + summary.unread.length > 1;
  const where = (r: { account: string; region: string }) => (many ? [`${r.account}/${r.region}`] : []);
  const lines: string[] = [];
  const title =
    !many && reports.length === 1
      ? `${reports[0]!.account} ${reports[0]!.region}`
      : pairs(reports.length + summary.unread.length);
  lines.push(
    paint(style, 'bold', safeText(`Coverage: ${title}`)) +
      paint(style, 'dim', now === undefined ? '' : `  (now ${formatTime(now)})`),
  );
  lines.push(...renderUnread(summary, style));
  const rows = reports.flatMap((r) => r.series);
  const drills = showsDrills(reports);
  if (rows.length === 0) lines.push(paint(style, 'dim', '  no volume is selected by a policy'));
  else {
    const head = [
      'STATUS',
      ...(many ? ['WHERE'] : []),
      'POLICY',
      'VOLUME',
      'INSTANCE',
      'NEWEST SNAPSHOT',
      'AGE',
      'NEXT DUE',
      ...(drills ? ['LAST RESTORE'] : []),
    ];
    const drillCells = (row: SeriesCoverage) => (drills ? [lastRestoreText(row)] : []);
    lines.push(
      ...table(
        [
          head,
          ...rows.map((row) => [row.status, ...where(row), ...seriesCells(row, now!), ...drillCells(row)]),
        ],
        (cell, c, r) => (r > 0 && c === 0 ? paint(style, TONE[cell.trim()]!, cell) : cell),
      ),
    );
  }
  const unprotected = reports.flatMap((r) => r.unprotected);
  lines.push('', paint(style, 'bold', `Unprotected volumes (no policy selects them): ${unprotected.length}`));
  for (const u of unprotected)
    lines.push(
      `  ${paint(style, 'yellow', 'UNPROTECTED')}  ${safeText([...where(u), unprotectedText(u, style.verbose)].join('  '))}`,
    );
  lines.push('', ...renderPolicies(summary, style), '', ...renderLeftovers(reports, summary, style));
  const bin = binReportLines(reports, style);
  if (bin.length > 0) lines.push('', ...bin);
  for (const w of warningsByPlace(reports)) lines.push(paint(style, 'yellow', `warning: ${safeText(w)}`));
  lines.push('', summaryLine(summary));
  return `${lines.join('\n')}\n`;
}

/** The targets that could not be read, first: their volumes are UNKNOWN, not absent. */
function renderUnread(summary: CoverageSummary, style: TextStyle): string[] {
  const { unread } = summary;
  if (unread.length === 0) return [];
  return [
    paint(
      style,
      'red',
      `Could not be read: ${pairs(unread.length)}; their volumes are UNKNOWN (not listed, not counted below)`,
    ),
    ...unread.map(
      (u) =>
        `  ${paint(style, 'red', 'UNKNOWN')}  ${safeText(`${unreadLabel(u)}  ${u.error.code}: ${u.error.message}`)}`,
    ),
    '',
  ];
}

function seriesCells(row: SeriesCoverage, now: number): string[] {
  const volume =
    row.volumeName === undefined ? row.volumeId : `${row.volumeId} (${safeText(row.volumeName)})`;
  const instance =
    row.instanceId === undefined ? '-' : [row.instanceId, safeText(row.instanceName ?? '')].join(' ').trim();
  const newest =
    row.newest === undefined ? '-' : `${row.newest.snapshotId} ${formatTime(row.newest.startTime)}`;
  const age = row.newest === undefined ? '-' : formatAge(now - row.newest.startTime);
  const next = row.nextDue === undefined ? 'never' : row.nextDue <= now ? 'due now' : formatTime(row.nextDue);
  return [row.policy, volume, instance, newest, age, next];
}

function unprotectedText(u: UnprotectedVolume, verbose: boolean): string {
  const name = u.volumeName === undefined ? '' : ` (${safeText(u.volumeName)})`;
  const attached =
    u.instanceId === undefined
      ? 'detached'
      : `${u.instanceId} ${safeText(u.instanceName ?? '')} ${u.device ?? ''}`.replace(/\s+/g, ' ').trim();
  const tags = Object.entries(u.tags)
    .map(([k, v]) => safeText(`${k}=${v}`))
    .join(' ');
  const shown = verbose || tags.length <= 80 ? tags : `${tags.slice(0, 79)}…`;
  return (
    `${u.volumeId}${name}  ${u.sizeGiB} GiB ${u.state ?? ''}`.trim() +
    `  ${attached}${shown === '' ? '' : `  ${shown}`}`
  );
}

function renderPolicies(summary: CoverageSummary, style: TextStyle): string[] {
  const head = ['POLICY', 'VOLUMES', 'OK', 'OVERDUE', 'SNAPSHOTS', 'SIZE ≤', 'COST/MONTH ≤', 'ORPHANED'];
  const rows = summary.policies.map((p) => [
    p.policy,
    String(p.volumes),
    String(p.ok),
    String(p.overdue),
    p.sizes.count.toLocaleString('en-US'),
    formatBytes(upperBoundOf(p.sizes)),
    formatUsd(p.monthlyCost),
    String(p.orphanSeries),
  ]);
  const note = 'sizes are upper bounds: FullSnapshotSizeInBytes, or the volume size where EC2 gives none';
  return [
    paint(style, 'bold', 'Policies') + paint(style, 'dim', `  (${note})`),
    ...table([head, ...rows], (cell) => cell, [1, 2, 3, 4, 5, 6, 7]),
  ];
}

function renderLeftovers(
  reports: readonly CoverageReport[],
  summary: CoverageSummary,
  style: TextStyle,
): string[] {
  const { unmanaged } = summary.totals;
  const lines = [
    paint(
      style,
      'bold',
      `Unmanaged snapshots: ${unmanaged.count.toLocaleString('en-US')}, ${formatBytes(upperBoundOf(unmanaged))}`,
    ) +
      paint(
        style,
        'dim',
        '  (no ebs-snapper:policy tag, or a policy not in the config: never counted, never deleted)',
      ),
  ];
  const orphans = reports.flatMap((r) => r.orphans);
  lines.push(paint(style, 'bold', `Orphaned series (source volume gone): ${orphans.length}`));
  for (const o of orphans) lines.push(`  ${safeText(orphanText(o))}`);
  return lines;
}

function orphanText(o: OrphanSeries): string {
  const newest = o.newest === undefined ? '' : `, newest ${formatTime(o.newest)}`;
  const rule =
    o.expireAfterMs === undefined
      ? 'kept by the retention rules'
      : `expire after ${formatAge(o.expireAfterMs)}`;
  return `${o.policy}  ${o.volumeId || '(no volume id)'}  ${count(o.snapshots, 'snapshot')}${newest}, ${formatBytes(upperBoundOf(o.sizes))}  (${rule})`;
}

/**
 * Each warning once, naming every account × region it was found in: a warning about sizes or a
 * listing is about one place, and a reader must know which.
 */
export function warningsByPlace(reports: readonly CoverageReport[]): string[] {
  const places = new Map<string, string[]>();
  const add = (message: string, where: string) => {
    const list = places.get(message);
    if (list === undefined) places.set(message, [where]);
    else if (!list.includes(where)) list.push(where);
  };
  for (const r of reports) {
    const where = `${r.account}/${r.region}`;
    for (const w of r.warnings) add(w.message, where);
    for (const g of r.gaps ?? []) add(`could not read ${g.resource} (${g.error})`, where);
  }
  return [...places].map(([message, where]) => `${message} (in ${where.join(', ')})`);
}

/** One line with the totals. */
function summaryLine(summary: CoverageSummary): string {
  const t = summary.totals;
  const targets =
    t.unknownTargets === 0 ? pairs(t.targets) : `${pairs(t.targets)} read, ${t.unknownTargets} UNKNOWN`;
  const unknown =
    t.unknownTargets === 0
      ? ''
      : `UNKNOWN: ${pairs(t.unknownTargets)} could not be read, their volumes unknown; `;
  const sizes =
    t.sizes.unknown === 0
      ? `${atMost(upperBoundOf(t.sizes), formatBytes)}, ${atMost(t.monthlyCost, formatUsd)}/month`
      : `size and cost unknown (${t.sizes.unknown.toLocaleString('en-US')} without a size)`;
  return (
    `Report: ${unknown}${t.series} volume series covered (${t.ok} OK, ${t.overdue} OVERDUE), ${t.unprotected} UNPROTECTED; ` +
    `${count(t.sizes.count, 'snapshot')}, ${sizes} (${targets}).`
  );
}
