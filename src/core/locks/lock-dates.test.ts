import { describe, expect, it } from 'vitest';
import { TAG } from '../model.js';
import type { Retention } from '../policy/types.js';
import { LOCK_MINIMUM_MS, lockEndOf, lockForNew, stillLockable } from './lock-dates.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-25T03:00:00Z');
const retention = (maxAgeMs?: number): Retention => ({
  ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
  minimum: 1,
  keepDaily: 0,
  keepWeekly: 0,
  keepMonthly: 0,
  keepYearly: 0,
  orphaned: { kind: 'keep' },
});

describe('lockForNew', () => {
  it('locks a new snapshot until its expires-at (now + max_age), or for the duration given', () => {
    // Prepare / Act
    const expiry = lockForNew({ mode: 'compliance', coolOffHours: 24 }, retention(14 * DAY), NOW);
    const duration = lockForNew({ mode: 'governance', durationMs: 30 * DAY }, retention(14 * DAY), NOW);

    // Assess
    expect(expiry).toEqual({ mode: 'compliance', until: '2026-12-09T03:00:00.000Z', coolOffHours: 24 });
    expect(duration).toEqual({ mode: 'governance', until: '2026-12-25T03:00:00.000Z' });
    expect(lockForNew({ mode: 'governance' }, retention(), NOW)).toBeUndefined();
  });
});

describe('lockEndOf', () => {
  it('reads the expires-at tag, else start + max_age; a duration counts from the snapshot’s start', () => {
    // Prepare
    const start = NOW - 2 * DAY;
    const tagged = { startTime: start, tags: { [TAG.expiresAt]: '2026-12-01T00:00:00.000Z' } };
    const untagged = { startTime: start, tags: {} };

    // Act / Assess
    expect(lockEndOf({ mode: 'governance' }, retention(7 * DAY), tagged)).toBe(
      Date.parse('2026-12-01T00:00:00Z'),
    );
    expect(lockEndOf({ mode: 'governance' }, retention(7 * DAY), untagged)).toBe(start + 7 * DAY);
    expect(lockEndOf({ mode: 'governance', durationMs: 3 * DAY }, retention(7 * DAY), tagged)).toBe(
      start + 3 * DAY,
    );
    expect(lockEndOf({ mode: 'governance' }, retention(), untagged)).toBeUndefined();
  });

  it('asks no lock shorter than EC2’s day', () => {
    // Prepare / Act / Assess
    expect(stillLockable(NOW + LOCK_MINIMUM_MS, NOW)).toBe(true);
    expect(stillLockable(NOW + LOCK_MINIMUM_MS - 1, NOW)).toBe(false);
  });
});
