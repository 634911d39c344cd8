import { describe, expect, it } from 'vitest';
import { fleet, manual, series, spaced } from '../../../test/support/builders/fleet.js';
import { DAY, HOUR, policy } from '../../../test/support/builders/policy.js';
import { TAG } from '../model.js';
import { DEFAULT_PRICES, GIB, upperBoundOf } from './cost.js';
import { reportCoverage } from './coverage.js';
import { forecastPolicies } from './forecast.js';
import { summarizeCoverage } from './summary.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const web = { instances: { 'tag:Role': 'web' } };
const daily = policy({ id: 'daily', select: web, every: '1d', retention: { maxAge: '7d', minimum: 3 } });

/**
 * One account × region with every kind of snapshot the model counts differently: sizes from EC2,
 * only a volume size, archived, failed, an orphaned series, a copy from another region, and two
 * volumes of different sizes whose series have the same times (the forecast plans them as one).
 */
function mixedFleet(region: string) {
  const times = spaced(5, DAY, { from: NOW - HOUR });
  return fleet({ region })
    .instance('web-1', { tags: { Role: 'web' } })
    .volume({ size: 100 })
    .snapshots(series('daily', times, { fullSizeBytes: 30 * GIB }))
    .instance('web-2', { tags: { Role: 'web' } })
    .volume({ size: 500 })
    .snapshots(series('daily', times, { sizeGiB: 500 }))
    .snapshots(series('daily', [NOW - 40 * DAY], { fullSizeBytes: 400 * GIB, storageTier: 'archive' }))
    .snapshots(series('daily', [NOW - 2 * HOUR], { state: 'error', fullSizeBytes: 9 * GIB }))
    .snapshots(
      series('daily', [NOW - 3 * DAY, NOW - 2 * DAY], {
        volumeId: 'vol-gone',
        sizeGiB: 20,
        tags: { [TAG.volumeId]: 'vol-gone' },
      }),
    )
    .snapshots(
      series('daily', [NOW - DAY], {
        volumeId: 'vol-ffffffff',
        fullSizeBytes: 12 * GIB,
        tags: { [TAG.volumeId]: 'vol-0other', [TAG.sourceRegion]: 'us-west-2' },
      }),
    )
    .snapshots(manual([NOW - DAY], { sizeGiB: 8 }))
    .build();
}

describe('one storage and cost model for report and forecast', () => {
  it('counts the same fleet the same today: bytes by tier and cost, per policy and in total', () => {
    // Prepare
    const inventories = [mixedFleet('eu-west-1'), mixedFleet('us-east-1')];
    const prices = { standard: 0.045, archive: 0.011 };

    // Act
    const reports = inventories.map((inventory) => reportCoverage(inventory, [daily], { now: NOW, prices }));
    const summary = summarizeCoverage(reports, prices);
    const forecast = forecastPolicies(inventories, [daily], { now: NOW, days: 3, prices });

    // Assess
    const report = summary.policies[0]!;
    const today = forecast.policies[0]!.points[0]!;
    expect(today.snapshots).toBe(report.sizes.count);
    expect(today.standardBytes).toBe(report.sizes.standardBytes);
    expect(today.archiveBytes).toBe(report.sizes.archiveBytes);
    expect(today.storedBytes).toBe(upperBoundOf(report.sizes));
    expect(today.monthlyCost).toBeCloseTo(report.monthlyCost!, 9);
    expect(forecast.totals[0]!.monthlyCost).toBeCloseTo(summary.totals.monthlyCost!, 9);
    // Per target: 5 × 30 GiB, 5 × 500 GiB, 2 × 20 GiB (orphan), 12 GiB (copy) standard; 400 GiB archive.
    expect(report.sizes.standardBytes).toBe(2 * (150 + 2500 + 40 + 12) * GIB);
    expect(report.sizes.archiveBytes).toBe(2 * 400 * GIB);
  });

  it('prices archived snapshots at the archive price in the forecast, as in the report', () => {
    // Prepare
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume({ size: 100 })
      .snapshots(series('daily', [NOW - 100 * DAY], { fullSizeBytes: 100 * GIB, storageTier: 'archive' }))
      .build();
    const keepAll = policy({ id: 'daily', select: web, every: '1d', retention: { minimum: 10 } });

    // Act
    const forecast = forecastPolicies([inventory], [keepAll], { now: NOW, days: 1 });

    // Assess: the archived snapshot at $0.0125; the run at now stores the whole volume (100 days
    // of changes), the next a day's 3%, both at $0.05.
    expect(forecast.policies[0]!.points[0]!.monthlyCost).toBeCloseTo(100 * 0.0125, 9);
    expect(forecast.policies[0]!.points[1]!.monthlyCost).toBeCloseTo(100 * 0.0125 + 103 * 0.05, 9);
  });

  it('shows a size it cannot know as unknown in both, never as zero', () => {
    // Prepare: an orphaned series whose snapshots carry no size, and no volume to stand in.
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume({ size: 100 })
      .snapshots(
        series('daily', [NOW - 2 * DAY], { volumeId: 'vol-gone', tags: { [TAG.volumeId]: 'vol-gone' } }),
      )
      .build();

    // Act
    const report = summarizeCoverage([reportCoverage(inventory, [daily], { now: NOW })], DEFAULT_PRICES);
    const forecast = forecastPolicies([inventory], [daily], { now: NOW, days: 1 });

    // Assess
    expect(report.totals.sizes.unknown).toBe(1);
    expect(upperBoundOf(report.totals.sizes)).toBeUndefined();
    expect(report.totals.monthlyCost).toBeUndefined();
    expect(forecast.totals[0]!.unknownSizes).toBe(1);
    expect(forecast.warnings).toEqual([
      expect.objectContaining({
        code: 'report.sizes-unknown',
        account: inventory.account,
        region: inventory.region,
      }),
    ]);
  });

  describe('copies (copy_to)', () => {
    const withCopies = {
      ...daily,
      copyTo: [
        {
          region: 'us-west-2',
          retention: policy({ id: 'x', select: web, retention: { minimum: 2 } }).retention,
        },
      ],
    };

    it('adds the copies copy_to will make, kept by the target retention in the destination', () => {
      // Prepare
      const inventory = fleet({ region: 'eu-west-1' })
        .instance('web-1', { tags: { Role: 'web' } })
        .volume({ size: 100 })
        .build();

      // Act
      const forecast = forecastPolicies([inventory], [withCopies], { now: NOW, days: 10 });
      const without = forecastPolicies([inventory], [daily], { now: NOW, days: 10 });

      // Assess: 7 kept in the source (six days and the new one) and the newest 2 copies.
      const end = forecast.policies[0]!.points[10]!;
      expect(without.policies[0]!.points[10]!.snapshots).toBe(7);
      expect(end.snapshots).toBe(7 + 2);
      // The destination stores its oldest copy in full and a day's changes for the next.
      expect(end.storedBytes - without.policies[0]!.points[10]!.storedBytes).toBeCloseTo(
        100 * GIB * (1 + 0.03),
        0,
      );
    });

    it('counts copies that exist once, where they are stored, and lets them go by the target retention', () => {
      // Prepare
      const times = spaced(3, DAY, { from: NOW - HOUR });
      const source = fleet({ region: 'eu-west-1' })
        .instance('web-1', { tags: { Role: 'web' } })
        .volume({ id: 'vol-web1', size: 100 })
        .snapshots(series('daily', times, { fullSizeBytes: 20 * GIB }))
        .build();
      const destination = fleet({ region: 'us-west-2' })
        .snapshot({
          startTime: NOW - 2 * DAY,
          volumeId: 'vol-ffffffff',
          fullSizeBytes: 25 * GIB,
          tags: { [TAG.policy]: 'daily', [TAG.volumeId]: 'vol-web1', [TAG.sourceRegion]: 'eu-west-1' },
        })
        .snapshot({
          startTime: NOW - 3 * DAY,
          volumeId: 'vol-ffffffff',
          fullSizeBytes: 25 * GIB,
          tags: { [TAG.policy]: 'daily', [TAG.volumeId]: 'vol-web1', [TAG.sourceRegion]: 'eu-west-1' },
        })
        .build();
      const inventories = [source, destination];

      // Act
      const reports = inventories.map((i) => reportCoverage(i, [withCopies], { now: NOW }));
      const summary = summarizeCoverage(reports, DEFAULT_PRICES);
      const forecast = forecastPolicies(inventories, [withCopies], { now: NOW, days: 10 });

      // Assess
      const today = forecast.policies[0]!.points[0]!;
      expect(today.snapshots).toBe(5);
      expect(today.storedBytes).toBe(upperBoundOf(summary.totals.sizes));
      expect(today.monthlyCost).toBeCloseTo(summary.totals.monthlyCost!, 9);
      expect(forecast.policies[0]!.points[10]!.snapshots).toBe(7 + 2);
    });
  });
});
