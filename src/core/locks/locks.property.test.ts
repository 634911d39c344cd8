import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY, policy } from '../../../test/support/builders/policy.js';
import type { Plan } from '../actions.js';
import { type Inventory, type Snapshot, snapshotId, volumeId } from '../model.js';
import { planSnapshots } from '../plan.js';
import type { LockRule, Policy } from '../policy/types.js';
import { lockEndOf } from './lock-dates.js';

const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) };
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const START = Date.parse('2025-01-01T00:00:00Z');

interface World {
  readonly policy: Policy;
  /** Per run: whether EC2 refuses every LockSnapshot of that run. */
  readonly refusals: readonly boolean[];
}

const worldArb: fc.Arbitrary<World> = fc
  .record({
    maxAgeDays: fc.integer({ min: 1, max: 20 }),
    minimum: fc.integer({ min: 0, max: 3 }),
    lockDays: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    mode: fc.constantFrom<LockRule['mode']>('governance', 'compliance'),
    everyDays: fc.integer({ min: 1, max: 3 }),
    refusals: fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
  })
  .map(({ maxAgeDays, minimum, lockDays, mode, everyDays, refusals }) => {
    const base = policy({
      id: 'db',
      select: { volumes: { 'tag:Backup': 'db' } },
      every: everyDays * DAY,
      retention: { maxAge: maxAgeDays * DAY, minimum },
    });
    const lock: LockRule = { mode, ...(lockDays === undefined ? {} : { durationMs: lockDays * DAY }) };
    return { policy: { ...base, snapshot: { ...base.snapshot, lock } }, refusals };
  });

/**
 * Daily runs of one policy over 60 days against an EC2 that locks as asked (LockSnapshot of a new
 * snapshot and the plan's `lock.missing`), except on the runs it refuses every lock; locks end
 * by the clock. Calls `check` with each plan and the lock end of every snapshot locked so far.
 */
function simulate(
  world: World,
  check: (
    plan: Plan,
    lockEnds: ReadonlyMap<string, number>,
    now: number,
    snapshots: readonly Snapshot[],
  ) => void,
) {
  const volume = { id: volumeId('vol-a'), tags: { Backup: 'db' }, type: 'gp3', sizeGiB: 8, attachments: [] };
  let snapshots: Snapshot[] = [];
  const lockEnds = new Map<string, number>();
  let serial = 0;
  world.refusals.forEach((refused, day) => {
    const now = START + day * DAY;
    const inventory: Inventory = {
      account: ACCOUNT,
      region: REGION,
      instances: [],
      volumes: [volume],
      snapshots: snapshots.map((s) => ({ ...s, locked: (lockEnds.get(s.id) ?? 0) > now })),
      images: [],
    };
    const plan = planSnapshots(inventory, [world.policy], { now, runId: `run-${day}` });
    check(plan, lockEnds, now, snapshots);
    const deleted = new Set(plan.actions.flatMap((a) => (a.action === 'delete' ? [a.snapshotId] : [])));
    snapshots = snapshots.filter((s) => !deleted.has(s.id));
    for (const action of plan.actions) {
      if (action.action === 'create') {
        const id = snapshotId(`snap-${++serial}`);
        snapshots.push({
          id,
          volumeId: action.volumeId,
          ownerId: ACCOUNT,
          state: 'completed',
          startTime: now,
          tags: action.tags,
        });
        if (!refused && action.lock) lockEnds.set(id, Date.parse(action.lock.until));
      }
      if (action.action === 'lock' && !refused)
        lockEnds.set(action.snapshotId, Date.parse(action.lock.until));
    }
  });
}

describe('snapshot locks: properties', () => {
  it('a plan never deletes a snapshot before its lock ends', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        simulate(world, (plan, lockEnds, now) => {
          for (const a of plan.actions)
            if (a.action === 'delete') expect(lockEnds.get(a.snapshotId) ?? 0).toBeLessThanOrEqual(now);
        });
      }),
      RUNS,
    );
  });

  it('locks every snapshot the plan keeps until the end its rule gives it, by a later run when one was refused', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const { lock } = world.policy.snapshot;
        simulate(world, (plan, lockEnds, now, snapshots) => {
          const locking = new Map(
            plan.actions.flatMap((a) => (a.action === 'lock' ? [[a.snapshotId, a.lock] as const] : [])),
          );
          for (const a of plan.actions) {
            if (a.action !== 'keep' || a.policy !== 'db' || (lockEnds.get(a.snapshotId) ?? 0) > now) continue;
            const snapshot = snapshots.find((s) => s.id === a.snapshotId)!;
            const end = lockEndOf(lock!, world.policy.retention, snapshot)!;
            // Unlocked and kept: this plan locks it until its end — unless that end is within EC2's day.
            if (end - now >= DAY) expect(locking.get(a.snapshotId)?.until).toBe(new Date(end).toISOString());
            else expect(locking.has(a.snapshotId)).toBe(false);
          }
        });
      }),
      RUNS,
    );
  });
});
