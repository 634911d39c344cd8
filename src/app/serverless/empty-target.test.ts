import { describe, expect, it } from 'vitest';
import type { TargetGlance } from '../kit/ports.js';
import { emptyReportOf, verdictOf } from './empty-target.js';
import type { WorkItem } from './ports.js';
import { recordOf } from './work-telemetry.js';

const ITEM: WorkItem = { account: '111111111111', region: 'eu-west-1', run_id: 'r-1', continuation: 0 };
const page = (seen: number, more = false) => ({ seen, more });
const glance = (volumes = page(0), managedSnapshots = page(0)): TargetGlance => ({
  volumes,
  managedSnapshots,
});

describe('verdictOf', () => {
  it('calls a target empty when both pages are empty and final', () => {
    // Prepare / Act
    const verdict = verdictOf(ITEM, glance());

    // Assess
    expect(verdict).toEqual({ empty: true });
  });

  it.each([
    ['a volume (selected or not, a drill volume, a stopped instance’s)', glance(page(1))],
    ['a snapshot of a policy and no volume (retention may delete it)', glance(page(0), page(1))],
    ['an empty page of volumes with more to come', glance(page(0, true))],
    [
      'an empty page of snapshots with more to come (EC2 filtered after paging)',
      glance(page(0), page(0, true)),
    ],
  ])('does not call a target empty with %s', (_, seen) => {
    // Prepare / Act
    const verdict = verdictOf(ITEM, seen);

    // Assess
    expect(verdict.empty).toBe(false);
  });

  it.each([
    ['all its volumes and snapshots on one page each', glance(page(40), page(300)), true],
    ['more volumes than a page', glance(page(100, true), page(3)), false],
    ['more snapshots than a page', glance(page(2), page(1000, true)), false],
  ])('tells a small target from a large one: %s', (_, seen, small) => {
    // Prepare / Act
    const verdict = verdictOf(ITEM, seen);

    // Assess
    expect(verdict).toMatchObject({ empty: false, small });
  });

  it('never calls a continuation empty, whatever the pages say', () => {
    // Prepare / Act
    const verdict = verdictOf({ ...ITEM, continuation: 2 }, glance());

    // Assess
    expect(verdict).toEqual({ empty: false, why: 'continuation 2: work was left' });
  });

  it('does not call a target empty that was not looked at (a port without a glance)', () => {
    // Prepare / Act
    const verdict = verdictOf(ITEM, undefined);

    // Assess
    expect(verdict.empty).toBe(false);
  });
});

describe('emptyReportOf', () => {
  it('makes the record of a full run that found nothing: ok, no counts, no failure', () => {
    // Prepare
    const now = Date.parse('2026-12-01T10:00:00Z');

    // Act
    const record = recordOf(ITEM, now, now + 50, { report: emptyReportOf(ITEM, now) }, false);

    // Assess
    expect(record).toEqual({
      runId: 'r-1',
      account: ITEM.account,
      region: ITEM.region,
      continuation: 0,
      startedAt: '2026-12-01T10:00:00.000Z',
      endedAt: '2026-12-01T10:00:00.050Z',
      created: 0,
      deleted: 0,
      failed: 0,
      deferred: 0,
      outcome: 'ok',
      failures: [],
    });
  });
});
