/**
 * A small SVG chart kit, drawn when the page is written: a horizontal bar chart and a line
 * chart. The page needs no charting library and nothing from the network; every label goes
 * through `escapeHtml`. Sizes are in SVG user units; the SVG scales to its container's width.
 */
import { escapeHtml } from './escape.js';

/** Policy colours, in policy order (distinguishable; no red, which marks failures). */
const PALETTE = ['#2563eb', '#7c3aed', '#059669', '#d97706', '#0891b2', '#db2777', '#65a30d', '#475569'];

export const colorOf = (index: number): string => PALETTE[index % PALETTE.length]!;

const n = (value: number): string => (Math.round(value * 10) / 10).toString();

/**
 * Round steps for an axis from 0 to at least `max`: 1, 2 or 5 times a power of ten.
 *
 * @example niceTicks(87, 5) // [0, 20, 40, 60, 80, 100]
 */
function niceTicks(max: number, count: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = 0; t < max + step; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly color: string;
  /** Shown after the bar. */
  readonly note: string;
}

/** Horizontal bars, one per item, longest = widest. */
export function barChart(bars: readonly Bar[], title: string, width = 580): string {
  const row = 30;
  const labelWidth = 140;
  const noteWidth = 320;
  const height = Math.max(1, bars.length) * row + 8;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const span = width - labelWidth - noteWidth;
  const parts = bars.map((b, i) => {
    const y = 4 + i * row;
    const w = Math.max(2, (b.value / max) * span);
    return (
      `<text class="label" x="${labelWidth - 8}" y="${y + 19}" text-anchor="end">${escapeHtml(b.label)}</text>` +
      `<rect x="${labelWidth}" y="${y + 5}" width="${n(w)}" height="${row - 10}" rx="3" fill="${b.color}"><title>${escapeHtml(`${b.label}: ${b.note}`)}</title></rect>` +
      `<text class="note" x="${n(labelWidth + w + 8)}" y="${y + 19}">${escapeHtml(b.note)}</text>`
    );
  });
  return svg(width, height, title, parts.join(''));
}

export interface Line {
  readonly label: string;
  readonly color: string;
  readonly values: readonly number[];
  readonly dashed?: boolean;
}

export interface LineChartOptions {
  readonly title: string;
  /** Label of point i on the x axis (a few are drawn). */
  readonly xLabel: (index: number) => string;
  readonly yFormat: (value: number) => string;
  readonly width?: number;
  readonly height?: number;
  /** Name of the data this chart shows, for the page's hover read-out. */
  readonly hover?: string;
}

/** Lines over a shared x axis (points 0..n-1), with gridlines and axis labels (legend: `legend`). */
export function lineChart(lines: readonly Line[], options: LineChartOptions): string {
  const width = options.width ?? 1200;
  const height = options.height ?? 300;
  const pad = { left: 64, right: 12, top: 12, bottom: 28 };
  const count = Math.max(2, ...lines.map((l) => l.values.length));
  const ticks = niceTicks(Math.max(0, ...lines.flatMap((l) => l.values)), 5);
  const top = ticks.at(-1)!;
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (i: number) => pad.left + (i / (count - 1)) * plotW;
  const y = (v: number) => pad.top + plotH - (v / top) * plotH;
  const grid = ticks.map(
    (t) =>
      `<line class="grid" x1="${pad.left}" x2="${width - pad.right}" y1="${n(y(t))}" y2="${n(y(t))}"/>` +
      `<text class="axis" x="${pad.left - 8}" y="${n(y(t) + 4)}" text-anchor="end">${escapeHtml(options.yFormat(t))}</text>`,
  );
  const xs = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * (count - 1)));
  const anchor = (i: number) => (i === 0 ? 'start' : i === count - 1 ? 'end' : 'middle');
  const xAxis = [...new Set(xs)].map(
    (i) =>
      `<text class="axis" x="${n(x(i))}" y="${height - pad.bottom + 18}" text-anchor="${anchor(i)}">${escapeHtml(options.xLabel(i))}</text>`,
  );
  const paths = lines.map((l) => {
    const d = l.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${n(x(i))},${n(y(v))}`).join('');
    return `<path d="${d}" fill="none" stroke="${l.color}" stroke-width="2"${l.dashed ? ' stroke-dasharray="6 4"' : ''}><title>${escapeHtml(l.label)}</title></path>`;
  });
  const hover =
    options.hover === undefined
      ? ''
      : `<line class="cursor" x1="0" x2="0" y1="${pad.top}" y2="${pad.top + plotH}" visibility="hidden"/>` +
        `<rect class="hit" x="${pad.left}" y="${pad.top}" width="${plotW}" height="${plotH}" fill="transparent"/>`;
  const attributes =
    options.hover === undefined
      ? ''
      : ` data-hover="${escapeHtml(options.hover)}" data-x0="${pad.left}" data-x1="${width - pad.right}" data-points="${count}"`;
  return svg(width, height, options.title, [...grid, ...xAxis, ...paths, hover].join(''), attributes);
}

function svg(width: number, height: number, title: string, body: string, attributes = ''): string {
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}"${attributes} xmlns="http://www.w3.org/2000/svg">` +
    `<title>${escapeHtml(title)}</title>${body}</svg>`
  );
}

/** A legend for lines or bars, as HTML (it wraps with the page). */
export function legend(
  items: readonly { readonly label: string; readonly color: string; readonly dashed?: boolean }[],
): string {
  const entries = items.map(
    (i) =>
      `<span class="key"><svg width="18" height="8" aria-hidden="true"><line x1="0" x2="18" y1="4" y2="4" stroke="${i.color}" stroke-width="3"${i.dashed ? ' stroke-dasharray="5 3"' : ''}/></svg>${escapeHtml(i.label)}</span>`,
  );
  return `<div class="legend">${entries.join('')}</div>`;
}
