/**
 * `forecast --output html`: totals now and at the end, a line chart of the snapshots each policy
 * keeps day by day, one of the monthly cost, and a table with each policy's steady state.
 */

import { count } from '../../../core/plural.js';
import type { Forecast, ForecastPoint, PolicyForecast } from '../../../core/report/forecast.js';
import type { UnreadTarget } from '../../../core/report/types.js';
import { formatBytes, formatCountShort, formatTime, formatUsd, formatUsdShort } from '../units.js';
import { colorOf, type Line, legend, lineChart } from './charts.js';
import { escapeHtml } from './escape.js';
import { card, panel, renderPage } from './page.js';
import { unreadPanel } from './report-page.js';

const DAY = 86_400_000;

/** The forecast page. `document` is the JSON forecast, embedded for "download data". */
export function renderForecastPage(
  forecast: Forecast,
  document: Record<string, unknown>,
  unread: readonly UnreadTarget[] = [],
): string {
  const dayLabel = (i: number) => `day ${i} · ${new Date(forecast.now + i * DAY).toISOString().slice(0, 10)}`;
  const axisLabel = (i: number) => (i === 0 ? 'now' : `day ${i}`);
  const lines = (pick: (p: PolicyForecast) => number[], total: number[]): Line[] => [
    ...forecast.policies.map((p, i) => ({ label: p.policy, color: colorOf(i), values: pick(p) })),
    ...(forecast.policies.length > 1
      ? [{ label: 'total', color: '#1d2430', values: total, dashed: true }]
      : []),
  ];
  const counts = lines(
    (p) => p.points.map((x) => x.snapshots),
    forecast.totals.map((x) => x.snapshots),
  );
  const costs = lines(
    (p) => p.points.map((x) => x.monthlyCost),
    forecast.totals.map((x) => x.monthlyCost),
  );
  const x = forecast.totals.map((_, i) => dayLabel(i));
  const island = (format: string, data: Line[]) => ({
    format,
    x,
    lines: data.map((l) => ({ label: l.label, values: l.values })),
  });
  const chart = (id: string, title: string, data: Line[], yFormat: (v: number) => string) =>
    lineChart(data, { title, xLabel: axisLabel, yFormat, hover: id }) +
    legend(data) +
    `<div class="readout" id="${id}-readout"></div>`;
  const body = [
    unreadPanel(unread),
    cards(forecast),
    panel(
      'Snapshots kept',
      chart('snapshots', 'Snapshots kept, day by day', counts, formatCountShort),
      'After each day’s runs; hover for the numbers.',
    ),
    panel(
      'Monthly cost',
      chart('cost', 'Monthly cost (USD), day by day', costs, formatUsdShort),
      costHint(forecast),
    ),
    forecast.warnings.length === 0
      ? ''
      : panel(
          'Warnings',
          `<ul>${forecast.warnings.map((w) => `<li>${escapeHtml(`${w.message} (in ${w.account}/${w.region})`)}</li>`).join('')}</ul>`,
        ),
    panel(
      'Policies',
      policyTable(forecast),
      'Steady: the range of the count over the second half of the forecast, and the day it entered that range for good (“not settled”: still growing or shrinking at the end; forecast more days).',
    ),
  ].join('\n');
  return renderPage({
    title: `ebs-snapper forecast — ${forecast.days} days`,
    heading: `<span class="brand">ebs-snapper</span> forecast`,
    subtitle: `${forecast.days} days of simulated runs from ${formatTime(forecast.now)}`,
    body,
    data: { document, snapshots: island('count', counts), cost: island('usd', costs) },
    downloadName: `ebs-snapper-forecast-${new Date(forecast.now).toISOString().slice(0, 10)}.json`,
    footer:
      'Made by ebs-snapper: its own planner, run forward on each policy’s schedule. Assumes every run succeeds and snapshots complete before the next run.',
  });
}

/** A point's storage and cost, undefined (shown `unknown`) while a kept snapshot's size is unknown. */
const storedOf = (p: ForecastPoint) => (p.unknownSizes > 0 ? undefined : p.storedBytes);
const costOf = (p: ForecastPoint) => (p.unknownSizes > 0 ? undefined : p.monthlyCost);

function cards(forecast: Forecast): string {
  const first = forecast.totals[0]!;
  const end = forecast.totals.at(-1)!;
  const series = forecast.policies.reduce((n, p) => n + p.series, 0);
  return `<section class="cards">${[
    card('Policies', String(forecast.policies.length), `${series.toLocaleString('en-US')} volume series`),
    card('Snapshots now', first.snapshots.toLocaleString('en-US'), formatBytes(storedOf(first))),
    card(`After ${forecast.days} days`, end.snapshots.toLocaleString('en-US'), formatBytes(storedOf(end))),
    card('Cost now', formatUsd(costOf(first)), 'per month, by the model'),
    card(`Cost after ${forecast.days} days`, formatUsd(costOf(end)), 'per month, by the model'),
    card(
      'Change rate',
      `${(forecast.changeRate * 100).toFixed(forecast.changeRate < 0.01 ? 2 : 1)}%`,
      'of a volume per day',
    ),
  ].join('')}</section>`;
}

function costHint(forecast: Forecast): string {
  const unknown = Math.max(...forecast.totals.map((p) => p.unknownSizes));
  const note =
    unknown === 0
      ? ''
      : ` ${count(unknown, 'snapshot')} ${unknown === 1 ? 'has' : 'have'} no size: the lines leave them out while they are kept, so there the cost is unknown.`;
  return (
    'Snapshots that exist count their size from EC2 (an upper bound), in their tier: standard ' +
    `$${forecast.prices.standard}, archive $${forecast.prices.archive} per GB-month. New ones store the whole volume ` +
    `first, then ${(forecast.changeRate * 100).toFixed(1)}% of it per day since the one before.${note}`
  );
}

function policyTable(forecast: Forecast): string {
  const head = [
    'Policy',
    'Series',
    'Runs',
    'Now',
    'Day 30',
    'End',
    'Steady',
    'Stored at end',
    'Cost now',
    'Cost at end',
  ];
  const rows = forecast.policies.map((p, i) => {
    const at = (day: number) => p.points[Math.min(day, p.points.length - 1)]!;
    const s = p.steady;
    const range = s.min === s.max ? String(s.min) : `${s.min}–${s.max}`;
    const steady = s.settled ? `${range} from day ${s.reachedDay}` : `${range}, not settled`;
    const cells = [
      `<svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" rx="2" fill="${colorOf(i)}"/></svg> ${escapeHtml(p.policy)}`,
      String(p.series),
      String(p.runs),
      String(at(0).snapshots),
      String(at(30).snapshots),
      String(at(forecast.days).snapshots),
      steady,
      formatBytes(storedOf(at(forecast.days))),
      formatUsd(costOf(at(0))),
      formatUsd(costOf(at(forecast.days))),
    ];
    return `<tr>${cells.map((c, j) => (j === 0 ? `<td>${c}</td>` : `<td${j === 6 ? '' : ' class="num"'}>${escapeHtml(c)}</td>`)).join('')}</tr>`;
  });
  const heads = head
    .map((h, j) => `<th${j === 0 || j === 6 ? '' : ' class="num"'}>${escapeHtml(h)}</th>`)
    .join('');
  return `<table><thead><tr>${heads}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
