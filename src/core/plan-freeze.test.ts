/**
 * The plan of an application-consistent policy: one create per volume, grouped per instance as
 * `consistency: instance` is, each carrying its scripts (the freeze → snapshot → thaw workflow)
 * and the `ebs-snapper:consistency` tag it intends (the apply step says `crash` when the pre
 * script does not succeed) — within the 50 tags, with room kept for it.
 */
import { describe, expect, it } from 'vitest';
import { fleet } from '../../test/support/builders/fleet.js';
import { freezePolicy } from '../../test/support/builders/freeze-policy.js';
import { policy } from '../../test/support/builders/policy.js';
import type { CreateAction } from './actions.js';
import { TAG } from './model.js';
import { planSnapshots } from './plan.js';

const options = { now: Date.parse('2026-11-29T03:00:00Z'), runId: 'run-1' };
const creates = (actions: readonly { action: string }[]) =>
  actions.filter((a): a is CreateAction => a.action === 'create');

describe('planning consistency: application', () => {
  it('plans a create per volume carrying the scripts and the intended consistency tag', () => {
    // Prepare
    const inventory = fleet().instance('db-1').volume().volume({ device: '/dev/sdf' }).build();
    const db = freezePolicy('db', { instanceNames: ['db-*'] }, { pre: 'Flush', retries: 2 });

    // Act
    const plan = planSnapshots(inventory, [db], options);

    // Assess
    expect(creates(plan.actions).map((c) => [c.volumeId, c.consistency, c.tags[TAG.consistency]])).toEqual([
      ['vol-0001', 'application', 'application'],
      ['vol-0002', 'application', 'application'],
    ]);
    expect(creates(plan.actions)[0]?.freeze).toEqual({
      pre: 'Flush',
      post: 'fsfreeze',
      timeoutMs: 30_000,
      retries: 2,
      onFailure: 'crash-consistent',
    });
  });

  it('tags no other consistency, and carries no freeze, on the other policies’ creates', () => {
    // Prepare
    const inventory = fleet().instance('web-1').volume().build();
    const web = policy({
      id: 'web',
      select: { instanceNames: ['web-*'] },
      every: '1d',
      snapshot: { consistency: 'instance' },
    });

    // Act
    const [create] = creates(planSnapshots(inventory, [web], options).actions);

    // Assess
    expect(create?.freeze).toBeUndefined();
    expect(create?.tags[TAG.consistency]).toBeUndefined();
  });

  it('keeps the consistency tag when the instance’s tags overflow the 50', () => {
    // Prepare: 60 instance tags to copy
    const tags = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`k${String(i).padStart(2, '0')}`, 'v']),
    );
    const inventory = fleet().instance('db-1', { tags }).volume().build();
    const db = freezePolicy('db', { instanceNames: ['db-*'] });
    const copying = { ...db, snapshot: { ...db.snapshot, copyTags: 'instance+volume' as const } };

    // Act
    const [create] = creates(planSnapshots(inventory, [copying], options).actions);

    // Assess
    expect(Object.keys(create?.tags ?? {})).toHaveLength(50);
    expect(create?.tags[TAG.consistency]).toBe('application');
    expect(create?.droppedTags.length).toBeGreaterThan(0);
  });
});
