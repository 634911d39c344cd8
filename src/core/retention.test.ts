import { describe, expect, it } from 'vitest';
import { fleet, series, spaced } from '../../test/support/builders/fleet.js';
import { actionFor, creates, deletedIds } from '../../test/support/builders/plan-queries.js';
import { DAY, HOUR, type PolicyInput, policy } from '../../test/support/builders/policy.js';
import { planSnapshots } from './plan.js';
import { createOffsetCache } from './time-zone.js';

const now = Date.parse('2024-05-10T12:00:00Z');
const options = { now, runId: 'r' };
const base: PolicyInput = { id: 'p', select: { instances: { 'tag:Role': 'web' } }, every: '1d' };

/** One volume of policy `p` with the given snapshots (times); returns inventory and ids newest first. */
function volumeWith(times: readonly number[], extra: Parameters<typeof series>[2] = {}) {
  const inventory = fleet()
    .instance('web-1', { tags: { Role: 'web' } })
    .volume()
    .snapshots(series('p', times, extra))
    .build();
  return { inventory, ids: inventory.snapshots.map((s) => s.id as string) };
}

describe('snapshots that started after now', () => {
  // Daily snapshots from 10 days before now to 3 days after it: a clock behind, or --now in the past.
  const times = spaced(14, DAY, { from: now + 3 * DAY });
  const shapes: [string, NonNullable<PolicyInput['retention']>][] = [
    ['minimum only', { minimum: 2 }],
    ['minimum and calendar tiers', { minimum: 2, keepDaily: 3, keepWeekly: 1 }],
    ['tiers only', { minimum: 0, keepDaily: 2 }],
    ['max_age', { minimum: 1, maxAge: '2d' }],
  ];

  it.each(shapes)('are never deleted, whatever the policy (%s)', (_, retention) => {
    // Prepare
    const p = policy({ ...base, retention });
    const { inventory } = volumeWith(times);
    const later = inventory.snapshots.filter((s) => s.startTime > now).map((s) => s.id as string);

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(later).toHaveLength(3);
    expect(deletedIds(plan).filter((id) => later.includes(id))).toEqual([]);
    expect(later.map((id) => actionFor(plan, id).reason.code)).toEqual([
      'protected.future',
      'protected.future',
      'protected.future',
    ]);
  });

  it('do not count toward the minimum, so the plan keeps what it would have kept at now', () => {
    // Prepare
    const p = policy({ ...base, retention: { minimum: 2 } });
    const { inventory, ids } = volumeWith(times);

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess: ids are newest first; ids[3] and ids[4] are the newest two at or before now
    expect(actionFor(plan, ids[3]!).reason.code).toBe('retention.minimum');
    expect(actionFor(plan, ids[4]!).reason.code).toBe('retention.minimum');
    expect(actionFor(plan, ids[5]!).reason.code).toBe('retention.expired');
  });
});

describe('the snapshot the schedule counts on', () => {
  it('is kept while the series is not due, even past max_age with minimum 0 (found by the property test)', () => {
    // Prepare: weekly snapshots kept one day, minimum 0; the only snapshot is exactly one day old
    const p = policy({
      id: 'p',
      select: { volumes: { 'tag:Backup': 'true' } },
      every: '1w',
      retention: { minimum: 0, maxAge: '1d' },
    });
    const inventory = fleet()
      .detachedVolume({ id: 'vol-1', tags: { Backup: 'true' } })
      .snapshots(series('p', [now - DAY]))
      .build();

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess: deleting it would leave the volume with no snapshot for six days, then a new one at once
    expect(deletedIds(plan)).toEqual([]);
    expect(creates(plan)).toEqual([]);
    expect(actionFor(plan, inventory.snapshots[0]!.id).reason.code).toBe('retention.schedule');
  });
});

describe('keep rules', () => {
  it('6 snapshots, minimum 5, three expired in the same run: exactly one deleted', () => {
    // Prepare: newest first; the three oldest are past max_age
    const p = policy({ ...base, retention: { minimum: 5, maxAge: '4d' } });
    const { inventory, ids } = volumeWith([
      now - HOUR,
      now - DAY,
      now - 2 * DAY,
      now - 5 * DAY,
      now - 6 * DAY,
      now - 7 * DAY,
    ]);

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(deletedIds(plan)).toEqual([ids[5]]);
    expect(actionFor(plan, ids[4]!).reason.code).toBe('retention.minimum');
  });

  it('deletes a snapshot that expired a year ago (no look-back window)', () => {
    // Prepare
    const p = policy({ ...base, retention: { minimum: 1, maxAge: '7d' } });
    const { inventory, ids } = volumeWith([now - HOUR, now - 372 * DAY]);

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(actionFor(plan, ids[1]!).reason.code).toBe('retention.expired');
    expect(deletedIds(plan)).toEqual([ids[1]]);
  });

  it('keeps snapshots younger than max_age beyond the minimum', () => {
    // Prepare
    const p = policy({ ...base, retention: { minimum: 1, maxAge: '3d' } });
    const { inventory, ids } = volumeWith(spaced(4, DAY, { from: now - HOUR }));

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(ids.map((id) => actionFor(plan, id).reason.code)).toEqual([
      'retention.minimum',
      'retention.max-age',
      'retention.max-age',
      'retention.expired',
    ]);
  });

  it('never deletes a snapshot that backs an AMI, and counts it as kept', () => {
    // Prepare: the older one backs an AMI; minimum 2 is met by the AMI-backed one
    const p = policy({ ...base, retention: { minimum: 2 } });
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .snapshots(series('p', [now - HOUR, now - 10 * DAY, now - 20 * DAY]))
      .image('ami-1', ['snap-0003'])
      .build();

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(actionFor(plan, 'snap-0003').reason).toEqual({
      code: 'protected.ami',
      message: 'referenced by AMI ami-1',
    });
    expect(deletedIds(plan)).toEqual(['snap-0004']);
  });

  it('never deletes a pending snapshot, and does not count it toward the minimum', () => {
    // Prepare: the pending one is the newest
    const p = policy({ ...base, retention: { minimum: 2 } });
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .snapshots(series('p', [now - 400 * DAY], { state: 'pending' }))
      .snapshots(series('p', spaced(3, DAY, { from: now - HOUR })))
      .build();
    const [pending, newest, second, third] = inventory.snapshots.map((s) => s.id);

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(actionFor(plan, pending!).reason.code).toBe('protected.pending');
    expect(actionFor(plan, newest!).reason.code).toBe('retention.minimum');
    expect(actionFor(plan, second!).reason.code).toBe('retention.minimum');
    expect(deletedIds(plan)).toEqual([third]);
  });

  it('deletes error snapshots and never counts them', () => {
    // Prepare: minimum 2 with an error snapshot in between
    const p = policy({ ...base, retention: { minimum: 2 } });
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .snapshots(series('p', [now - HOUR, now - 3 * DAY]))
      .snapshots(series('p', [now - DAY], { state: 'error' }))
      .build();
    const [newest, older, failed] = inventory.snapshots.map((s) => s.id);

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(actionFor(plan, failed!).reason.code).toBe('retention.error');
    expect(actionFor(plan, older!).reason.code).toBe('retention.minimum');
    expect(deletedIds(plan)).toEqual([failed]);
    expect(actionFor(plan, newest!).action).toBe('keep');
  });

  it('never deletes a locked snapshot', () => {
    // Prepare
    const p = policy({ ...base, retention: { minimum: 1 } });
    const { inventory, ids } = volumeWith([now - HOUR, now - 10 * DAY], { locked: true });

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(actionFor(plan, ids[1]!).reason.code).toBe('protected.locked');
    expect(deletedIds(plan)).toEqual([]);
  });
});

describe('orphans', () => {
  const orphanInventory = () =>
    fleet()
      .snapshot({ startTime: now - 40 * DAY, volumeId: 'vol-gone', tags: { 'ebs-snapper:policy': 'p' } })
      .snapshot({ startTime: now - 50 * DAY, volumeId: 'vol-gone', tags: { 'ebs-snapper:policy': 'p' } })
      .snapshot({ startTime: now - 60 * DAY, volumeId: 'vol-gone', tags: { 'ebs-snapper:policy': 'p' } })
      .build();

  it('keeps the minimum of a series whose volume is gone', () => {
    // Prepare
    const p = policy({ ...base, retention: { minimum: 2, maxAge: '7d' } });

    // Act
    const plan = planSnapshots(orphanInventory(), [p], options);

    // Assess
    expect(deletedIds(plan)).toEqual(['snap-0003']);
    expect(plan.actions.filter((a) => a.action === 'create' || a.action === 'skip')).toEqual([]);
  });

  it('deletes every snapshot older than expire-after, minimum notwithstanding', () => {
    // Prepare
    const p = policy({ ...base, retention: { minimum: 2, maxAge: '7d', orphanedExpireAfter: '45d' } });

    // Act
    const plan = planSnapshots(orphanInventory(), [p], options);

    // Assess
    expect(deletedIds(plan)).toEqual(['snap-0002', 'snap-0003']);
    expect(actionFor(plan, 'snap-0002').reason.code).toBe('retention.orphan-expired');
    expect(actionFor(plan, 'snap-0001').reason.code).toBe('retention.minimum');
  });
});

describe('copies from another region', () => {
  it('follow the copy target’s retention and are never orphans here', () => {
    // Prepare: the source volume lives in us-east-1, so it is not in this region's inventory
    const main = policy({ ...base, retention: { minimum: 1, maxAge: '7d', orphanedExpireAfter: '1d' } });
    const copyRetention = policy({ ...base, retention: { minimum: 1, maxAge: '30d' } }).retention;
    const p = { ...main, copyTo: [{ region: 'eu-west-1', retention: copyRetention }] };
    const tags = {
      'ebs-snapper:policy': 'p',
      'ebs-snapper:volume-id': 'vol-src',
      'ebs-snapper:source-region': 'us-east-1',
    };
    const inventory = fleet()
      .snapshot({ startTime: now - 10 * DAY, volumeId: 'vol-ffffffff', tags })
      .snapshot({ startTime: now - 20 * DAY, volumeId: 'vol-ffffffff', tags })
      .snapshot({ startTime: now - 40 * DAY, volumeId: 'vol-ffffffff', tags })
      .build();

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(['snap-0001', 'snap-0002', 'snap-0003'].map((id) => actionFor(plan, id).reason.code)).toEqual([
      'retention.minimum',
      'retention.max-age',
      'retention.expired',
    ]);
    expect(actionFor(plan, 'snap-0003').volumeId).toBe('vol-src');
  });
});

describe('calendar tiers (restic semantics)', () => {
  it('keeps the newest snapshot of each of the last N days that have a snapshot', () => {
    // Prepare: two a day on May 9 and 8, none on May 7, one on May 6 and May 5
    const p = policy({ ...base, retention: { minimum: 1, keepDaily: 3 } });
    const at = (iso: string) => Date.parse(`2024-05-${iso}Z`);
    const times = ['09T10:00', '09T04:00', '08T22:00', '08T03:00', '06T12:00', '05T12:00'].map(at);
    const { inventory, ids } = volumeWith(times);

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess: the gap day does not use up a day: May 9, 8 and 6 are the last three days with one
    expect(ids.map((id) => actionFor(plan, id).reason.code)).toEqual([
      'retention.minimum',
      'retention.expired',
      'retention.tier.daily',
      'retention.expired',
      'retention.tier.daily',
      'retention.expired',
    ]);
  });

  it('keeps weekly (ISO weeks), monthly and yearly newest snapshots', () => {
    // Prepare: Sun 2024-05-05 and Mon 2024-05-06 are in different ISO weeks
    const p = policy({ ...base, retention: { minimum: 0, keepWeekly: 2, keepMonthly: 2, keepYearly: 2 } });
    const at = (iso: string) => Date.parse(`${iso}T12:00:00Z`);
    const times = ['2024-05-07', '2024-05-06', '2024-05-05', '2024-04-30', '2023-12-31', '2023-06-01'].map(
      at,
    );
    const { inventory, ids } = volumeWith(times);

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(ids.map((id) => actionFor(plan, id).reason.code)).toEqual([
      'retention.tier.weekly', // week 19, May, 2024
      'retention.expired',
      'retention.tier.weekly', // week 18
      'retention.tier.monthly', // April
      'retention.tier.yearly', // 2023
      'retention.expired',
    ]);
  });

  it('counts days in the policy’s time zone', () => {
    // Prepare: 23:30 UTC on May 8 is already May 9 in Berlin, like the 10:00 snapshot
    const p = policy({
      id: 'p',
      select: base.select,
      cron: '0 3 * * *',
      timezone: 'Europe/Berlin',
      retention: { minimum: 0, keepDaily: 2 },
    });
    const times = [
      Date.parse('2024-05-09T10:00:00Z'),
      Date.parse('2024-05-08T23:30:00Z'),
      Date.parse('2024-05-08T12:00:00Z'),
    ];
    const { inventory, ids } = volumeWith(times);

    // Act
    const plan = planSnapshots(inventory, [p], options);

    // Assess
    expect(ids.map((id) => actionFor(plan, id).reason.code)).toEqual([
      'retention.tier.daily',
      'retention.expired',
      'retention.tier.daily',
    ]);
  });
});

describe('createOffsetCache', () => {
  it('gives the UTC offset of a zone on both sides of a DST change', () => {
    // Prepare
    const offsetAt = createOffsetCache('Europe/Berlin');

    // Act
    const before = offsetAt(Date.parse('2024-03-31T00:59:59Z'));
    const after = offsetAt(Date.parse('2024-03-31T01:00:00Z'));
    const lordHowe = createOffsetCache('Australia/Lord_Howe');
    const halfHourChange = [
      lordHowe(Date.parse('2024-10-05T15:15:00Z')),
      lordHowe(Date.parse('2024-10-05T15:45:00Z')),
    ];

    // Assess: Lord Howe moves 30 minutes at 15:30 UTC, inside a UTC hour
    expect([before, after]).toEqual([HOUR, 2 * HOUR]);
    expect(halfHourChange).toEqual([10.5 * HOUR, 11 * HOUR]);
  });
});
