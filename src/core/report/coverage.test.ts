import { describe, expect, it } from 'vitest';
import { fleet, manual, series } from '../../../test/support/builders/fleet.js';
import { DAY, HOUR, MINUTE, policy } from '../../../test/support/builders/policy.js';
import { TAG } from '../model.js';
import { GIB } from './cost.js';
import { reportCoverage } from './coverage.js';
import { summarizeCoverage } from './summary.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const daily = policy({ id: 'daily', select: { instances: { 'tag:Role': 'web' } }, every: '1d' });

describe('reportCoverage', () => {
  it('marks a volume OK, OVERDUE (late or never snapshotted) by its newest completed snapshot', () => {
    // Prepare
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume({ id: 'vol-ok', tags: { Name: 'root-1' } })
      .snapshots(series('daily', [NOW - 3 * HOUR]))
      .instance('web-2', { tags: { Role: 'web' } })
      .volume({ id: 'vol-late' })
      .snapshots(series('daily', [NOW - DAY - 6 * MINUTE]))
      .instance('web-3', { tags: { Role: 'web' } })
      .volume({ id: 'vol-never' })
      .snapshots(series('daily', [NOW - HOUR], { state: 'pending' }))
      .build();

    // Act
    const report = reportCoverage(inventory, [daily], { now: NOW });

    // Assess
    const row = (id: string) => report.series.find((s) => s.volumeId === id)!;
    expect(report.series.map((s) => [s.volumeId, s.status])).toEqual([
      ['vol-late', 'OVERDUE'],
      ['vol-never', 'OVERDUE'],
      ['vol-ok', 'OK'],
    ]);
    expect(row('vol-ok')).toMatchObject({
      policy: 'daily',
      volumeName: 'root-1',
      instanceId: 'i-web-1',
      instanceName: 'web-1',
      device: '/dev/xvda',
      reason: { code: 'coverage.ok' },
      newest: { startTime: NOW - 3 * HOUR },
      nextDue: NOW + 21 * HOUR - 5 * MINUTE,
      snapshots: 1,
    });
    expect(row('vol-late')).toMatchObject({ reason: { code: 'coverage.late' }, nextDue: NOW });
    expect(row('vol-late').reason.message).toMatch(/more than every 1d plus 5m/);
    // A pending snapshot is not yet a restore point, but the planner counts it for the schedule.
    expect(row('vol-never')).toMatchObject({ reason: { code: 'coverage.none' }, snapshots: 1 });
    expect(row('vol-never').newest).toBeUndefined();
    expect(row('vol-never').nextDue).toBe(NOW + 23 * HOUR - 5 * MINUTE);
  });

  it('dates a snapshot by its run as the planner does: a run at --now T is not OVERDUE at T', () => {
    // Prepare: `run --now T` an hour ago (T ahead of EC2's clock): EC2 dated the snapshot two days
    // earlier, its run id says T − 1h; `plan --now T` finds the series not due
    const runId = '20261125T110000Z-00aa11';
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume({ id: 'vol-ahead' })
      .snapshots(series('daily', [NOW - 2 * DAY], { tags: { [TAG.runId]: runId } }))
      .build();

    // Act
    const report = reportCoverage(inventory, [daily], { now: NOW });

    // Assess
    expect(report.series.map((s) => [s.volumeId, s.status])).toEqual([['vol-ahead', 'OK']]);
  });

  it('calls a cron series OVERDUE only once a slot is more than the tolerance past', () => {
    // Prepare
    const nightly = policy({
      id: 'nightly',
      select: { volumes: { 'tag:Backup': 'true' } },
      cron: '0 3 * * *',
    });
    const slot = Date.parse('2026-11-25T03:00:00Z');
    const inventory = fleet()
      .detachedVolume({ id: 'vol-a', tags: { Backup: 'true' } })
      .snapshots(series('nightly', [slot - DAY]))
      .build();

    // Act
    const before = reportCoverage(inventory, [nightly], { now: slot + 4 * MINUTE });
    const after = reportCoverage(inventory, [nightly], { now: slot + 6 * MINUTE });

    // Assess
    expect(before.series[0]).toMatchObject({ status: 'OK', nextDue: slot + 4 * MINUTE });
    expect(after.series[0]).toMatchObject({ status: 'OVERDUE', reason: { code: 'coverage.late' } });
    expect(after.series[0]!.reason.message).toMatch(/cron slot 2026-11-25T03:00:00.000Z/);
  });

  it('lists volumes no policy selects as UNPROTECTED, with their instance and tags', () => {
    // Prepare
    const inventory = fleet()
      .instance('db-1', { tags: { Role: 'db' } })
      .volume({ id: 'vol-db', device: '/dev/sdf', tags: { Name: '<script>alert(1)</script>', Team: 'data' } })
      .detachedVolume({ id: 'vol-loose', size: 100 })
      .build();

    // Act
    const report = reportCoverage(inventory, [daily], { now: NOW });

    // Assess
    expect(report.series).toEqual([]);
    expect(report.unprotected).toEqual([
      {
        account: inventory.account,
        region: inventory.region,
        status: 'UNPROTECTED',
        reason: { code: 'coverage.unselected', message: 'no policy selects this volume' },
        volumeId: 'vol-db',
        volumeName: '<script>alert(1)</script>',
        sizeGiB: 8,
        state: 'in-use',
        tags: { Name: '<script>alert(1)</script>', Team: 'data' },
        instanceId: 'i-db-1',
        instanceName: 'db-1',
        device: '/dev/sdf',
      },
      expect.objectContaining({ volumeId: 'vol-loose', sizeGiB: 100, state: 'available' }),
    ]);
    expect(report.warnings.map((w) => w.code)).toEqual(['plan.selects-nothing']);
  });

  it('adds up each policy’s sizes (upper bound) and prices each tier', () => {
    // Prepare
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume({ id: 'vol-1', size: 100 })
      .snapshots([
        ...series('daily', [NOW - HOUR], { fullSizeBytes: 10 * GIB }),
        ...series('daily', [NOW - 2 * DAY], { sizeGiB: 100 }),
        ...series('daily', [NOW - 9 * DAY], { fullSizeBytes: 40 * GIB, storageTier: 'archive' }),
      ])
      .build();

    // Act
    const report = reportCoverage(inventory, [daily], { now: NOW });
    const cheaper = reportCoverage(inventory, [daily], {
      now: NOW,
      prices: { standard: 0.01, archive: 0.001 },
    });

    // Assess
    expect(report.policies).toEqual([
      {
        policy: 'daily',
        volumes: 1,
        ok: 1,
        overdue: 0,
        sizes: {
          count: 3,
          fullSizeBytes: 50 * GIB,
          unsized: 1,
          unknown: 0,
          standardBytes: 110 * GIB,
          archiveBytes: 40 * GIB,
        },
        monthlyCost: 110 * 0.05 + 40 * 0.0125,
        orphanSeries: 0,
      },
    ]);
    expect(cheaper.policies[0]!.monthlyCost).toBeCloseTo(110 * 0.01 + 40 * 0.001, 10);
  });

  it('counts unmanaged snapshots of the account (listed or only counted), never other accounts’', () => {
    // Prepare
    const built = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume({ id: 'vol-1' })
      .snapshots([
        ...series('daily', [NOW - HOUR]),
        ...manual([NOW - DAY], { fullSizeBytes: 3 * GIB }),
        ...series('retired', [NOW - DAY], { sizeGiB: 8 }),
        ...manual([NOW - DAY], { ownerId: '999988887777', fullSizeBytes: 100 * GIB }),
      ])
      .build();
    const counted = {
      count: 5,
      fullSizeBytes: 20 * GIB,
      unsized: 0,
      standardBytes: 20 * GIB,
      archiveBytes: 0,
    };
    const inventory = { ...built, unmanaged: counted };

    // Act
    const report = reportCoverage(inventory, [daily], { now: NOW });

    // Assess
    expect(report.unmanaged).toEqual({
      count: 7,
      fullSizeBytes: 23 * GIB,
      unsized: 1,
      unknown: 0,
      standardBytes: 31 * GIB,
      archiveBytes: 0,
    });
    expect(report.warnings.map((w) => w.code)).toEqual(['plan.unknown-policy']);
  });

  it('lists orphaned series (source volume gone) with their span and the policy’s expire-after', () => {
    // Prepare
    const expiring = policy({
      id: 'daily',
      select: { instances: { 'tag:Role': 'web' } },
      retention: { orphanedExpireAfter: '30d' },
    });
    const inventory = fleet()
      .snapshot({ startTime: NOW - 5 * DAY, tags: { [TAG.policy]: 'daily', [TAG.volumeId]: 'vol-gone' } })
      .snapshot({ startTime: NOW - 4 * DAY, tags: { [TAG.policy]: 'daily', [TAG.volumeId]: 'vol-gone' } })
      .build();

    // Act
    const report = reportCoverage(inventory, [expiring], { now: NOW });

    // Assess
    expect(report.orphans).toEqual([
      expect.objectContaining({
        policy: 'daily',
        volumeId: 'vol-gone',
        snapshots: 2,
        oldest: NOW - 5 * DAY,
        newest: NOW - 4 * DAY,
        expireAfterMs: 30 * DAY,
      }),
    ]);
    expect(report.policies[0]).toMatchObject({ volumes: 0, orphanSeries: 1, sizes: { count: 2 } });
  });

  it('adds up several targets by policy', () => {
    // Prepare
    const one = fleet({ region: 'eu-west-1' })
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .snapshots(series('daily', [NOW - HOUR], { fullSizeBytes: GIB }))
      .build();
    const two = fleet({ region: 'us-east-1' })
      .instance('web-2', { tags: { Role: 'web' } })
      .volume()
      .detachedVolume()
      .build();
    const prices = { standard: 1, archive: 1 };

    // Act
    const reports = [one, two].map((inventory) => reportCoverage(inventory, [daily], { now: NOW, prices }));
    const { totals, policies } = summarizeCoverage(reports, prices);

    // Assess
    expect(totals).toMatchObject({
      series: 2,
      ok: 1,
      overdue: 1,
      unprotected: 1,
      monthlyCost: 1,
      targets: 2,
    });
    expect(policies).toEqual([expect.objectContaining({ policy: 'daily', volumes: 2, ok: 1, overdue: 1 })]);
  });
});
