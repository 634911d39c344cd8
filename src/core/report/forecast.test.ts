import { describe, expect, it } from 'vitest';
import { fleet, series, spaced } from '../../../test/support/builders/fleet.js';
import { DAY, HOUR, policy } from '../../../test/support/builders/policy.js';
import { GIB } from './cost.js';
import { forecastPolicies, runTimes } from './forecast.js';
import { seriesBytes } from './forecast-storage.js';
import { steadyStateOf } from './steady.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const web = { instances: { 'tag:Role': 'web' } };

describe('forecastPolicies', () => {
  it('fills a fresh fleet up to what the retention keeps, and costs it by change rate', () => {
    // Prepare
    const daily = policy({ id: 'daily', select: web, every: '1d', retention: { maxAge: '7d', minimum: 3 } });
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume({ size: 100 })
      .instance('web-2', { tags: { Role: 'web' } })
      .volume({ size: 100 })
      .build();

    // Act
    const forecast = forecastPolicies([inventory], [daily], { now: NOW, days: 60 });

    // Assess: after each run, six days kept (a snapshot 7 days old is not younger than max_age) and the new one.
    const [daily30] = forecast.policies;
    expect(daily30).toMatchObject({
      policy: 'daily',
      series: 2,
      otherSeries: 0,
      volumeBytes: 200 * GIB,
      runs: 61,
    });
    expect(daily30!.points.map((p) => p.snapshots).slice(0, 10)).toEqual([
      0, 4, 6, 8, 10, 12, 14, 14, 14, 14,
    ]);
    expect(daily30!.points[30]).toMatchObject({
      day: 30,
      time: NOW + 30 * DAY,
      snapshots: 14,
      fewestPerSeries: 7,
    });
    // Oldest in full, six days of changes at 3% a day.
    expect(daily30!.points[30]!.storedBytes).toBeCloseTo(2 * 100 * GIB * (1 + 6 * 0.03), 0);
    expect(daily30!.points[30]!.monthlyCost).toBeCloseTo(2 * 100 * 1.18 * 0.05, 6);
    expect(daily30!.steady).toEqual({ snapshots: 14, min: 14, max: 14, reachedDay: 6, settled: true });
    expect(forecast.totals[30]).toMatchObject({
      snapshots: 14,
      monthlyCost: daily30!.points[30]!.monthlyCost,
    });
  });

  it('starts from the live inventory: old snapshots expire, pending ones count as completed', () => {
    // Prepare
    const daily = policy({ id: 'daily', select: web, every: '1d', retention: { maxAge: '3d', minimum: 1 } });
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .snapshots(series('daily', spaced(10, DAY, { from: NOW - 2 * HOUR })))
      .snapshots(series('daily', [NOW - HOUR], { state: 'pending' }))
      .build();

    // Act
    const forecast = forecastPolicies([inventory], [daily], { now: NOW, days: 5 });

    // Assess: the run at now deletes what is 3 days old or older and takes no snapshot (not due);
    // later runs take one a day and keep what is younger than 3 days.
    expect(forecast.policies[0]!.points.map((p) => p.snapshots)).toEqual([11, 4, 4, 3, 3, 3]);
  });

  it('keeps the minimum of a series it no longer snapshots, and stops planning it', () => {
    // Prepare
    const daily = policy({ id: 'daily', select: web, every: '1d', retention: { maxAge: '2d', minimum: 2 } });
    const inventory = fleet()
      .instance('db-1', { tags: { Role: 'db' } })
      .volume()
      .snapshots(series('daily', spaced(5, DAY, { from: NOW - DAY })))
      .build();

    // Act
    const forecast = forecastPolicies([inventory], [daily], { now: NOW, days: 400 });

    // Assess
    const [only] = forecast.policies;
    expect(only).toMatchObject({ series: 0, otherSeries: 1 });
    expect(only!.points[0]!.snapshots).toBe(5);
    expect(only!.points.slice(1).every((p) => p.snapshots === 2 && p.fewestPerSeries === undefined)).toBe(
      true,
    );
  });

  it('adds up several account × region inventories per policy', () => {
    // Prepare
    const daily = policy({ id: 'daily', select: web, every: '1d', retention: { minimum: 3 } });
    const one = fleet({ region: 'eu-west-1' })
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .build();
    const two = fleet({ region: 'us-east-1' })
      .instance('web-2', { tags: { Role: 'web' } })
      .volume()
      .volume()
      .build();

    // Act
    const forecast = forecastPolicies([one, two], [daily], { now: NOW, days: 10 });

    // Assess: each series keeps the newest 3 at a run, then takes one more.
    expect(forecast.policies[0]).toMatchObject({ series: 3, runs: 11 });
    expect(forecast.policies[0]!.points[10]!.snapshots).toBe(12);
  });
});

describe('runTimes', () => {
  it('runs at now, then every interval or at each cron slot until the end', () => {
    // Prepare
    const every = policy({ id: 'a', select: web, every: '12h' }).schedule;
    const cron = policy({ id: 'b', select: web, cron: '0 3 * * *', timezone: 'Europe/Berlin' }).schedule;

    // Act
    const intervals = runTimes(every, NOW, NOW + DAY);
    const slots = runTimes(cron, NOW, NOW + 2 * DAY);

    // Assess
    expect(intervals).toEqual([NOW, NOW + 12 * HOUR, NOW + DAY]);
    expect(slots.map((t) => new Date(t).toISOString())).toEqual([
      '2026-11-25T12:00:00.000Z',
      '2026-11-26T02:00:00.000Z',
      '2026-11-27T02:00:00.000Z',
    ]);
  });
});

describe('seriesBytes', () => {
  it('stores the oldest in full and the changes between snapshots after it, capped at the volume', () => {
    // Prepare
    const at = (days: number, state: 'completed' | 'error' = 'completed') => ({
      startTime: days * DAY,
      state,
    });

    // Act
    const none = seriesBytes([], 100, 0.03);
    const daily = seriesBytes([at(0), at(1), at(2)], 100, 0.03);
    const skipped = seriesBytes([at(0), at(1, 'error'), at(2)], 100, 0.03);
    const capped = seriesBytes([at(0), at(100)], 100, 0.03);

    // Assess
    expect(none).toBe(0);
    expect(daily).toBeCloseTo(106, 10);
    expect(skipped).toBeCloseTo(106, 10);
    expect(capped).toBe(200);
  });
});

describe('steadyStateOf', () => {
  it('is the range of the second half (30 days at least) and the day the count entered it for good', () => {
    // Act
    const settled = steadyStateOf([0, 2, 4, ...Array.from({ length: 60 }, (_, d) => 5 + (d % 2))]);
    const growing = steadyStateOf(Array.from({ length: 61 }, (_, d) => d));
    const short = steadyStateOf([0, 1, 2, 2, 2]);

    // Assess
    expect(settled).toEqual({ snapshots: 6, min: 5, max: 6, reachedDay: 3, settled: true });
    expect(growing).toEqual({ snapshots: 60, min: 30, max: 60, reachedDay: 30, settled: false });
    expect(short).toEqual({ snapshots: 2, min: 0, max: 2, reachedDay: 0, settled: false });
  });
});
