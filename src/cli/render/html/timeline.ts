/**
 * Each series' snapshots on one time axis: a row per series, a tick per snapshot. The axis runs
 * from the oldest snapshot shown to now on a square-root scale of age, so the last day and the
 * last year both get room (monthly and yearly tiers keep snapshots far back).
 */
import { FLAG } from '../../../core/series.js';
import { escapeHtml } from './escape.js';

export interface TimelineRow {
  readonly label: string;
  readonly status: 'OK' | 'OVERDUE';
  /** Start times, oldest first, and their `FLAG` bits. */
  readonly times: Float64Array;
  readonly flags: Uint8Array;
  readonly color: string;
  /** Hover text of the row. */
  readonly note: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const AGES: readonly [number, string][] = [
  [HOUR, '1h'],
  [6 * HOUR, '6h'],
  [DAY, '1d'],
  [3 * DAY, '3d'],
  [7 * DAY, '1w'],
  [14 * DAY, '2w'],
  [30 * DAY, '30d'],
  [90 * DAY, '90d'],
  [180 * DAY, '180d'],
  [365 * DAY, '1y'],
  [730 * DAY, '2y'],
];
const STATUS_COLOR = { OK: '#1a7f37', OVERDUE: '#cf222e' } as const;

/** The timeline chart of `rows` as of `now`. */
export function timelineChart(rows: readonly TimelineRow[], now: number, width = 1180): string {
  const rowHeight = 18;
  const left = 230;
  const right = 16;
  const top = 24;
  let oldest = now - DAY;
  for (const r of rows) if (r.times.length > 0) oldest = Math.min(oldest, r.times[0]!);
  const span = now - oldest;
  const plotW = width - left - right;
  const x = (time: number) => left + plotW * (1 - Math.sqrt(Math.max(0, now - time) / span));
  const height = top + rows.length * rowHeight + 4;
  const parts: string[] = [];
  let lastLabel = Number.POSITIVE_INFINITY;
  for (const [age, label] of [[0, 'now'] as [number, string], ...AGES.filter(([age]) => age <= span)]) {
    const at = x(now - age);
    // Short ages crowd next to "now" on a long axis: skip a label that would touch the last one.
    if (lastLabel - at < 40) continue;
    lastLabel = at;
    const ax = at.toFixed(1);
    parts.push(`<line class="grid" x1="${ax}" x2="${ax}" y1="${top - 4}" y2="${height}"/>`);
    parts.push(
      `<text class="axis" x="${ax}" y="${top - 9}" text-anchor="${age === 0 ? 'end' : 'middle'}">${label}</text>`,
    );
  }
  rows.forEach((r, i) => {
    const y = top + i * rowHeight;
    parts.push(`<g><title>${escapeHtml(r.note)}</title>`);
    parts.push(`<circle cx="10" cy="${y + 9}" r="4" fill="${STATUS_COLOR[r.status]}"/>`);
    parts.push(`<text class="label" x="20" y="${y + 13}">${escapeHtml(shorten(r.label, 32))}</text>`);
    parts.push(`<line class="track" x1="${left}" x2="${width - right}" y1="${y + 9}" y2="${y + 9}"/>`);
    parts.push(ticks(r, x, y));
    parts.push('</g>');
  });
  return (
    `<svg class="chart timeline" viewBox="0 0 ${width} ${height}" role="img" aria-label="Snapshots of each series over time" xmlns="http://www.w3.org/2000/svg">` +
    `<title>Snapshots of each series over time (square-root scale of age)</title>${parts.join('')}</svg>`
  );
}

/** One path per colour for the row's ticks; ticks that fall on the same half unit are drawn once. */
function ticks(row: TimelineRow, x: (time: number) => number, y: number): string {
  const byColor = new Map<string, string[]>();
  const seen = new Set<string>();
  for (let j = 0; j < row.times.length; j++) {
    const state = row.flags[j]! & FLAG.stateMask;
    const color = state === FLAG.error ? '#e5000b' : state === FLAG.unfinished ? '#8c959f' : row.color;
    const at = (Math.round(x(row.times[j]!) * 2) / 2).toFixed(1);
    if (seen.has(`${color}${at}`)) continue;
    seen.add(`${color}${at}`);
    const list = byColor.get(color) ?? [];
    // A failed snapshot stands out: a full-height tick.
    list.push(state === FLAG.error ? `M${at},${y}v18` : `M${at},${y + 3}v12`);
    byColor.set(color, list);
  }
  return [...byColor]
    .map(([color, d]) => `<path d="${d.join('')}" stroke="${color}" stroke-width="1.5"/>`)
    .join('');
}

/** At most `max` characters, with an ellipsis (before escaping, so no entity is cut). */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
