import { describe, expect, it } from 'vitest';
import { fleet, series } from '../../../test/support/builders/fleet.js';
import { DAY, HOUR, policy } from '../../../test/support/builders/policy.js';
import { DEFAULT_PRICES } from '../../core/report/cost.js';
import { reportCoverage } from '../../core/report/coverage.js';
import { summarizeCoverage } from '../../core/report/summary.js';
import { renderReportPage } from './html/report-page.js';
import { reportDocument } from './report-json.js';
import { renderReport } from './report-text.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const plain = { color: false, verbose: false };
const drilled = policy({
  id: 'web',
  select: { instances: { 'tag:Role': 'web' } },
  every: '1d',
  drill: { every: '30d' },
});

function sample() {
  const inventory = fleet()
    .instance('web-1', { tags: { Role: 'web' } })
    .volume({ id: 'vol-ok' })
    .snapshots(
      series('web', [NOW - HOUR], {
        tags: {
          'ebs-snapper:drill-result': 'passed',
          'ebs-snapper:drill-at': new Date(NOW - 2 * DAY).toISOString(),
          'ebs-snapper:drill-detail': 'available 41s',
        },
      }),
    )
    .instance('web-2', { tags: { Role: 'web' } })
    .volume({ id: 'vol-new' })
    .snapshots(series('web', [NOW - HOUR]))
    .drillVolume({ of: 'snap-0002', policy: 'web', runId: '20261125T110000Z-00aa11', startedAt: NOW - HOUR })
    .build();
  const reports = [reportCoverage(inventory, [drilled], { now: NOW })];
  const summary = summarizeCoverage(reports, DEFAULT_PRICES);
  return { reports, summary, document: reportDocument(reports, summary, NOW, DEFAULT_PRICES) };
}

describe('the report’s last restore', () => {
  it('shows the last drill per volume in text, JSON and the page, and never the drill volume itself', () => {
    // Prepare
    const { reports, summary, document } = sample();

    // Act
    const text = renderReport(reports, summary, plain);
    const page = renderReportPage(reports, summary, { now: NOW, prices: DEFAULT_PRICES, document });

    // Assess
    expect(text).toMatch(/LAST RESTORE/);
    expect(text).toMatch(/vol-ok .*2026-11-23 12:00Z passed/);
    expect(text).toMatch(/vol-new .* none/);
    expect(text).toContain('Unprotected volumes (no policy selects them): 0');
    expect((document.volumes as Record<string, unknown>[]).map((v) => [v.volume_id, v.last_drill])).toEqual([
      ['vol-new', null],
      [
        'vol-ok',
        {
          snapshot_id: 'snap-0001',
          at: '2026-11-23T12:00:00.000Z',
          result: 'passed',
          detail: 'available 41s',
        },
      ],
    ]);
    expect(page).toContain('Last restore');
  });

  it('leaves the report as it was for a config without drills and no drill on record', () => {
    // Prepare
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .snapshots(series('web', [NOW - HOUR]))
      .build();
    const { drill: _none, ...plainPolicy } = drilled;
    const reports = [reportCoverage(inventory, [plainPolicy], { now: NOW })];
    const summary = summarizeCoverage(reports, DEFAULT_PRICES);

    // Act
    const text = renderReport(reports, summary, plain);
    const document = reportDocument(reports, summary, NOW, DEFAULT_PRICES);

    // Assess
    expect(text).not.toContain('LAST RESTORE');
    expect((document.volumes as Record<string, unknown>[])[0]).not.toHaveProperty('last_drill');
  });
});
