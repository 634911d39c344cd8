import { beforeEach, describe, expect, it } from 'vitest';
import { daily, fleet, REGION, series } from '../../../test/support/builders/fleet.js';
import { DAY, HOUR, policy } from '../../../test/support/builders/policy.js';
import {
  type InMemoryTargetMemory,
  type MemoryExclusive,
  memoryExclusive,
  memoryTargetMemory,
} from '../../../test/support/fakes/exclusive.js';
import { fakeClock } from '../../../test/support/fakes/fake-clock.js';
import { fakePortError, InMemoryEc2 } from '../../../test/support/fakes/in-memory-ec2.js';
import type { Config } from '../../core/policy/types.js';
import { hasFailures, runTarget } from './run.js';

const NOW = 100 * DAY;
const RUN = '19700411T000000Z-000001';
const NEXT = '19700411T000100Z-000002';
const DEST = 'us-east-1';

const config = (copyTo: readonly string[] = []): Config => ({
  version: 1,
  settings: { guard: {}, organization: false },
  policies: [
    {
      ...policy({
        id: 'daily',
        select: { instances: { 'tag:Role': 'web' } },
        every: '1d',
        retention: { maxAge: '4d', minimum: 1 },
      }),
      copyTo: copyTo.map((region) => ({
        region,
        retention: { ...policy({ id: 'x', select: {} }).retention },
      })),
    },
  ],
});

/** Two volumes whose newest snapshot is two days old: both due. */
const dueEstate = () =>
  fleet()
    .instance('web-1', { tags: { Role: 'web' } })
    .volume({ id: 'vol-a', device: '/dev/xvda' })
    .snapshots(series('daily', daily(2, { from: NOW - 2 * DAY })))
    .volume({ id: 'vol-b', device: '/dev/xvdf' })
    .snapshots(series('daily', daily(2, { from: NOW - 2 * DAY })))
    .build();

/** Two volumes snapshotted two hours ago: not due, each due a copy. */
const copyEstate = () =>
  fleet()
    .instance('web-1', { tags: { Role: 'web' } })
    .volume({ id: 'vol-a', device: '/dev/xvda' })
    .snapshots(series('daily', [NOW - 2 * HOUR]))
    .volume({ id: 'vol-b', device: '/dev/xvdf' })
    .snapshots(series('daily', [NOW - 2 * HOUR]))
    .build();

let targets: MemoryExclusive;
let memory: InMemoryTargetMemory;
beforeEach(() => {
  targets = memoryExclusive();
  memory = memoryTargetMemory();
});

const options = (extra: Partial<Parameters<typeof runTarget>[2]> = {}) => ({
  now: NOW,
  runId: RUN,
  exclusive: targets.exclusive,
  memory,
  ...fakeClock(NOW),
  ...extra,
});

/** An EC2 whose listings leave out what it made until the test sets `listingLagMs` to 0. */
const lagging = (inventory = dueEstate()) => {
  const ec2 = new InMemoryEc2(inventory, () => NOW);
  ec2.listingLagMs = HOUR;
  return ec2;
};

const journal = (ec2: InMemoryEc2) => memory.journals.get(`${ec2.account}-${ec2.region}`) ?? [];

describe('runTarget with the journal of recent creates', () => {
  it('makes nothing in a run right after another while the listing lags, and forgets once it shows', async () => {
    // Prepare
    const ec2 = lagging();

    // Act
    const first = await runTarget(ec2, config(), options());
    const second = await runTarget(ec2, config(), options({ runId: NEXT }));
    const remembered = journal(ec2).map((e) => e.snapshotId);
    ec2.listingLagMs = 0;
    const third = await runTarget(ec2, config(), options({ runId: NEXT }));

    // Assess
    const made = first.results.filter((r) => r.action === 'create').map((r) => r.snapshotId);
    expect(first.summary.created).toBe(2);
    expect(second.plan.summary.create).toBe(0);
    expect(second.summary).toMatchObject({ created: 0, deleted: 0, failed: 0 });
    expect(ec2.count('createSnapshot')).toBe(2);
    expect(remembered).toEqual(made);
    expect(journal(ec2).map((e) => e.snapshotId)).toEqual([]);
    expect(third.plan.summary.create).toBe(0);
    expect(third.plan.warnings).toEqual([]);
  });

  it('records each create with its series, run id and the time EC2 answered', async () => {
    // Prepare
    const ec2 = lagging();

    // Act
    await runTarget(ec2, config(), options());

    // Assess
    expect(journal(ec2).map(({ snapshotId: _, ...rest }) => rest)).toEqual([
      { region: REGION, policy: 'daily', volumeId: 'vol-a', runId: RUN, startedAt: NOW },
      { region: REGION, policy: 'daily', volumeId: 'vol-b', runId: RUN, startedAt: NOW },
    ]);
  });

  it('records what it made even when another create fails, so the next run makes only the missing one', async () => {
    // Prepare: vol-b's create is refused
    const ec2 = lagging().fail('createSnapshot', 'UnauthorizedOperation', { target: 'vol-b' });

    // Act
    const first = await runTarget(ec2, config(), options());
    const second = await runTarget(ec2, config(), options({ runId: NEXT }));

    // Assess
    expect(hasFailures(first)).toBe(true);
    expect(journal(ec2).map((e) => e.volumeId)).toEqual(['vol-a', 'vol-b']);
    expect(second.results.map((r) => [r.action, r.volumeId, r.status])).toEqual([
      ['create', 'vol-b', 'done'],
    ]);
  });

  it('remembers copies: a run right after another copies nothing its destination does not list yet', async () => {
    // Prepare
    const ec2 = lagging(copyEstate());

    // Act
    const first = await runTarget(ec2, config([DEST]), options());
    const second = await runTarget(ec2, config([DEST]), options({ runId: NEXT }));

    // Assess
    expect(first.summary.copied).toBe(2);
    expect(second.plan.summary.copy).toBe(0);
    expect(ec2.count('copySnapshot')).toBe(2);
    expect(journal(ec2).map((e) => [e.region, e.sourceSnapshotId])).toEqual(
      first.results.map((r) => [DEST, r.sourceSnapshotId]),
    );
  });

  it('never reads the journal of an account × region with no volume and no snapshot', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(fleet().build(), () => NOW);

    // Act
    const report = await runTarget(ec2, config(), options());

    // Assess
    expect(report.plan.actions).toEqual([]);
    expect(memory.opened).toEqual([]);
    expect(targets.taken).toEqual([`${ec2.account}-${ec2.region}`]);
  });

  it('reads but never writes the journal on a dry run', async () => {
    // Prepare
    const ec2 = lagging();
    await runTarget(ec2, config(), options());
    ec2.listingLagMs = 0;
    const writes = memory.writes.length;

    // Act
    const dry = await runTarget(ec2, config(), options({ runId: NEXT, dryRun: true }));

    // Assess
    expect(dry.plan.summary.create).toBe(0);
    expect(memory.writes).toHaveLength(writes);
    expect(journal(ec2)).toHaveLength(2);
  });

  it('goes on with a warning when the journal cannot be read or written: a second snapshot, never a missed one', async () => {
    // Prepare
    const unread = lagging();
    const unwritten = lagging();
    memory.failReads = fakePortError('collectInventory', 'ProvisionedThroughputExceededException');

    // Act
    const withoutRead = await runTarget(unread, config(), options());
    memory.failReads = undefined;
    memory.failWrites = fakePortError('collectInventory', 'AccessDeniedException');
    const withoutWrite = await runTarget(unwritten, config(), options());

    // Assess
    for (const report of [withoutRead, withoutWrite]) {
      expect(report.summary.created).toBe(2);
      expect(hasFailures(report)).toBe(false);
    }
    expect(withoutRead.plan.warnings.map((w) => w.code)).toEqual(['plan.recent-creates']);
    expect(withoutRead.plan.warnings[0]?.message).toMatch(/could not be read .*ProvisionedThroughput/);
    expect(withoutWrite.plan.warnings.map((w) => w.code)).toEqual(['plan.recent-creates']);
    expect(withoutWrite.plan.warnings[0]?.message).toMatch(/could not be written .*AccessDenied/);
  });
});
