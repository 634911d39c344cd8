import { describe, expect, it } from 'vitest';
import { daily, fleet, REGION, series } from '../../../test/support/builders/fleet.js';
import { DAY, HOUR, policy } from '../../../test/support/builders/policy.js';
import { fakeClock } from '../../../test/support/fakes/fake-clock.js';
import { InMemoryEc2 } from '../../../test/support/fakes/in-memory-ec2.js';
import { TAG } from '../../core/model.js';
import type { Config, CopyTarget } from '../../core/policy/types.js';
import type { CopySnapshotRequest } from '../kit/ports.js';
import type { ActionResult } from './results.js';
import { type Exclusive, hasFailures, runTarget } from './run.js';

const NOW = 100 * DAY;
const RUN = '19700411T000000Z-000001';
const DEST = 'us-east-1';
const OTHER = 'ap-south-1';

const drRetention = policy({ id: 'dr', select: {}, retention: { minimum: 3, maxAge: '30d' } }).retention;
const target = (region: string): CopyTarget => ({ region, retention: drRetention });

const configCopyingTo = (...regions: string[]): Config => ({
  version: 1,
  settings: { guard: {}, organization: false },
  policies: [
    {
      ...policy({
        id: 'daily',
        select: { instances: { 'tag:Role': 'web' } },
        every: '1d',
        retention: { maxAge: '7d', minimum: 1 },
      }),
      copyTo: regions.map(target),
    },
  ],
});

/** Three volumes, two snapshots each, the newest two hours old: not due, each due a copy. */
const estate = () =>
  fleet()
    .instance('web-1', { tags: { Role: 'web' } })
    .volume({ id: 'vol-a', device: '/dev/xvda' })
    .snapshots(series('daily', daily(2, { from: NOW - 2 * HOUR })))
    .volume({ id: 'vol-b', device: '/dev/xvdb' })
    .snapshots(series('daily', daily(2, { from: NOW - 2 * HOUR })))
    .volume({ id: 'vol-c', device: '/dev/xvdc' })
    .snapshots(series('daily', daily(2, { from: NOW - 2 * HOUR })))
    .build();

/** One volume whose only snapshot is two days old: due a new one. */
const dueEstate = () =>
  fleet()
    .instance('web-1', { tags: { Role: 'web' } })
    .volume({ id: 'vol-a', device: '/dev/xvda' })
    .snapshots(series('daily', [NOW - 2 * DAY]))
    .build();

/** The run has the account × region to itself: these tests are not about the lock. */
const exclusive: Exclusive = (_key, work) => work();

const options = (extra: Partial<Parameters<typeof runTarget>[2]> = {}) => ({
  now: NOW,
  runId: RUN,
  exclusive,
  ...fakeClock(NOW),
  ...extra,
});

const copyResults = (results: readonly ActionResult[], region?: string): ActionResult[] =>
  results.filter((r) => r.action === 'copy' && (region === undefined || r.region === region));

const copyRequests = (ec2: InMemoryEc2): CopySnapshotRequest[] =>
  ec2.calls.filter((c) => c.operation === 'copySnapshot').map((c) => c.request as CopySnapshotRequest);

describe('runTarget: copies to other regions', () => {
  it('copies each series’ newest snapshot into the destination, and a second run copies nothing new', async () => {
    // Prepare
    const inventory = estate();
    const ec2 = new InMemoryEc2(inventory, () => NOW);
    const config = configCopyingTo(DEST);
    const newest = ['vol-a', 'vol-b', 'vol-c'].map(
      (v) => inventory.snapshots.find((s) => s.volumeId === v && s.startTime === NOW - 2 * HOUR)!.id,
    );

    // Act
    const first = await runTarget(ec2, config, options());
    const second = await runTarget(ec2, config, options({ runId: '19700411T010000Z-000002' }));

    // Assess
    const copies = ec2.copiesIn.get(DEST) ?? [];
    expect(copies.map((c) => c.tags[TAG.sourceSnapshotId])).toEqual(newest);
    expect(copies.every((c) => c.tags[TAG.sourceRegion] === REGION && c.tags[TAG.policy] === 'daily')).toBe(
      true,
    );
    expect(first.summary).toMatchObject({ created: 0, copied: 3, failed: 0 });
    expect(copyResults(first.results).map((r) => [r.status, r.region, r.sourceSnapshotId])).toEqual(
      newest.map((id) => ['done', DEST, id]),
    );
    expect(copyResults(first.results).map((r) => r.snapshotId)).toEqual(copies.map((c) => c.id));
    expect(hasFailures(first)).toBe(false);
    expect(second.plan.summary.copy).toBe(0);
    expect(second.summary.copied).toBe(0);
    expect(ec2.count('copySnapshot')).toBe(3);
    expect(ec2.copiesIn.get(DEST)).toHaveLength(3);
  });

  it('defers the rest of a destination’s copies after ResourceLimitExceeded; another destination goes on', async () => {
    // Prepare: copies run one at a time, in plan order (per volume: DEST, then OTHER); the
    // second copy to DEST (vol-b's snapshot) is refused
    const inventory = estate();
    const volB = inventory.snapshots.find((s) => s.volumeId === 'vol-b' && s.startTime === NOW - 2 * HOUR)!;
    const ec2 = new InMemoryEc2(inventory, () => NOW).fail('copySnapshot', 'ResourceLimitExceeded', {
      target: volB.id,
    });

    // Act
    const report = await runTarget(ec2, configCopyingTo(DEST, OTHER), options({ concurrency: 1 }));

    // Assess
    expect(copyResults(report.results, DEST).map((r) => [r.volumeId, r.status, r.error?.code])).toEqual([
      ['vol-a', 'done', undefined],
      ['vol-b', 'deferred', 'ResourceLimitExceeded'],
      ['vol-c', 'deferred', 'ResourceLimitExceeded'],
    ]);
    expect(copyResults(report.results, OTHER).map((r) => r.status)).toEqual(['done', 'done', 'done']);
    expect(copyRequests(ec2).map((r) => [r.destination, r.sourceSnapshotId])).not.toContainEqual([
      DEST,
      inventory.snapshots.find((s) => s.volumeId === 'vol-c' && s.startTime === NOW - 2 * HOUR)!.id,
    ]);
    expect(ec2.count('copySnapshot')).toBe(5);
    expect(ec2.copiesIn.get(DEST)).toHaveLength(1);
    expect(ec2.copiesIn.get(OTHER)).toHaveLength(3);
    expect(report.summary).toMatchObject({ copied: 4, deferred: 2, failed: 0 });
    expect(hasFailures(report)).toBe(false);
  });

  it('fails a copy on a transient error and never calls CopySnapshot for it again in the run', async () => {
    // Prepare: one InternalError for vol-a's copy; a retry would succeed
    const inventory = estate();
    const volA = inventory.snapshots.find((s) => s.volumeId === 'vol-a' && s.startTime === NOW - 2 * HOUR)!;
    const ec2 = new InMemoryEc2(inventory, () => NOW).fail('copySnapshot', 'InternalError', {
      target: volA.id,
    });

    // Act
    const report = await runTarget(ec2, configCopyingTo(DEST), options());

    // Assess
    const failed = copyResults(report.results).filter((r) => r.status === 'failed');
    expect(failed.map((r) => [r.sourceSnapshotId, r.error?.code])).toEqual([[volA.id, 'InternalError']]);
    expect(failed[0]?.error?.message).toContain('not retried in this run');
    expect(copyRequests(ec2).filter((r) => r.sourceSnapshotId === volA.id)).toHaveLength(1);
    expect(ec2.copiesIn.get(DEST)?.map((c) => c.tags[TAG.sourceSnapshotId])).not.toContain(volA.id);
    expect(report.summary).toMatchObject({ copied: 2, failed: 1 });
    expect(hasFailures(report)).toBe(true);
  });

  it('copies a snapshot created in the same run when EC2 reports it completed at once', async () => {
    // Prepare: the old snapshot has its copy already
    const inventory = dueEstate();
    const ec2 = new InMemoryEc2(inventory, () => NOW);
    ec2.completedAtOnce = true;
    await ec2.copySnapshot({
      destination: DEST,
      sourceRegion: REGION,
      sourceSnapshotId: inventory.snapshots[0]!.id,
      description: 'earlier copy',
      tags: { [TAG.sourceSnapshotId]: inventory.snapshots[0]!.id, [TAG.sourceRegion]: REGION },
    });

    // Act
    const report = await runTarget(ec2, configCopyingTo(DEST), options());

    // Assess
    const created = report.results.find((r) => r.action === 'create');
    expect(created?.status).toBe('done');
    expect(created?.snapshotId).toBeDefined();
    expect(copyResults(report.results).map((r) => [r.status, r.sourceSnapshotId])).toContainEqual([
      'done',
      created?.snapshotId,
    ]);
    const copy = ec2.copiesIn.get(DEST)?.find((c) => c.tags[TAG.sourceSnapshotId] === created?.snapshotId);
    expect(copy?.tags).toMatchObject({
      [TAG.sourceRegion]: REGION,
      [TAG.runId]: RUN,
      [TAG.expiresAt]: new Date(NOW + 30 * DAY).toISOString(),
    });
  });

  it('makes one copy per series and destination in a run: the older snapshot without a copy, not the new one too', async () => {
    // Prepare
    const inventory = dueEstate();
    const ec2 = new InMemoryEc2(inventory, () => NOW);
    ec2.completedAtOnce = true;

    // Act
    const report = await runTarget(ec2, configCopyingTo(DEST), options());

    // Assess
    expect(report.summary.created).toBe(1);
    expect(copyResults(report.results).map((r) => r.sourceSnapshotId)).toEqual([inventory.snapshots[0]!.id]);
  });

  it('does not copy a new snapshot in the same run while EC2 reports it pending', async () => {
    // Prepare: the only snapshot is two days old, so the run creates one (pending) and copies the old one
    const inventory = dueEstate();
    const ec2 = new InMemoryEc2(inventory, () => NOW);

    // Act
    const report = await runTarget(ec2, configCopyingTo(DEST), options());

    // Assess
    expect(report.summary.created).toBe(1);
    expect(copyResults(report.results).map((r) => r.sourceSnapshotId)).toEqual([inventory.snapshots[0]!.id]);
  });

  it('holds the copies of a destination whose copies cannot be listed, fails the run, and still creates', async () => {
    // Prepare: DEST cannot be listed, OTHER can
    const ec2 = new InMemoryEc2(dueEstate(), () => NOW).fail('listCopies', 'UnauthorizedOperation', {
      target: DEST,
    });

    // Act
    const report = await runTarget(ec2, configCopyingTo(DEST, OTHER), options());

    // Assess
    expect(report.plan.copiesHeld).toHaveLength(1);
    expect(report.plan.copiesHeld?.[0]).toMatch(/^us-east-1 \(UnauthorizedOperation/);
    expect(report.plan.warnings.map((w) => w.code)).toContain('plan.copies-held');
    expect(report.summary.created).toBe(1);
    expect(copyRequests(ec2).map((r) => r.destination)).toEqual([OTHER]);
    expect(ec2.copiesIn.has(DEST)).toBe(false);
    expect(hasFailures(report)).toBe(true);
  });

  it('makes no copies with only=clean, and held copies do not fail such a run', async () => {
    // Prepare
    const cleanEc2 = new InMemoryEc2(estate(), () => NOW);
    const heldEc2 = new InMemoryEc2(estate(), () => NOW).fail('listCopies', 'InternalError');

    // Act
    const clean = await runTarget(cleanEc2, configCopyingTo(DEST), options({ only: 'clean' }));
    const held = await runTarget(heldEc2, configCopyingTo(DEST), options({ only: 'clean' }));

    // Assess
    expect(clean.plan.summary.copy).toBe(3);
    expect(cleanEc2.count('copySnapshot')).toBe(0);
    expect(copyResults(clean.results)).toEqual([]);
    expect(clean.summary.copied).toBe(0);
    expect(held.plan.copiesHeld).toBeDefined();
    expect(hasFailures(held)).toBe(false);
  });
});
