/**
 * The report page's tables. Cells carry a sort key (`data-v`) where the text does not sort
 * right (status by urgency, ages and sizes by number); every text from AWS is escaped.
 */

import { count } from '../../../core/plural.js';
import { upperBoundOf } from '../../../core/report/cost.js';
import type { CoverageSummary } from '../../../core/report/summary.js';
import type { CoverageReport, UnprotectedVolume } from '../../../core/report/types.js';
import { lastRestoreCell } from '../report-drills.js';
import { warningsByPlace } from '../report-text.js';
import { formatAge, formatBytes, formatTime, formatUsd } from '../units.js';
import { escapeHtml } from './escape.js';
import { panel } from './page.js';
import type { CoverageRow } from './report-page.js';
import { shorten } from './timeline.js';

const URGENCY = { OVERDUE: 0, UNPROTECTED: 1, OK: 2 } as const;

const td = (text: string, sortKey?: string | number | undefined, cls = ''): string =>
  `<td${cls === '' ? '' : ` class="${cls}"`}${sortKey === undefined ? '' : ` data-v="${escapeHtml(String(sortKey))}"`}>${escapeHtml(text)}</td>`;

/** A cell whose hover text (title) says more, e.g. the snapshot id behind a time. */
const tdTitled = (text: string, title: string, sortKey: number): string =>
  `<td data-v="${sortKey}" title="${escapeHtml(title)}">${escapeHtml(text)}</td>`;

const th = (text: string, sort: 'text' | 'num', cls = ''): string =>
  `<th data-sort="${sort}"${cls === '' ? '' : ` class="${cls}"`}>${escapeHtml(text)}</th>`;

/** The coverage table with its filter box. */
export function coverageTable(
  rows: readonly CoverageRow[],
  now: number,
  many: boolean,
  drills = false,
): string {
  const head = [
    th('Status', 'num'),
    ...(many ? [th('Where', 'text')] : []),
    th('Policy', 'text'),
    th('Volume · Name', 'text'),
    th('Instance · Name', 'text'),
    th('Newest snapshot', 'num'),
    th('Age', 'num', 'num'),
    th('Next due', 'num'),
    th('Snapshots', 'num', 'num'),
    th('Size', 'num', 'num'),
    ...(drills ? [th('Last restore', 'num')] : []),
  ].join('');
  const body = rows.map((row) => coverageRow(row, now, many, drills)).join('\n');
  return (
    `<div class="toolbar"><input type="search" placeholder="Filter: policy, volume, name, instance…" data-filter="coverage" aria-label="Filter the coverage table">` +
    `<span class="count" id="coverage-count">${count(rows.length, 'row')}</span></div>` +
    `<div class="scroll"><table class="sortable" id="coverage"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`
  );
}

function coverageRow(row: CoverageRow, now: number, many: boolean, drills: boolean): string {
  const cells = [
    `<td data-v="${URGENCY[row.status]}"><span class="pill ${row.status}">${row.status}</span></td>`,
    ...(many ? [td(`${row.account}/${row.region}`)] : []),
    row.status === 'UNPROTECTED' ? td('—', '') : td(row.policy),
    named(row.volumeId, row.volumeName),
    row.instanceId === undefined ? td('—', '') : named(row.instanceId, row.instanceName),
  ];
  if (row.status === 'UNPROTECTED') {
    cells.push(td('—', 0), td('—', -1, 'num'), td('—', Number.MAX_SAFE_INTEGER), td('0', 0, 'num'));
  } else {
    const newest = row.newest;
    cells.push(
      newest === undefined
        ? td('none yet', 0)
        : tdTitled(formatTime(newest.startTime), newest.snapshotId, newest.startTime),
      newest === undefined
        ? td('—', Number.MAX_SAFE_INTEGER, 'num')
        : td(formatAge(now - newest.startTime), now - newest.startTime, 'num'),
      row.nextDue === undefined
        ? td('never', Number.MAX_SAFE_INTEGER)
        : td(row.nextDue <= now ? 'due now' : formatTime(row.nextDue), row.nextDue),
      td(String(row.snapshots), row.snapshots, 'num'),
    );
  }
  cells.push(td(`${row.sizeGiB} GiB`, row.sizeGiB, 'num'));
  if (drills) cells.push(lastRestoreCell(row.status === 'UNPROTECTED' ? undefined : row));
  return `<tr title="${escapeHtml(row.reason.message)}">${cells.join('')}</tr>`;
}

/** An id with its Name tag after it (muted); sorts and filters on both. */
function named(id: string, name: string | undefined): string {
  const label =
    name === undefined || name === '' ? '' : ` <span class="muted">${escapeHtml(shorten(name, 40))}</span>`;
  return `<td data-v="${escapeHtml(id)}"><span class="mono">${escapeHtml(id)}</span>${label}</td>`;
}

/** Per policy: volumes, statuses, snapshots, size and cost (upper bounds). */
export function policyTable(summary: CoverageSummary): string {
  const head = [
    'Policy',
    'Volumes',
    'OK',
    'Overdue',
    'Snapshots',
    'Size ≤',
    'Cost/month ≤',
    'Orphaned series',
  ];
  const rows = summary.policies.map(
    (p) =>
      `<tr>${td(p.policy)}${td(String(p.volumes), p.volumes, 'num')}${td(String(p.ok), p.ok, 'num')}${td(String(p.overdue), p.overdue, 'num')}` +
      `${td(p.sizes.count.toLocaleString('en-US'), p.sizes.count, 'num')}${td(formatBytes(upperBoundOf(p.sizes)), upperBoundOf(p.sizes) ?? -1, 'num')}` +
      `${td(formatUsd(p.monthlyCost), p.monthlyCost ?? -1, 'num')}${td(String(p.orphanSeries), p.orphanSeries, 'num')}</tr>`,
  );
  const heads = head.map((h, i) => th(h, i === 0 ? 'text' : 'num', i === 0 ? '' : 'num')).join('');
  return `<table class="sortable" id="policies"><thead><tr>${heads}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The volumes no policy selects, with their instance and tags. */
export function unprotectedTable(volumes: readonly UnprotectedVolume[], limit: number): string {
  if (volumes.length === 0) return '';
  const rows = volumes.slice(0, limit).map((u) => {
    const tags = Object.entries(u.tags)
      .map(([k, v]) => `<span class="tag">${escapeHtml(shorten(`${k}=${v}`, 80))}</span>`)
      .join('');
    const instance =
      u.instanceId === undefined
        ? 'detached'
        : `${u.instanceId}${u.instanceName === undefined ? '' : ` (${u.instanceName})`} ${u.device ?? ''}`;
    return `<tr>${td(u.volumeId, undefined, 'mono')}${td(`${u.sizeGiB} GiB`, u.sizeGiB, 'num')}${td(u.state ?? '')}${td(instance)}<td class="wrap">${tags}</td></tr>`;
  });
  const heads = [
    th('Volume', 'text'),
    th('Size', 'num', 'num'),
    th('State', 'text'),
    th('Instance', 'text'),
    th('Tags', 'text'),
  ].join('');
  const more = volumes.length > limit ? `<p class="note">${volumes.length - limit} more not shown.</p>` : '';
  return panel(
    `Unprotected volumes (${volumes.length})`,
    `<div class="scroll"><table class="sortable" id="unprotected"><thead><tr>${heads}</tr></thead><tbody>${rows.join('')}</tbody></table></div>${more}`,
    'No policy selects these volumes: add them to a policy, or exclude them on purpose.',
  );
}

/** Unmanaged snapshots per target, orphaned series, and the report's warnings. */
export function leftovers(reports: readonly CoverageReport[], summary: CoverageSummary): string {
  const unmanaged = reports.map(
    (r) =>
      `<tr>${td(`${r.account}/${r.region}`)}${td(r.unmanaged.count.toLocaleString('en-US'), r.unmanaged.count, 'num')}${td(formatBytes(upperBoundOf(r.unmanaged)), upperBoundOf(r.unmanaged) ?? -1, 'num')}</tr>`,
  );
  const orphans = reports.flatMap((r) =>
    r.orphans.map(
      (o) =>
        `<tr>${td(o.policy)}${td(o.volumeId || '(none)', undefined, 'mono')}${td(String(o.snapshots), o.snapshots, 'num')}` +
        `${td(o.newest === undefined ? '—' : formatTime(o.newest), o.newest ?? 0)}${td(formatBytes(upperBoundOf(o.sizes)), upperBoundOf(o.sizes) ?? -1, 'num')}` +
        `${td(o.expireAfterMs === undefined ? 'kept by the retention rules' : `expire after ${formatAge(o.expireAfterMs)}`)}</tr>`,
    ),
  );
  const unmanagedTable = `<table><thead><tr><th>Account/region</th><th class="num">Snapshots</th><th class="num">Size ≤</th></tr></thead><tbody>${unmanaged.join('')}</tbody></table>`;
  const orphanTable =
    orphans.length === 0
      ? '<p class="muted">None.</p>'
      : `<table class="sortable" id="orphans"><thead><tr>${[th('Policy', 'text'), th('Source volume', 'text'), th('Snapshots', 'num', 'num'), th('Newest', 'num'), th('Size ≤', 'num', 'num'), th('What happens', 'text')].join('')}</tr></thead><tbody>${orphans.join('')}</tbody></table>`;
  const warnings = warningsByPlace(reports);
  const warningList =
    warnings.length === 0
      ? ''
      : panel('Warnings', `<ul>${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`);
  return (
    `<div class="grid2">${panel(`Unmanaged snapshots (${summary.totals.unmanaged.count.toLocaleString('en-US')})`, unmanagedTable, 'No ebs-snapper:policy tag, or a policy not in the config: never counted, never deleted.')}` +
    `${panel(`Orphaned series (${summary.totals.orphanSeries})`, orphanTable, 'The source volume is gone; the policy’s rules still apply.')}</div>${warningList}`
  );
}
