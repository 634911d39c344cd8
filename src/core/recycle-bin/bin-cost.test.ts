import { describe, expect, it } from 'vitest';
import { daily, fleet, series } from '../../../test/support/builders/fleet.js';
import { DAY, policy } from '../../../test/support/builders/policy.js';
import { snapshotId } from '../model.js';
import { DEFAULT_PRICES, GIB } from '../report/cost.js';
import { forecastPolicies } from '../report/forecast.js';
import { binStorage } from './bin-storage.js';

const now = Date.parse('2025-03-01T00:00:00Z');
const web = policy({
  id: 'web',
  select: { volumes: { 'tag:Backup': 'yes' } },
  every: '1d',
  retention: { minimum: 0, maxAge: '3d' },
});
const inventory = () =>
  fleet()
    .volume({ id: 'vol-a', size: 100, tags: { Backup: 'yes' } })
    .snapshots(series('web', daily(3, { from: now - DAY })))
    .build();

describe('binStorage (report)', () => {
  it('counts what the bin holds as standard snapshots of their volume’s size, unknown for a gone volume', () => {
    // Prepare
    const base = inventory();
    const known = {
      ...base,
      recycleBin: { rules: [{ id: 'r', retentionDays: 7, resourceTags: [], excludeTags: [] }] },
      binned: [{ snapshotId: snapshotId('snap-x'), volumeId: 'vol-a' }],
    };
    const gone = { ...known, binned: [{ snapshotId: snapshotId('snap-y'), volumeId: 'vol-gone' }] };

    // Act
    const bin = binStorage(known, DEFAULT_PRICES);
    const unknown = binStorage(gone, DEFAULT_PRICES);

    // Assess
    expect(bin).toMatchObject({ rules: '1 rule: Region-level 7 days', monthlyCost: 5 });
    expect(bin?.sizes?.standardBytes).toBe(100 * GIB);
    expect(unknown?.monthlyCost).toBeUndefined();
    expect(binStorage(base, DEFAULT_PRICES)).toBeUndefined();
  });
});

describe('forecast with a Recycle Bin rule', () => {
  it('costs what the bin keeps of the simulated deletes, on top of what the policy keeps', () => {
    // Prepare
    const rules = { rules: [{ id: 'r', retentionDays: 7, resourceTags: [], excludeTags: [] }] };

    // Act
    const without = forecastPolicies([inventory()], [web], { now, days: 30 });
    const withBin = forecastPolicies([{ ...inventory(), recycleBin: rules }], [web], { now, days: 30 });

    // Assess
    const a = without.totals.at(-1)!;
    const b = withBin.totals.at(-1)!;
    expect(a.recycleBinBytes).toBeUndefined();
    expect(b.recycleBinBytes).toBeGreaterThan(0);
    expect(b.storedBytes).toBe(a.storedBytes);
    expect(b.monthlyCost).toBeGreaterThan(a.monthlyCost);
  });
});
