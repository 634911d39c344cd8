/**
 * `forecast` as text: per policy the count of snapshots at a few checkpoints, where it settles,
 * and storage and monthly cost now and at the end; then the totals.
 */

import { count, pairs } from '../../core/plural.js';
import type { Forecast, ForecastPoint, PolicyForecast } from '../../core/report/forecast.js';
import { type UnreadTarget, unreadLabel } from '../../core/report/types.js';
import { safeText } from './safe-text.js';
import { paint, table } from './table.js';
import type { TextStyle } from './text.js';
import { formatBytes, formatTime, formatUsd } from './units.js';

/** A point's storage and cost as text: `unknown` while a kept snapshot's size is. */
const stored = (p: ForecastPoint): string => formatBytes(p.unknownSizes > 0 ? undefined : p.storedBytes);
const cost = (p: ForecastPoint): string => formatUsd(p.unknownSizes > 0 ? undefined : p.monthlyCost);

const CHECKPOINTS = [0, 7, 30, 90, 180, 365, 730];

/** The Recycle Bin's share (SPEC §14): deleted snapshots a rule still keeps, billed as standard. */
const binText = (p: ForecastPoint): string =>
  p.recycleBinBytes === undefined ? '' : ` + ${formatBytes(p.recycleBinBytes)} in the Recycle Bin`;

function steadyText(f: PolicyForecast): string {
  const { steady } = f;
  const range = steady.min === steady.max ? String(steady.min) : `${steady.min}–${steady.max}`;
  if (!steady.settled) return `${range}, not settled`;
  const series = f.series + f.otherSeries;
  const per = series === 0 ? '' : ` (${(steady.snapshots / series).toFixed(1)}/series)`;
  return `${range}${per} from day ${steady.reachedDay}`;
}

/** The targets that could not be read: named first, since no figure below counts them. */
function unreadLines(unread: readonly UnreadTarget[], style: TextStyle): string[] {
  if (unread.length === 0) return [];
  return [
    paint(
      style,
      'red',
      `Could not be read: ${pairs(unread.length)}; the forecast leaves their volumes and snapshots out (UNKNOWN)`,
    ),
    ...unread.map(
      (u) =>
        `  ${paint(style, 'red', 'UNKNOWN')}  ${safeText(`${unreadLabel(u)}  ${u.error.code}: ${u.error.message}`)}`,
    ),
  ];
}

/** The whole forecast; `unread` are the targets it could not read. */
export function renderForecast(
  forecast: Forecast,
  style: TextStyle,
  unread: readonly UnreadTarget[] = [],
): string {
  const days = [...new Set([...CHECKPOINTS.filter((d) => d < forecast.days), forecast.days])];
  const rate = `${(forecast.changeRate * 100).toFixed(forecast.changeRate * 100 < 1 ? 2 : 0)}%`;
  const lines = [
    paint(style, 'bold', `Forecast: ${forecast.days} days from ${formatTime(forecast.now)}`) +
      paint(
        style,
        'dim',
        `  (change rate ${rate} a day; per GB-month standard $${forecast.prices.standard}, archive $${forecast.prices.archive})`,
      ),
    ...unreadLines(unread, style),
  ];
  const head = [
    'POLICY',
    'SERIES',
    ...days.map((d) => (d === 0 ? 'NOW' : `DAY ${d}`)),
    'STEADY',
    'STORED',
    'COST/MONTH',
  ];
  const rows = forecast.policies.map((f) => {
    const first = f.points[0]!;
    const end = f.points.at(-1)!;
    return [
      f.policy,
      String(f.series),
      ...days.map((d) => f.points[d]!.snapshots.toLocaleString('en-US')),
      steadyText(f),
      `${stored(first)} → ${stored(end)}`,
      `${cost(first)} → ${cost(end)}`,
    ];
  });
  const totals = forecast.totals;
  const total = [
    'total',
    String(forecast.policies.reduce((n, f) => n + f.series, 0)),
    ...days.map((d) => totals[d]!.snapshots.toLocaleString('en-US')),
    '',
    `${stored(totals[0]!)} → ${stored(totals.at(-1)!)}`,
    `${cost(totals[0]!)} → ${cost(totals.at(-1)!)}`,
  ];
  const numbers = Array.from({ length: days.length + 1 }, (_, i) => i + 1);
  lines.push(
    ...table(
      [head, ...rows, total],
      (cell, _c, r) => (r === rows.length + 1 ? paint(style, 'bold', cell) : cell),
      numbers,
    ),
  );
  const end = totals.at(-1)!;
  for (const w of forecast.warnings)
    lines.push(paint(style, 'yellow', safeText(`warning: ${w.message} (in ${w.account}/${w.region})`)));
  lines.push(
    '',
    `Forecast: ${count(end.snapshots, 'snapshot')}, ${stored(end)}${binText(end)}, ${cost(end)}/month after ${forecast.days} days ` +
      `(now ${count(totals[0]!.snapshots, 'snapshot')}, ${cost(totals[0]!)}/month)` +
      (unread.length === 0 ? '.' : `; INCOMPLETE: ${pairs(unread.length)} UNKNOWN, not counted.`),
  );
  return `${lines.join('\n')}\n`;
}
