import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fleet, series } from '../../../test/support/builders/fleet.js';
import { DAY, HOUR, policy } from '../../../test/support/builders/policy.js';
import { DEFAULT_PRICES } from '../../core/report/cost.js';
import { reportCoverage } from '../../core/report/coverage.js';
import { forecastPolicies } from '../../core/report/forecast.js';
import { summarizeCoverage } from '../../core/report/summary.js';
import { forecastDocument } from './forecast-json.js';
import { renderForecast } from './forecast-text.js';
import { CLIENT_SCRIPT } from './html/client-script.js';
import { renderForecastPage } from './html/forecast-page.js';
import { renderReportPage } from './html/report-page.js';
import { reportDocument } from './report-json.js';
import { renderReport } from './report-text.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const plain = { color: false, verbose: false };
const web = policy({ id: 'web', select: { instances: { 'tag:Role': 'web' } }, every: '1d' });

function sample() {
  const inventory = fleet()
    .instance('web-1', { tags: { Role: 'web' } })
    .volume({ id: 'vol-ok', tags: { Name: 'root\u001b[2J' } })
    .snapshots(series('web', [NOW - HOUR]))
    .instance('web-2', { tags: { Role: 'web' } })
    .volume({ id: 'vol-late' })
    .snapshots(series('web', [NOW - 3 * DAY]))
    .instance('db-1', { tags: { Role: 'db', Name: '<b>db</b>' } })
    .volume({ id: 'vol-db', tags: { Team: '</script><script>x()</script>' } })
    .build();
  const reports = [reportCoverage(inventory, [web], { now: NOW })];
  const summary = summarizeCoverage(reports, DEFAULT_PRICES);
  return { inventory, reports, summary, document: reportDocument(reports, summary, NOW, DEFAULT_PRICES) };
}

describe('report rendering', () => {
  it('prints the coverage table, unprotected volumes with tags, and a summary line, without control characters', () => {
    // Prepare
    const { reports, summary } = sample();

    // Act
    const text = renderReport(reports, summary, plain);

    // Assess
    expect(text).toMatch(/OVERDUE\s+web\s+vol-late\s.*3d 0h\s+due now/);
    expect(text).toMatch(/OK\s+web\s+vol-ok \(root\\u001B\[2J\)/);
    expect(text).toMatch(
      /UNPROTECTED\s+vol-db\s+8 GiB in-use\s+i-db-1 <b>db<\/b> \/dev\/xvda\s+Team=<\/script>/,
    );
    expect(text).not.toContain('\u001b');
    expect(text).toMatch(/Report: 2 volume series covered \(1 OK, 1 OVERDUE\), 1 UNPROTECTED; 2 snapshots/);
  });

  it('shows bidi and format characters from tags as visible escapes in every part of the text', () => {
    // Prepare
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web', Name: 'web\u2067-1' } })
      .volume({ id: 'vol-ok', tags: { Name: 'root\u202Egpj.exe' } })
      .snapshots(series('web', [NOW - HOUR]))
      .snapshots(
        series('web', [NOW - HOUR], {
          volumeId: 'vol-gone\u202E\u200B',
          tags: { 'ebs-snapper:volume-id': 'vol-gone\u202E\u200B' },
        }),
      )
      .instance('db-1', { tags: { Role: 'db' } })
      .volume({ id: 'vol-db', tags: { Team: 'a\u200Db\uFEFFc\u00ADd\u061Ce' } })
      .build();
    const reports = [reportCoverage(inventory, [web], { now: NOW })];
    const summary = summarizeCoverage(reports, DEFAULT_PRICES);

    // Act
    const text = renderReport(reports, summary, { color: true, verbose: true });
    const json = JSON.stringify(reportDocument(reports, summary, NOW, DEFAULT_PRICES));

    // Assess
    expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u00AD\uFEFF\u061C]/);
    expect(text).toContain('vol-ok (root\\u202Egpj.exe)');
    expect(text).toContain('i-web-1 web\\u2067-1');
    expect(text).toContain('Team=a\\u200Db\\uFEFFc\\u00ADd\\u061Ce');
    expect(text).toContain('vol-gone\\u202E\\u200B');
    expect(JSON.parse(json).unprotected[0].tags.Team).toBe('a\u200Db\uFEFFc\u00ADd\u061Ce');
  });

  it('shows a size it cannot know as unknown, never $0.00, with a warning that names its account × region', () => {
    // Prepare: an orphaned series whose snapshots carry no size, and no volume to stand in.
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume({ id: 'vol-ok', size: 8 })
      .snapshots(series('web', [NOW - HOUR]))
      .snapshots(
        series('web', [NOW - DAY], { volumeId: 'vol-gone', tags: { 'ebs-snapper:volume-id': 'vol-gone' } }),
      )
      .build();
    const reports = [reportCoverage(inventory, [web], { now: NOW })];
    const summary = summarizeCoverage(reports, DEFAULT_PRICES);

    // Act
    const text = renderReport(reports, summary, plain);
    const json = JSON.parse(JSON.stringify(reportDocument(reports, summary, NOW, DEFAULT_PRICES)));

    // Assess
    expect(text).toMatch(/^\s+web\s+1\s+1\s+0\s+2\s+unknown\s+unknown\s+1$/m);
    expect(text).toContain(
      'warning: policy web: 1 snapshot has no size (no FullSnapshotSizeInBytes, no volume size): storage and cost unknown (in 111122223333/eu-west-1)',
    );
    expect(text).toMatch(/2 snapshots, size and cost unknown \(1 without a size\)/);
    expect(text).not.toContain('$0.00');
    expect(json.policies[0]).toMatchObject({
      upper_bound_bytes: null,
      monthly_cost_usd: null,
      snapshots_size_unknown: 1,
    });
    expect(json.totals).toMatchObject({ upper_bound_bytes: null, monthly_cost_usd: null });
    expect(json.warnings).toEqual([
      expect.objectContaining({ code: 'report.sizes-unknown', account: '111122223333', region: 'eu-west-1' }),
    ]);
    const forecast = forecastPolicies([inventory], [web], { now: NOW, days: 3 });
    const forecastText = renderForecast(forecast, plain);
    expect(forecastText).toMatch(/^\s+web\s+1\s+2\s+.*unknown → .*unknown → /m);
    expect(forecastText).toContain('(in 111122223333/eu-west-1)');
    expect(forecastText).not.toContain('$0.00');
  });

  it('counts the volume size where EC2 gives no snapshot size, as an upper bound', () => {
    // Prepare
    const { reports, summary } = sample();

    // Act
    const text = renderReport(reports, summary, plain);

    // Assess
    expect(text).toMatch(/2 snapshots, ≤ 16\.0 GiB, ≤ \$0\.80\/month/);
  });

  it('writes one JSON document with snake_case keys', () => {
    // Prepare
    const { document } = sample();

    // Act
    const json = JSON.parse(JSON.stringify(document));

    // Assess
    expect(json).toMatchObject({
      version: 1,
      kind: 'report',
      now: '2026-11-25T12:00:00.000Z',
      regions: ['eu-west-1'],
    });
    expect(json.totals).toMatchObject({ series: 2, ok: 1, overdue: 1, unprotected: 1, snapshots: 2 });
    expect(json.volumes[0]).toMatchObject({
      status: 'OVERDUE',
      volume_id: 'vol-late',
      newest_snapshot: { age_seconds: 3 * 86_400 },
      next_due: '2026-11-25T12:00:00.000Z',
      reason: { code: 'coverage.late' },
    });
    expect(json.unprotected[0]).toMatchObject({
      status: 'UNPROTECTED',
      volume_id: 'vol-db',
      instance_name: '<b>db</b>',
    });
  });

  it('makes a page whose policy pins its one script by hash, with every tag escaped', () => {
    // Prepare
    const { reports, summary, document } = sample();

    // Act
    const html = renderReportPage(reports, summary, { now: NOW, prices: DEFAULT_PRICES, document });

    // Assess
    const hash = createHash('sha256').update(CLIENT_SCRIPT).digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
    expect(html).toContain("default-src 'none'");
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain('<b>db</b>');
    expect(html).toContain('&lt;b&gt;db&lt;/b&gt;');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('cuts the table and the timelines at their limits and says how many it left out', () => {
    // Prepare
    const { reports, summary, document } = sample();

    // Act
    const html = renderReportPage(
      reports,
      summary,
      { now: NOW, prices: DEFAULT_PRICES, document },
      { rows: 2, timelines: 1 },
    );

    // Assess
    expect(html.match(/<tr title=/g)).toHaveLength(2);
    expect(html).toContain('1 more row not shown');
    expect(html).toContain('1 more series not shown');
  });
});

describe('forecast rendering', () => {
  it('prints checkpoints, the steady state and costs; writes JSON points; draws a page', () => {
    // Prepare
    const { inventory } = sample();
    const forecast = forecastPolicies([inventory], [web], { now: NOW, days: 10 });

    // Act
    const text = renderForecast(forecast, plain);
    const json = JSON.parse(JSON.stringify(forecastDocument(forecast, 1)));
    const html = renderForecastPage(forecast, forecastDocument(forecast, 1));

    // Assess
    expect(text).toMatch(/POLICY\s+SERIES\s+NOW\s+DAY 7\s+DAY 10\s+STEADY/);
    expect(text).toMatch(/^\s+web\s+2\s+2\s+4\s+4\s/m);
    expect(json).toMatchObject({ kind: 'forecast', days: 10, change_rate: 0.03, targets: 1 });
    expect(json.policies[0].points).toHaveLength(11);
    expect(json.policies[0].steady).toMatchObject({ snapshots: 4, snapshots_per_series: 2 });
    expect(html).toContain('data-hover="snapshots"');
    expect(html).toContain('data-hover="cost"');
  });
});
