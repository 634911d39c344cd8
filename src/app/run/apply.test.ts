import { describe, expect, it } from 'vitest';
import {
  createOf,
  deleteOf,
  inventoryOf,
  planOf,
  snapshotOf,
  volumeOf,
} from '../../../test/support/builders/actions.js';
import { fakeClock } from '../../../test/support/fakes/fake-clock.js';
import { InMemoryEc2 } from '../../../test/support/fakes/in-memory-ec2.js';
import type { ApplyProgress } from './apply.js';
import { applyPlan } from './apply.js';

const fleet = () =>
  inventoryOf({
    volumes: [volumeOf('vol-1'), volumeOf('vol-2'), volumeOf('vol-3')],
    snapshots: [snapshotOf('snap-old1', 'vol-1'), snapshotOf('snap-old2', 'vol-2')],
  });

describe('applyPlan', () => {
  it('creates first, then deletes, one call each, with the action tags and description', async () => {
    // Prepare
    const inventory = fleet();
    const ec2 = new InMemoryEc2(inventory);
    const plan = planOf([
      deleteOf('snap-old1', 'vol-1'),
      createOf('vol-1'),
      createOf('vol-2'),
      deleteOf('snap-old2'),
    ]);

    // Act
    const { results, deadlineReached } = await applyPlan(plan, ec2, { ...fakeClock() }, inventory);

    // Assess
    expect(ec2.calls.map((c) => c.operation)).toEqual([
      'createSnapshot',
      'createSnapshot',
      'deleteSnapshot',
      'deleteSnapshot',
    ]);
    expect(ec2.calls[0]?.request).toEqual({
      volumeId: 'vol-1',
      description: 'daily vol-1',
      tags: createOf('vol-1').tags,
    });
    expect(results.map((r) => [r.action, r.status])).toEqual([
      ['create', 'done'],
      ['create', 'done'],
      ['delete', 'done'],
      ['delete', 'done'],
    ]);
    expect(results[0]?.snapshotId).toMatch(/^snap-/);
    expect(results[2]?.snapshotId).toBe('snap-old1');
    expect(ec2.listSnapshots().map((s) => s.volumeId)).toEqual(['vol-1', 'vol-2']);
    expect(deadlineReached).toBe(false);
  });

  it('counts a delete of a snapshot already gone as done, and skips one in use', async () => {
    // Prepare
    const inventory = fleet();
    const ec2 = new InMemoryEc2(inventory);
    ec2.inUse.add('snap-old2');
    const plan = planOf([deleteOf('snap-gone'), deleteOf('snap-old2')]);

    // Act
    const { results } = await applyPlan(plan, ec2, fakeClock(), inventory);

    // Assess
    expect(results.map((r) => r.status)).toEqual(['done', 'skipped']);
    expect(results[0]?.error).toBeUndefined();
    expect(results[1]?.error?.code).toBe('InvalidSnapshot.InUse');
  });

  it('records one failure without stopping the other actions', async () => {
    // Prepare
    const inventory = fleet();
    const ec2 = new InMemoryEc2(inventory)
      .fail('createSnapshot', 'UnauthorizedOperation', { target: 'vol-2' })
      .fail('deleteSnapshot', 'IncorrectState', { target: 'snap-old1' });
    const plan = planOf([
      createOf('vol-1'),
      createOf('vol-2'),
      createOf('vol-3'),
      deleteOf('snap-old1'),
      deleteOf('snap-old2'),
    ]);

    // Act
    const { results } = await applyPlan(plan, ec2, fakeClock(), inventory);

    // Assess
    expect(results.map((r) => r.status)).toEqual(['done', 'failed', 'done', 'failed', 'done']);
    expect(results[1]?.error?.code).toBe('UnauthorizedOperation');
    expect(results[3]?.error?.code).toBe('IncorrectState');
  });

  it('defers the actions not started once the deadline has come', async () => {
    // Prepare
    const inventory = fleet();
    const ec2 = new InMemoryEc2(inventory);
    let now = 0;
    const clock = () => now;
    // Each call moves the clock on by one minute; the deadline falls after the second call.
    const original = ec2.createSnapshot.bind(ec2);
    ec2.createSnapshot = async (request) => {
      now += 60_000;
      return original(request);
    };
    const plan = planOf([createOf('vol-1'), createOf('vol-2'), createOf('vol-3'), deleteOf('snap-old1')]);

    // Act
    const { results, deadlineReached } = await applyPlan(
      plan,
      ec2,
      { clock, sleep: async () => {}, concurrency: 1, deadline: 120_000 },
      inventory,
    );

    // Assess: the delete ran beside the creates, before the deadline
    expect(results.map((r) => r.status)).toEqual(['done', 'done', 'deferred', 'done']);
    expect(results[2]?.error?.code).toBe('Deadline');
    expect(ec2.count('deleteSnapshot')).toBe(1);
    expect(deadlineReached).toBe(true);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    // Prepare
    const volumes = Array.from({ length: 40 }, (_, i) => volumeOf(`vol-${i}`));
    const inventory = inventoryOf({ volumes });
    const ec2 = new InMemoryEc2(inventory);
    const plan = planOf(volumes.map((v) => createOf(v.id)));

    // Act
    const { results } = await applyPlan(plan, ec2, { ...fakeClock(), concurrency: 5 }, inventory);

    // Assess
    expect(results.every((r) => r.status === 'done')).toBe(true);
    expect(ec2.maxInFlight).toBe(5);
  });

  it('makes no call and returns no result on a dry run', async () => {
    // Prepare
    const inventory = fleet();
    const ec2 = new InMemoryEc2(inventory);
    const plan = planOf([createOf('vol-1'), deleteOf('snap-old1')]);

    // Act
    const outcome = await applyPlan(plan, ec2, { ...fakeClock(), dryRun: true }, inventory);

    // Assess
    expect(outcome).toEqual({ results: [], deadlineReached: false });
    expect(ec2.calls).toEqual([]);
  });

  it('applies only creates with only=snapshot and only deletes with only=clean', async () => {
    // Prepare
    const inventory = fleet();
    const plan = planOf([createOf('vol-1'), deleteOf('snap-old1')]);
    const snapshotEc2 = new InMemoryEc2(inventory);
    const cleanEc2 = new InMemoryEc2(inventory);

    // Act
    const snapshot = await applyPlan(plan, snapshotEc2, { ...fakeClock(), only: 'snapshot' }, inventory);
    const clean = await applyPlan(plan, cleanEc2, { ...fakeClock(), only: 'clean' }, inventory);

    // Assess
    expect(snapshot.results.map((r) => r.action)).toEqual(['create']);
    expect(snapshotEc2.calls.map((c) => c.operation)).toEqual(['createSnapshot']);
    expect(clean.results.map((r) => r.action)).toEqual(['delete']);
    expect(cleanEc2.calls.map((c) => c.operation)).toEqual(['deleteSnapshot']);
  });

  it('asks for a delete a second time when it failed in a way that may pass, and no more', async () => {
    // Prepare: the first round of one delete fails (throttled to death), the second goes through;
    // another delete fails transiently in both rounds
    const inventory = fleet();
    const ec2 = new InMemoryEc2(inventory)
      .fail('deleteSnapshot', 'RequestLimitExceeded', { target: 'snap-old1' })
      .fail('deleteSnapshot', 'InternalError', { target: 'snap-old2', times: 5 });
    const plan = planOf([deleteOf('snap-old1'), deleteOf('snap-old2')]);

    // Act
    const { results } = await applyPlan(plan, ec2, fakeClock(), inventory);

    // Assess
    expect(results.map((r) => [r.snapshotId, r.status])).toEqual([
      ['snap-old1', 'done'],
      ['snap-old2', 'failed'],
    ]);
    expect(ec2.calls.filter((c) => c.operation === 'deleteSnapshot')).toHaveLength(4);
  });

  it('asks for a delete once when its failure cannot pass', async () => {
    // Prepare
    const inventory = fleet();
    const ec2 = new InMemoryEc2(inventory).fail('deleteSnapshot', 'UnauthorizedOperation', { times: 5 });

    // Act
    const { results } = await applyPlan(planOf([deleteOf('snap-old1')]), ec2, fakeClock(), inventory);

    // Assess
    expect(results.map((r) => r.status)).toEqual(['failed']);
    expect(ec2.calls.filter((c) => c.operation === 'deleteSnapshot')).toHaveLength(1);
  });

  it('reports progress after each action', async () => {
    // Prepare
    const inventory = fleet();
    const ec2 = new InMemoryEc2(inventory).fail('deleteSnapshot', 'IncorrectState');
    const plan = planOf([createOf('vol-1'), deleteOf('snap-old1')]);
    const events: ApplyProgress[] = [];

    // Act
    await applyPlan(plan, ec2, { ...fakeClock(), onProgress: (e) => events.push(e) }, inventory);

    // Assess
    expect(events.map(({ done, total, failed }) => ({ done, total, failed }))).toEqual([
      { done: 1, total: 2, failed: 0 },
      { done: 2, total: 2, failed: 1 },
    ]);
    expect(events[0]?.account).toBe(inventory.account);
  });
});
