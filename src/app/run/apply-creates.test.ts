import { describe, expect, it } from 'vitest';
import {
  createOf,
  deleteOf,
  instanceOf,
  inventoryOf,
  planOf,
  snapshotOf,
  volumeOf,
} from '../../../test/support/builders/actions.js';
import { fleet } from '../../../test/support/builders/fleet.js';
import { policy } from '../../../test/support/builders/policy.js';
import { fakeClock } from '../../../test/support/fakes/fake-clock.js';
import { InMemoryEc2 } from '../../../test/support/fakes/in-memory-ec2.js';
import { TAG } from '../../core/model.js';
import { planSnapshots } from '../../core/plan.js';
import type { CreateSnapshotsRequest } from '../kit/ports.js';
import { applyPlan } from './apply.js';
import { LOOKUP_DELAYS_MS, LOOKUP_WINDOW_MS, MAX_TRANSIENT_RETRIES } from './apply-creates.js';

const volumes = (count: number) => Array.from({ length: count }, (_, i) => volumeOf(`vol-${i + 1}`));

describe('applyPlan: creates with consistency instance', () => {
  it('makes one CreateSnapshots call per (policy, instance), excluding what is not in the plan', async () => {
    // Prepare
    const inventory = inventoryOf({
      instances: [instanceOf('i-a', '/dev/xvda'), instanceOf('i-b', '/dev/sda1')],
      volumes: [
        volumeOf('vol-root-a', 'i-a', '/dev/xvda'),
        volumeOf('vol-data-a1', 'i-a', '/dev/xvdf'),
        volumeOf('vol-data-a2', 'i-a', '/dev/xvdg'),
        volumeOf('vol-root-b', 'i-b', '/dev/sda1'),
        volumeOf('vol-data-b', 'i-b', '/dev/sdf'),
      ],
    });
    const ec2 = new InMemoryEc2(inventory);
    const member = (volume: string, instance: string, device: string, policy = 'daily') =>
      createOf(volume, { instance, device, policy, consistency: 'instance' });
    const plan = planOf([
      member('vol-data-a1', 'i-a', '/dev/xvdf'),
      member('vol-root-b', 'i-b', '/dev/sda1'),
      member('vol-data-b', 'i-b', '/dev/sdf'),
      member('vol-root-a', 'i-a', '/dev/xvda', 'weekly'),
    ]);

    // Act
    const { results } = await applyPlan(plan, ec2, fakeClock(), inventory);

    // Assess
    const requests = ec2.calls.map((c) => c.request as CreateSnapshotsRequest);
    expect(ec2.count('createSnapshots')).toBe(3);
    expect(requests.map((r) => [r.instanceId, r.excludeBootVolume, r.excludeDataVolumeIds])).toEqual([
      ['i-a', true, ['vol-data-a2']],
      ['i-b', false, []],
      ['i-a', false, ['vol-data-a1', 'vol-data-a2']],
    ]);
    expect(requests[0]?.tags).toEqual({
      [TAG.policy]: 'daily',
      [TAG.runId]: plan.runId,
      [TAG.instanceId]: 'i-a',
    });
    expect(results.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
    const made = ec2.listSnapshots();
    expect(results.map((r) => made.find((s) => s.id === r.snapshotId)?.volumeId)).toEqual([
      'vol-data-a1',
      'vol-root-b',
      'vol-data-b',
      'vol-root-a',
    ]);
  });
});

describe('applyPlan: create retries', () => {
  it('waits 15 s after SnapshotCreationPerVolumeRateExceeded and tries again', async () => {
    // Prepare
    const inventory = inventoryOf({ volumes: volumes(1) });
    const ec2 = new InMemoryEc2(inventory).fail('createSnapshot', 'SnapshotCreationPerVolumeRateExceeded');
    const time = fakeClock();

    // Act
    const { results } = await applyPlan(planOf([createOf('vol-1')]), ec2, time, inventory);

    // Assess
    expect(time.slept).toEqual([15_000]);
    expect(ec2.count('createSnapshot')).toBe(2);
    expect(results[0]?.status).toBe('done');
  });

  it('does not wait for the per-volume rate past the deadline', async () => {
    // Prepare
    const inventory = inventoryOf({ volumes: volumes(1) });
    const ec2 = new InMemoryEc2(inventory).fail('createSnapshot', 'SnapshotCreationPerVolumeRateExceeded');
    const time = fakeClock(0);

    // Act
    const outcome = await applyPlan(
      planOf([createOf('vol-1')]),
      ec2,
      { ...time, deadline: 10_000 },
      inventory,
    );

    // Assess
    expect(time.slept).toEqual([]);
    expect(outcome.results[0]?.status).toBe('deferred');
    expect(outcome.results[0]?.error?.code).toBe('Deadline');
    expect(outcome.deadlineReached).toBe(true);
  });

  it('defers the creates after ConcurrentSnapshotLimitExceeded, while deletes go on', async () => {
    // Prepare
    const inventory = inventoryOf({ volumes: volumes(3), snapshots: [snapshotOf('snap-old', 'vol-1')] });
    const ec2 = new InMemoryEc2(inventory).fail('createSnapshot', 'ConcurrentSnapshotLimitExceeded', {
      target: 'vol-2',
    });
    const plan = planOf([createOf('vol-1'), createOf('vol-2'), createOf('vol-3'), deleteOf('snap-old')]);

    // Act
    const { results } = await applyPlan(plan, ec2, { ...fakeClock(), concurrency: 1 }, inventory);

    // Assess
    expect(results.map((r) => r.status)).toEqual(['done', 'deferred', 'deferred', 'done']);
    expect(results[2]?.error?.code).toBe('ConcurrentSnapshotLimitExceeded');
    expect(ec2.count('createSnapshot')).toBe(2);
    expect(ec2.count('deleteSnapshot')).toBe(1);
  });

  it('does not duplicate a snapshot made server-side when the response was a 500', async () => {
    // Prepare
    const inventory = inventoryOf({ volumes: volumes(2) });
    const ec2 = new InMemoryEc2(inventory).fail('createSnapshot', 'InternalError', {
      target: 'vol-1',
      afterSuccess: true,
    });
    const time = fakeClock();

    // Act
    const { results } = await applyPlan(planOf([createOf('vol-1'), createOf('vol-2')]), ec2, time, inventory);

    // Assess
    expect(ec2.count('findRunSnapshots')).toBe(1);
    expect(ec2.count('createSnapshot')).toBe(2);
    expect(ec2.listSnapshots().filter((s) => s.volumeId === 'vol-1')).toHaveLength(1);
    expect(results.map((r) => r.status)).toEqual(['done', 'done']);
    expect(results[0]?.snapshotId).toBe(ec2.listSnapshots().find((s) => s.volumeId === 'vol-1')?.id);
    expect(time.slept).toEqual([1_000]);
  });

  it('retries a create that failed with a 500 before reaching EC2, after looking for a while first', async () => {
    // Prepare
    const inventory = inventoryOf({ volumes: volumes(1) });
    const ec2 = new InMemoryEc2(inventory).fail('createSnapshot', 'ECONNRESET', { times: 2 });
    const time = fakeClock();

    // Act
    const { results } = await applyPlan(planOf([createOf('vol-1')]), ec2, time, inventory);

    // Assess: each failure is followed by the whole lookup window, then one more create
    const lookups = Array(LOOKUP_DELAYS_MS.length).fill('findRunSnapshots');
    expect(ec2.calls.map((c) => c.operation)).toEqual([
      'createSnapshot',
      ...lookups,
      'createSnapshot',
      ...lookups,
      'createSnapshot',
    ]);
    expect(time.slept).toEqual([...LOOKUP_DELAYS_MS, ...LOOKUP_DELAYS_MS]);
    expect(results[0]?.status).toBe('done');
    expect(ec2.listSnapshots()).toHaveLength(1);
  });

  it('does not duplicate a snapshot whose listing lags its lost create by up to the lookup window', async () => {
    // Prepare: the snapshot was made, the answer lost, and DescribeSnapshots shows it 5 s later
    const inventory = inventoryOf({ volumes: volumes(1) });
    const time = fakeClock();
    const ec2 = new InMemoryEc2(inventory, time.clock).fail('createSnapshot', 'InternalError', {
      afterSuccess: true,
    });
    ec2.listingLagMs = 5_000;

    // Act
    const { results } = await applyPlan(planOf([createOf('vol-1')]), ec2, time, inventory);

    // Assess: seen at the third look (after 1 + 2 + 4 s), never made twice
    expect(ec2.listSnapshots()).toHaveLength(1);
    expect(ec2.count('createSnapshot')).toBe(1);
    expect(time.slept).toEqual([1_000, 2_000, 4_000]);
    expect(results[0]?.status).toBe('done');
    expect(LOOKUP_WINDOW_MS).toBe(30_000);
  });

  it('defers instead of creating again when the deadline cuts the lookup window short', async () => {
    // Prepare
    const inventory = inventoryOf({ volumes: volumes(1) });
    const time = fakeClock();
    const ec2 = new InMemoryEc2(inventory, time.clock).fail('createSnapshot', 'InternalError', {
      afterSuccess: true,
    });
    ec2.listingLagMs = 60_000;

    // Act
    const { results } = await applyPlan(
      planOf([createOf('vol-1')]),
      ec2,
      { ...time, deadline: time.clock() + 10_000 },
      inventory,
    );

    // Assess
    expect(ec2.listSnapshots()).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'deferred', error: { code: 'Deadline' } });
  });

  it('gives up after a few 5xx and reports the failure', async () => {
    // Prepare
    const inventory = inventoryOf({ volumes: volumes(1) });
    const ec2 = new InMemoryEc2(inventory).fail('createSnapshot', 'ServiceUnavailable', { times: 99 });

    // Act
    const { results } = await applyPlan(planOf([createOf('vol-1')]), ec2, fakeClock(), inventory);

    // Assess
    expect(ec2.count('createSnapshot')).toBe(MAX_TRANSIENT_RETRIES + 1);
    expect(results[0]).toMatchObject({ status: 'failed', error: { code: 'ServiceUnavailable' } });
  });

  it('shares one lookup per policy among many creates that failed together', async () => {
    // Prepare
    const inventory = inventoryOf({ volumes: volumes(10) });
    const ec2 = new InMemoryEc2(inventory).fail('createSnapshot', 'InternalError', {
      times: 10,
      afterSuccess: true,
    });
    const plan = planOf(inventory.volumes.map((v) => createOf(v.id)));

    // Act
    const { results } = await applyPlan(plan, ec2, { ...fakeClock(), concurrency: 10 }, inventory);

    // Assess
    expect(ec2.count('findRunSnapshots')).toBe(1);
    expect(ec2.count('createSnapshot')).toBe(10);
    expect(ec2.listSnapshots()).toHaveLength(10);
    expect(results.every((r) => r.status === 'done')).toBe(true);
  });

  it('retries only the members of an instance set that the lost response did not make', async () => {
    // Prepare
    const inventory = inventoryOf({
      instances: [instanceOf('i-a')],
      volumes: [volumeOf('vol-root', 'i-a', '/dev/xvda'), volumeOf('vol-data', 'i-a', '/dev/xvdf')],
    });
    const ec2 = new InMemoryEc2(inventory).fail('createSnapshots', 'TimeoutError', { afterSuccess: true });
    const plan = planOf([
      createOf('vol-root', { instance: 'i-a', device: '/dev/xvda', consistency: 'instance' }),
      createOf('vol-data', { instance: 'i-a', device: '/dev/xvdf', consistency: 'instance' }),
    ]);

    // Act
    const { results } = await applyPlan(plan, ec2, fakeClock(), inventory);

    // Assess
    expect(ec2.count('createSnapshots')).toBe(1);
    expect(ec2.listSnapshots()).toHaveLength(2);
    expect(results.map((r) => r.status)).toEqual(['done', 'done']);
  });

  it('fails the create when the lookup before a retry fails, rather than risk a duplicate', async () => {
    // Prepare
    const inventory = inventoryOf({ volumes: volumes(1) });
    const ec2 = new InMemoryEc2(inventory)
      .fail('createSnapshot', 'InternalError')
      .fail('findRunSnapshots', 'UnauthorizedOperation');

    // Act
    const { results } = await applyPlan(planOf([createOf('vol-1')]), ec2, fakeClock(), inventory);

    // Assess
    expect(ec2.count('createSnapshot')).toBe(1);
    expect(results[0]?.status).toBe('failed');
    expect(results[0]?.error?.message).toContain('UnauthorizedOperation');
  });

  it("gives each snapshot of an instance set its own volume's tags (CopyTagsFromSource)", async () => {
    // Prepare
    const estate = fleet()
      .instance('db-1', { tags: { Role: 'db' } })
      .volume({ id: 'vol-root', device: '/dev/xvda', tags: { Purpose: 'os' } })
      .volume({ id: 'vol-data', device: '/dev/xvdf', tags: { Purpose: 'pgdata' } })
      .build();
    const p = policy({
      id: 'db',
      select: { instanceNames: ['*'] },
      snapshot: { consistency: 'instance', copyTags: 'volume' },
    });
    const plan = planSnapshots(estate, [p], { now: 1_000_000, runId: 'r-1' });
    const ec2 = new InMemoryEc2(estate);

    // Act
    await applyPlan(plan, ec2, fakeClock(), estate);

    // Assess
    const purpose = Object.fromEntries(ec2.listSnapshots().map((s) => [s.volumeId, s.tags.Purpose]));
    expect(ec2.count('createSnapshots')).toBe(1);
    expect(purpose).toEqual({ 'vol-root': 'os', 'vol-data': 'pgdata' });
  });
});
