import { describe, expect, it } from 'vitest';
import { daily, fleet, REGION, series } from '../../../test/support/builders/fleet.js';
import { actionFor, deletedIds } from '../../../test/support/builders/plan-queries.js';
import { DAY, HOUR, MINUTE, policy } from '../../../test/support/builders/policy.js';
import { recentCreate, recentId } from '../../../test/support/builders/recent-creates.js';
import type { Inventory } from '../../core/model.js';
import { planSnapshots } from '../../core/plan.js';
import {
  decodeRecentCreate,
  encodeRecentCreate,
  RECENT_CREATE_BOUND_MS,
  recallRecentCreates,
} from './recent-creates.js';

const NOW = 100 * DAY;
const DEST = 'us-east-1';
const daily1 = policy({
  id: 'daily',
  select: { instances: { 'tag:Role': 'web' } },
  every: '1d',
  retention: { maxAge: '1d', minimum: 1 },
});
const policyIds = new Set(['daily']);

/** One volume whose only snapshot is two days old: due, and that snapshot is past max_age. */
const dueEstate = (): Inventory =>
  fleet()
    .instance('web-1', { tags: { Role: 'web' } })
    .volume({ id: 'vol-a' })
    .snapshots(series('daily', daily(1, { from: NOW - 2 * DAY })))
    .build();

const plan = (inventory: Inventory) => planSnapshots(inventory, [daily1], { now: NOW, runId: 'next' });

describe('recallRecentCreates', () => {
  it('adds an entry the listing does not show as a pending snapshot: its series is not due, and it is kept', () => {
    // Prepare
    const entry = recentCreate({ snapshotId: recentId(1), startedAt: NOW - MINUTE });

    // Act
    const { inventory, kept, forgotten } = recallRecentCreates(dueEstate(), [entry], { now: NOW, policyIds });
    const planned = plan(inventory);

    // Assess
    expect(kept).toEqual([entry]);
    expect(forgotten).toEqual([]);
    expect(planned.summary.create).toBe(0);
    expect(planned.actions.find((a) => a.action === 'skip')?.reason.code).toBe('not-due');
    expect(actionFor(planned, entry.snapshotId)).toMatchObject({
      action: 'keep',
      volumeId: 'vol-a',
      reason: { code: 'protected.pending' },
    });
  });

  it('never counts a recalled snapshot toward the minimum: the only completed one stays', () => {
    // Prepare
    const entry = recentCreate({ snapshotId: recentId(1), startedAt: NOW - MINUTE });
    const estate = dueEstate();

    // Act
    const planned = plan(recallRecentCreates(estate, [entry], { now: NOW, policyIds }).inventory);

    // Assess
    expect(deletedIds(planned)).toEqual([]);
    expect(actionFor(planned, estate.snapshots[0]!.id).reason.code).toBe('retention.minimum');
  });

  it('forgets an entry the listing shows, and adds it only once', () => {
    // Prepare
    const estate = dueEstate();
    const listed = estate.snapshots[0]!;
    const entry = recentCreate({ snapshotId: listed.id, startedAt: NOW - 2 * DAY });

    // Act
    const { inventory, kept, forgotten } = recallRecentCreates(estate, [entry, entry], {
      now: NOW,
      policyIds,
    });

    // Assess
    expect(inventory).toBe(estate);
    expect(kept).toEqual([]);
    expect(forgotten).toEqual([entry]);
  });

  it('forgets an entry an hour old that never showed (deleted by a person): its series is due again', () => {
    // Prepare
    const young = recentCreate({ snapshotId: recentId(1), startedAt: NOW - RECENT_CREATE_BOUND_MS + 1 });
    const old = recentCreate({ snapshotId: recentId(2), startedAt: NOW - RECENT_CREATE_BOUND_MS });

    // Act
    const keptYoung = recallRecentCreates(dueEstate(), [young], { now: NOW, policyIds });
    const forgotOld = recallRecentCreates(dueEstate(), [old], { now: NOW, policyIds });

    // Assess
    expect(keptYoung.kept).toEqual([young]);
    expect(forgotOld.forgotten).toEqual([old]);
    expect(plan(forgotOld.inventory).summary.create).toBe(1);
  });

  it('keeps the entries of a policy no longer configured in the journal, but out of the plan', () => {
    // Prepare
    const entry = recentCreate({ snapshotId: recentId(1), policy: 'retired', startedAt: NOW - MINUTE });

    // Act
    const { inventory, kept } = recallRecentCreates(dueEstate(), [entry], { now: NOW, policyIds });

    // Assess
    expect(kept).toEqual([entry]);
    expect(inventory.snapshots.map((s) => s.id)).not.toContain(entry.snapshotId);
  });

  it('counts a copy its destination does not list yet as copied and in flight there', () => {
    // Prepare
    const estate = dueEstate();
    const source = estate.snapshots[0]!.id;
    const listed: Inventory = { ...estate, copyDestinations: [{ region: DEST, copied: [], inFlight: 2 }] };
    const copy = recentCreate({
      snapshotId: recentId(1),
      region: DEST,
      sourceSnapshotId: source,
      startedAt: NOW - MINUTE,
    });

    // Act
    const { inventory, kept } = recallRecentCreates(listed, [copy, { ...copy, snapshotId: recentId(2) }], {
      now: NOW,
      policyIds,
    });

    // Assess
    expect(kept).toHaveLength(2);
    expect(inventory.copyDestinations).toEqual([{ region: DEST, copied: [source], inFlight: 3 }]);
    expect(inventory.snapshots).toEqual(estate.snapshots);
  });

  it('forgets a copy its destination lists, and keeps one whose destination could not be listed', () => {
    // Prepare
    const estate = dueEstate();
    const source = estate.snapshots[0]!.id;
    const copy = (region: string) =>
      recentCreate({ snapshotId: recentId(1), region, sourceSnapshotId: source, startedAt: NOW - MINUTE });
    const shown: Inventory = {
      ...estate,
      copyDestinations: [{ region: DEST, copied: [source], inFlight: 0 }],
    };
    const unread: Inventory = {
      ...estate,
      copyDestinations: [{ region: DEST, copied: [], inFlight: 0, error: 'DescribeSnapshots: Throttling' }],
    };

    // Act
    const whenShown = recallRecentCreates(shown, [copy(DEST)], { now: NOW, policyIds });
    const whenUnread = recallRecentCreates(unread, [copy(DEST)], { now: NOW, policyIds });

    // Assess
    expect(whenShown.forgotten).toEqual([copy(DEST)]);
    expect(whenUnread.kept).toEqual([copy(DEST)]);
    expect(whenUnread.inventory.copyDestinations).toEqual(unread.copyDestinations);
  });

  it('gives a recalled snapshot the series, run id and start a listing would show', () => {
    // Prepare
    const entry = recentCreate({ snapshotId: recentId(1), startedAt: NOW - HOUR / 2 });

    // Act
    const { inventory } = recallRecentCreates(dueEstate(), [entry], { now: NOW, policyIds });

    // Assess
    expect(inventory.snapshots.at(-1)).toEqual({
      id: entry.snapshotId,
      volumeId: 'vol-a',
      ownerId: inventory.account,
      state: 'pending',
      startTime: NOW - HOUR / 2,
      tags: {
        'ebs-snapper:policy': 'daily',
        'ebs-snapper:volume-id': 'vol-a',
        'ebs-snapper:run-id': entry.runId,
      },
    });
    expect(inventory.region).toBe(REGION);
  });
});

describe('encodeRecentCreate and decodeRecentCreate', () => {
  it('round-trip an entry and a copy entry', () => {
    // Prepare
    const entry = recentCreate({ snapshotId: recentId(1), startedAt: NOW });
    const copy = recentCreate({
      snapshotId: recentId(2),
      region: DEST,
      sourceSnapshotId: recentId(1),
      startedAt: NOW,
    });

    // Act
    const decoded = [entry, copy].map((e) =>
      decodeRecentCreate(JSON.parse(JSON.stringify(encodeRecentCreate(e)))),
    );

    // Assess
    expect(decoded).toEqual([entry, copy]);
  });

  it('refuses what is not an entry', () => {
    // Prepare
    const encoded = encodeRecentCreate(recentCreate({ startedAt: NOW }));

    // Act
    const decoded = [
      null,
      'snap-1',
      { ...encoded, started_at: 'yesterday' },
      { ...encoded, snapshot_id: '' },
      { ...encoded, run_id: undefined },
    ].map(decodeRecentCreate);

    // Assess
    expect(decoded).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
