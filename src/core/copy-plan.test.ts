import { describe, expect, it } from 'vitest';
import { ACCOUNT, daily, fleet, REGION, series } from '../../test/support/builders/fleet.js';
import { actionFor, creates, deletedIds } from '../../test/support/builders/plan-queries.js';
import { DAY, HOUR, policy } from '../../test/support/builders/policy.js';
import type { CopyAction, Plan, SkipAction } from './actions.js';
import { copiesOfCreated, MAX_COPIES_IN_FLIGHT } from './copy-plan.js';
import { type CopyDestination, type Inventory, snapshotId, TAG } from './model.js';
import { planSnapshots } from './plan.js';
import type { CopyTarget, Policy } from './policy/types.js';

const now = Date.parse('2024-05-10T12:00:00Z');
const options = { now, runId: 'run-1' };
/** The disaster-recovery region the source region (`REGION`) copies to. */
const DEST = 'us-east-1';
/** A second destination, for tests about more than one. */
const OTHER = 'ap-south-1';
const select = { instances: { 'tag:Role': 'web' } };

/** The copy_to target's own retention: keep 3, at most 30 days. */
const drRetention = policy({ id: 'dr', select, retention: { minimum: 3, maxAge: '30d' } }).retention;
const toDest: CopyTarget = { region: DEST, retention: drRetention, kmsKeyId: 'alias/dr' };

/** Daily snapshots, 2 per series by count and 7 days by age, orphans expire after a day; copied to DEST. */
const web = (copyTo: readonly CopyTarget[] = [toDest]): Policy => ({
  ...policy({
    id: 'web',
    select,
    every: '1d',
    retention: { minimum: 2, maxAge: '7d', orphanedExpireAfter: '1d' },
  }),
  copyTo,
});

const listed = (region: string, extra: Partial<CopyDestination> = {}): CopyDestination => ({
  region,
  copied: [],
  inFlight: 0,
  ...extra,
});

const withDestinations = (inventory: Inventory, destinations: readonly CopyDestination[]): Inventory => ({
  ...inventory,
  copyDestinations: destinations,
});

/** One web volume with three completed daily snapshots, the newest two hours old (not due). */
const source = (extra: Parameters<typeof series>[2] = {}) =>
  fleet()
    .instance('web-1', { tags: { Role: 'web' } })
    .volume({ id: 'vol-a' })
    .snapshots(series('web', daily(3, { from: now - 2 * HOUR }), extra))
    .build();

const copiesIn = (plan: Plan): CopyAction[] =>
  plan.actions.filter((a): a is CopyAction => a.action === 'copy');
const limitSkips = (plan: Plan): SkipAction[] =>
  plan.actions.filter((a): a is SkipAction => a.action === 'skip' && a.reason.code === 'copy.limit');

describe('planSnapshots: copies to other regions', () => {
  it('copies the newest completed snapshot to a listed destination, with its tags, expiry and key', () => {
    // Prepare: the source carries a user tag, the instance tag and its own expiry
    const base = source({
      tags: { Team: 'ops', [TAG.instanceId]: 'i-web-1', [TAG.expiresAt]: '2024-05-17T10:00:00.000Z' },
    });
    const inventory = withDestinations(base, [listed(DEST)]);
    const newest = base.snapshots[0]!.id;

    // Act
    const plan = planSnapshots(inventory, [web()], options);

    // Assess
    expect(copiesIn(plan)).toEqual([
      {
        action: 'copy',
        policy: 'web',
        account: ACCOUNT,
        region: DEST,
        sourceRegion: REGION,
        snapshotId: newest,
        volumeId: 'vol-a',
        tags: {
          [TAG.policy]: 'web',
          [TAG.volumeId]: 'vol-a',
          [TAG.instanceId]: 'i-web-1',
          [TAG.expiresAt]: new Date(now + 30 * DAY).toISOString(),
          [TAG.runId]: 'run-1',
          [TAG.sourceSnapshotId]: newest,
          [TAG.sourceRegion]: REGION,
          Team: 'ops',
        },
        description: `web copy of ${newest} from ${REGION}`,
        kmsKeyId: 'alias/dr',
        reason: expect.objectContaining({ code: 'due.copy' }),
      },
    ]);
    expect(plan.summary.copy).toBe(1);
    expect(plan.copiesHeld).toBeUndefined();
  });

  it('makes no copy of a snapshot the destination already holds a copy of', () => {
    // Prepare
    const base = source();
    const inventory = withDestinations(base, [listed(DEST, { copied: [base.snapshots[0]!.id] })]);

    // Act
    const plan = planSnapshots(inventory, [web()], options);

    // Assess: the older snapshots have no copy either, but only the newest completed one counts
    expect(copiesIn(plan)).toEqual([]);
    expect(limitSkips(plan)).toEqual([]);
    expect(plan.summary.copy).toBe(0);
  });

  it('copies the newest completed snapshot when the newest is still pending, and nothing older', () => {
    // Prepare: snap-0001 (newest) pending, snap-0002 completed, snap-0003 completed
    const withPending = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume({ id: 'vol-a' })
      .snapshots(series('web', [now - 2 * HOUR], { state: 'pending' }))
      .snapshots(series('web', daily(2, { from: now - 26 * HOUR })))
      .build();
    const [pending, completed, older] = withPending.snapshots.map((s) => s.id);

    // Act
    const plan = planSnapshots(withDestinations(withPending, [listed(DEST)]), [web()], options);
    const whenCopied = planSnapshots(
      withDestinations(withPending, [listed(DEST, { copied: [completed!] })]),
      [web()],
      options,
    );

    // Assess: the pending one waits for a later run; once the newest completed one has a copy,
    // an older one is not copied instead
    expect(copiesIn(plan).map((c) => c.snapshotId)).toEqual([completed]);
    expect(copiesIn(plan).map((c) => c.snapshotId)).not.toContain(pending);
    expect(copiesIn(whenCopied)).toEqual([]);
    expect(actionFor(whenCopied, older!).action).toBe('keep');
  });

  it('never copies a snapshot the same plan deletes: an orphan series past expire-after gets no copy', () => {
    // Prepare: the volume is gone; its snapshots are two days old, past orphaned.expire-after 1d
    const orphan = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .snapshots(series('web', daily(2, { from: now - 2 * DAY }), { volumeId: 'vol-gone' }))
      .build();
    const inventory = withDestinations(orphan, [listed(DEST)]);

    // Act
    const plan = planSnapshots(inventory, [web()], options);

    // Assess
    expect(deletedIds(plan)).toHaveLength(2);
    expect(copiesIn(plan)).toEqual([]);
  });

  it('makes no copy to a destination whose copies were not listed', () => {
    // Prepare: only OTHER was listed, DEST was not
    const twoTargets = web([toDest, { region: OTHER, retention: drRetention }]);
    const unlisted = source();
    const otherOnly = withDestinations(source(), [listed(OTHER)]);

    // Act
    const none = planSnapshots(unlisted, [twoTargets], options);
    const plan = planSnapshots(otherOnly, [twoTargets], options);

    // Assess
    expect(copiesIn(none)).toEqual([]);
    expect(copiesIn(plan).map((c) => c.region)).toEqual([OTHER]);
    expect(plan.warnings.map((w) => w.code)).not.toContain('plan.copies-held');
  });

  it('starts at most 20 copies in flight per destination, and skips the rest with copy.limit', () => {
    // Prepare: 25 series due a copy, 3 copies already in flight to DEST
    const builder = fleet().instance('web-1', { tags: { Role: 'web' } });
    for (let n = 0; n < 25; n++) {
      builder
        .volume({ id: `vol-${String(n).padStart(2, '0')}`, device: `/dev/sd${n}` })
        .snapshots(series('web', [now - 2 * HOUR]));
    }
    const inventory = withDestinations(builder.build(), [listed(DEST, { inFlight: 3 })]);

    // Act
    const plan = planSnapshots(inventory, [web()], options);

    // Assess: the budget goes to the series in volume order
    expect(MAX_COPIES_IN_FLIGHT).toBe(20);
    expect(copiesIn(plan)).toHaveLength(17);
    expect(copiesIn(plan).map((c) => c.volumeId)).toEqual(
      Array.from({ length: 17 }, (_, n) => `vol-${String(n).padStart(2, '0')}`),
    );
    expect(limitSkips(plan)).toHaveLength(8);
    expect(limitSkips(plan).map((s) => [s.region, s.volumeId])).toEqual(
      Array.from({ length: 8 }, (_, n) => [DEST, `vol-${String(n + 17).padStart(2, '0')}`]),
    );
    expect(plan.summary.copy).toBe(17);
  });

  it('skips every copy with copy.limit when the destination already has 20 in flight', () => {
    // Prepare
    const inventory = withDestinations(source(), [listed(DEST, { inFlight: 25 })]);

    // Act
    const plan = planSnapshots(inventory, [web()], options);

    // Assess
    expect(copiesIn(plan)).toEqual([]);
    expect(limitSkips(plan).map((s) => s.volumeId)).toEqual(['vol-a']);
  });
});

describe('planSnapshots: a copy that expired is not made again', () => {
  /** One volume whose only snapshot is `age` old, on a 30-day schedule (not due again for weeks). */
  const monthly = (copyRetention: Partial<Policy['retention']>, age: number) => {
    const retention = { ...policy({ id: 'x', select }).retention, ...copyRetention };
    const target: CopyTarget = { region: DEST, retention };
    const monthlyWeb: Policy = { ...policy({ id: 'web', select, every: '30d' }), copyTo: [target] };
    const inventory = withDestinations(
      fleet()
        .instance('web-1', { tags: { Role: 'web' } })
        .volume({ id: 'vol-a' })
        .snapshots(series('web', [now - age]))
        .build(),
      [listed(DEST)],
    );
    return { plan: planSnapshots(inventory, [monthlyWeb], options), source: inventory.snapshots[0]!.id };
  };

  it('does not copy again a source whose only copy the target’s max_age expired (minimum 0)', () => {
    // Prepare: the snapshot is 10 days old; its copy (kept 7 days, minimum 0) was deleted, so the
    // destination lists none

    // Act
    const { plan } = monthly({ minimum: 0, maxAgeMs: 7 * DAY }, 10 * DAY);

    // Assess: copying it would make a copy that expired data, deleted again in 7 days, copied again...
    expect(copiesIn(plan)).toEqual([]);
    expect(creates(plan)).toEqual([]);
  });

  it('copies a source younger than the target’s max_age with minimum 0', () => {
    // Act
    const { plan, source } = monthly({ minimum: 0, maxAgeMs: 7 * DAY }, 2 * DAY);

    // Assess
    expect(copiesIn(plan).map((c) => c.snapshotId)).toEqual([source]);
  });

  it('copies a source older than max_age when the target keeps its newest copy anyway (a minimum, a tier)', () => {
    // Act
    const byMinimum = monthly({ minimum: 1, maxAgeMs: 7 * DAY }, 10 * DAY);
    const byTier = monthly({ minimum: 0, maxAgeMs: 7 * DAY, keepWeekly: 1 }, 10 * DAY);

    // Assess: the copy is never deleted while it is the newest, so it is made once
    expect(copiesIn(byMinimum.plan).map((c) => c.snapshotId)).toEqual([byMinimum.source]);
    expect(copiesIn(byTier.plan).map((c) => c.snapshotId)).toEqual([byTier.source]);
  });
});

describe('planSnapshots: copies made into this region', () => {
  /** In DEST: copies of vol-src from REGION (1, 10, 20, 40, 50 days old), and an own series of a gone volume. */
  const destination = (withWebVolume = false) => {
    const copyTags = { [TAG.policy]: 'web', [TAG.volumeId]: 'vol-src', [TAG.sourceRegion]: REGION };
    const builder = fleet({ region: DEST });
    if (withWebVolume) {
      builder
        .instance('web-9', { tags: { Role: 'web' } })
        .volume({ id: 'vol-web' })
        .snapshots(series('web', [now - 2 * DAY], { id: 'snap-own-web' }));
    }
    for (const [n, age] of [1, 10, 20, 40, 50].entries()) {
      builder.snapshot({
        id: `snap-copy-${n + 1}`,
        startTime: now - age * DAY,
        volumeId: 'vol-ffffffff',
        tags: copyTags,
      });
    }
    const ownTags = { [TAG.policy]: 'web', [TAG.volumeId]: 'vol-gone' };
    builder.snapshot({ id: 'snap-own-1', startTime: now - 2 * DAY, volumeId: 'vol-gone', tags: ownTags });
    builder.snapshot({ id: 'snap-own-2', startTime: now - 3 * DAY, volumeId: 'vol-gone', tags: ownTags });
    return builder.build();
  };

  it('judges copies with the copy_to target’s retention and never expires them as orphans', () => {
    // Prepare: the source volume is not in this region, and the policy expires orphans after a day
    const inventory = destination();

    // Act
    const plan = planSnapshots(inventory, [web()], options);

    // Assess: the newest 3 copies stay (the policy's own minimum 2 and max_age 7d would have
    // dropped the 10- and 20-day-old ones); the region's own orphan series does expire
    expect(
      ['snap-copy-1', 'snap-copy-2', 'snap-copy-3'].map((id) => actionFor(plan, id).reason.code),
    ).toEqual(['retention.minimum', 'retention.minimum', 'retention.minimum']);
    expect(['snap-copy-4', 'snap-copy-5'].map((id) => actionFor(plan, id).reason.code)).toEqual([
      'retention.expired',
      'retention.expired',
    ]);
    expect(actionFor(plan, 'snap-own-1').reason.code).toBe('retention.orphan-expired');
    expect(deletedIds(plan)).toEqual(['snap-copy-4', 'snap-copy-5', 'snap-own-1', 'snap-own-2']);
    expect(actionFor(plan, 'snap-copy-4')).toMatchObject({ region: DEST, volumeId: 'vol-src' });
  });

  it('keeps a copy series whose copies are all past max_age down to the target’s minimum', () => {
    // Prepare: every copy is older than the target's 30 days
    const tags = { [TAG.policy]: 'web', [TAG.volumeId]: 'vol-src', [TAG.sourceRegion]: REGION };
    const inventory = fleet({ region: DEST })
      .snapshot({ id: 'snap-copy-1', startTime: now - 40 * DAY, volumeId: 'vol-ffffffff', tags })
      .snapshot({ id: 'snap-copy-2', startTime: now - 50 * DAY, volumeId: 'vol-ffffffff', tags })
      .build();

    // Act
    const plan = planSnapshots(inventory, [web()], options);

    // Assess
    expect(deletedIds(plan)).toEqual([]);
    expect(actionFor(plan, 'snap-copy-2').reason.code).toBe('retention.minimum');
  });

  it('plans only the copies’ retention with copiesOnly: no create, no copy, no own series', () => {
    // Prepare: DEST also has a web volume of its own, due, copied on to OTHER (listed)
    const policies = [web([toDest, { region: OTHER, retention: drRetention }])];
    const inventory = withDestinations(destination(true), [listed(OTHER)]);

    // Act
    const full = planSnapshots(inventory, policies, options);
    const plan = planSnapshots(inventory, policies, { ...options, copiesOnly: true });

    // Assess: a full plan would create and copy; copies-only judges the five copies and nothing else
    expect(creates(full).map((c) => c.volumeId)).toEqual(['vol-web']);
    expect(copiesIn(full).map((c) => c.snapshotId)).toContain('snap-own-web');
    expect(plan.summary).toEqual({ create: 0, copy: 0, delete: 2, keep: 3, skip: 0 });
    expect(deletedIds(plan)).toEqual(['snap-copy-4', 'snap-copy-5']);
    expect(plan.actions.every((a) => a.action === 'keep' || a.action === 'delete')).toBe(true);
    const judged = plan.actions.map((a) => ('snapshotId' in a ? a.snapshotId : ''));
    expect(judged).not.toContain('snap-own-web');
    expect(judged).not.toContain('snap-own-1');
  });
});

describe('planSnapshots: copies of this run’s new snapshots', () => {
  /** vol-a has a snapshot two hours old (not due), vol-b and vol-c have none (due). */
  const mixed = (destinations: readonly CopyDestination[]) =>
    withDestinations(
      fleet()
        .instance('web-1', { tags: { Role: 'web' } })
        .volume({ id: 'vol-a' })
        .snapshots(series('web', [now - 2 * HOUR]))
        .volume({ id: 'vol-b', device: '/dev/xvdb' })
        .volume({ id: 'vol-c', device: '/dev/xvdc' })
        .build(),
      destinations,
    );

  it('gives a create the listed destinations as copyTo intents', () => {
    // Prepare: DEST listed, OTHER not
    const policies = [web([toDest, { region: OTHER, retention: drRetention }])];

    // Act
    const plan = planSnapshots(mixed([listed(DEST)]), policies, options);

    // Assess
    expect(creates(plan).map((c) => c.volumeId)).toEqual(['vol-b', 'vol-c']);
    for (const create of creates(plan)) {
      expect(create.copyTo).toEqual([
        { region: DEST, kmsKeyId: 'alias/dr', expiresAt: new Date(now + 30 * DAY).toISOString() },
      ]);
    }
  });

  it('gives a create no copyTo when no destination was listed', () => {
    // Prepare
    const inventory = mixed([]);

    // Act
    const plan = planSnapshots(inventory, [web()], options);

    // Assess
    expect(creates(plan)).toHaveLength(2);
    expect(creates(plan).every((c) => c.copyTo === undefined)).toBe(true);
  });

  it('copies completed new snapshots only within the budget the plan’s own copies left', () => {
    // Prepare: 18 in flight, the plan copies vol-a's snapshot: one copy left for two new snapshots
    const inventory = mixed([listed(DEST, { inFlight: 18 })]);
    const plan = planSnapshots(inventory, [web()], options);
    const [b, c] = creates(plan);
    const created = [
      { action: b!, snapshotId: snapshotId('snap-new-b') },
      { action: c!, snapshotId: snapshotId('snap-new-c') },
    ];

    // Act
    const more = copiesOfCreated(inventory, plan.actions, created, plan.runId);
    const roomy = copiesOfCreated(mixed([listed(DEST)]), plan.actions, created, plan.runId);

    // Assess
    expect(copiesIn(plan).map((a) => a.volumeId)).toEqual(['vol-a']);
    expect(more).toHaveLength(1);
    expect(more[0]).toMatchObject({
      action: 'copy',
      region: DEST,
      sourceRegion: REGION,
      snapshotId: 'snap-new-b',
      volumeId: 'vol-b',
      kmsKeyId: 'alias/dr',
      reason: { code: 'due.copy' },
    });
    expect(more[0]!.tags).toMatchObject({
      [TAG.sourceSnapshotId]: 'snap-new-b',
      [TAG.sourceRegion]: REGION,
      [TAG.expiresAt]: new Date(now + 30 * DAY).toISOString(),
      [TAG.runId]: 'run-1',
    });
    expect(roomy.map((a) => a.snapshotId)).toEqual(['snap-new-b', 'snap-new-c']);
  });
});

describe('planSnapshots: a destination that could not be listed', () => {
  it('holds its copies with plan.copiesHeld and a plan.copies-held warning; others still copy', () => {
    // Prepare
    const policies = [web([toDest, { region: OTHER, retention: drRetention }])];
    const inventory = withDestinations(source(), [
      listed(DEST, { error: 'DescribeSnapshots: UnauthorizedOperation' }),
      listed(OTHER),
    ]);

    // Act
    const plan = planSnapshots(inventory, policies, options);

    // Assess
    expect(plan.copiesHeld).toEqual([`${DEST} (DescribeSnapshots: UnauthorizedOperation)`]);
    expect(plan.warnings.filter((w) => w.code === 'plan.copies-held')).toHaveLength(1);
    expect(plan.warnings.find((w) => w.code === 'plan.copies-held')?.message).toContain(DEST);
    expect(copiesIn(plan).map((c) => c.region)).toEqual([OTHER]);
    expect(plan.actions.filter((a) => a.region === DEST)).toEqual([]);
  });
});
