/**
 * Copies as a property over a simulated year of runs: for random schedules, source and copy
 * retentions (`minimum: 0` included), run cadences and pending times, planning again after
 * applying each plan never copies the same source twice, and never copies a snapshot the same
 * plan deletes. The source region and the destination are planned from the same moment's
 * inventories and applied as a perfect apply would, as the run of each would.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fleet } from '../../test/support/builders/fleet.js';
import { DAY, HOUR, policy } from '../../test/support/builders/policy.js';
import type { CopyAction, CreateAction, Plan } from './actions.js';
import { copiesOfCreated } from './copy-plan.js';
import { type SnapshotId, snapshotId, TAG, type Tags } from './model.js';
import { planSnapshots } from './plan.js';
import type { Policy, Retention } from './policy/types.js';

const START = Date.parse('2025-01-01T03:00:00Z');
const DEST = 'us-east-1';
const select = { instances: { 'tag:Role': 'web' } };

/** A retention that keeps something (as the config requires): minimum 0 only with max_age or a tier. */
const retentionArb = fc
  .record({
    minimum: fc.constantFrom(0, 0, 1, 2),
    maxAge: fc.option(fc.constantFrom(1, 3, 7, 30, 90), { nil: undefined }),
    keepDaily: fc.constantFrom(0, 0, 0, 3),
    keepWeekly: fc.constantFrom(0, 0, 0, 2),
  })
  .filter((r) => r.minimum > 0 || r.maxAge !== undefined || r.keepDaily + r.keepWeekly > 0)
  .map(
    (r): Retention => ({
      ...policy({ id: 'x', select }).retention,
      minimum: r.minimum,
      keepDaily: r.keepDaily,
      keepWeekly: r.keepWeekly,
      ...(r.maxAge === undefined ? {} : { maxAgeMs: r.maxAge * DAY }),
    }),
  );

const yearArb = fc.record({
  every: fc.constantFrom('12h', '1d', '3d', '7d', '30d', '60d'),
  source: retentionArb,
  target: retentionArb,
  runEvery: fc.constantFrom(6 * HOUR, DAY, 2 * DAY, 5 * DAY),
  pendingFor: fc.constantFrom(0, HOUR, 30 * HOUR),
});

interface Held {
  readonly id: SnapshotId;
  readonly start: number;
  readonly completes: number;
  readonly tags: Tags;
}

const runIdOf = (t: number) =>
  `${new Date(t)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')}-000000`;

describe('copies over a simulated year', () => {
  it('never copies the same source twice, and never copies what the same plan deletes', () => {
    fc.assert(
      fc.property(yearArb, ({ every, source, target, runEvery, pendingFor }) => {
        // Prepare
        const web: Policy = {
          ...policy({ id: 'web', select, every }),
          retention: source,
          copyTo: [{ region: DEST, retention: target }],
        };
        let snapshots: Held[] = [];
        let copies: Held[] = [];
        const copiedTimes = new Map<string, number>();
        let next = 0;
        const add = (t: number, tags: Tags): Held => ({
          id: snapshotId(`snap-${++next}`),
          start: t,
          completes: t + pendingFor,
          tags,
        });
        const state = (h: Held, t: number) =>
          t >= h.completes ? ('completed' as const) : ('pending' as const);

        // Act: a run every `runEvery` for a year
        for (let t = START; t < START + 365 * DAY; t += runEvery) {
          const options = { now: t, runId: runIdOf(t) };
          const here = fleet()
            .instance('web-1', { tags: { Role: 'web' } })
            .volume({ id: 'vol-a' });
          for (const s of snapshots)
            here.snapshot({
              id: s.id,
              startTime: s.start,
              state: state(s, t),
              tags: s.tags,
              volumeId: 'vol-a',
            });
          const inventory = {
            ...here.build(),
            copyDestinations: [
              {
                region: DEST,
                copied: copies.map((c) => c.tags[TAG.sourceSnapshotId]!),
                inFlight: copies.filter((c) => state(c, t) === 'pending').length,
              },
            ],
          };
          const there = fleet({ region: DEST });
          for (const c of copies)
            there.snapshot({
              id: c.id,
              startTime: c.start,
              state: state(c, t),
              tags: c.tags,
              volumeId: 'vol-ffffffff',
            });
          const plan = planSnapshots(inventory, [web], options);
          const destinationPlan = planSnapshots(there.build(), [web], { ...options, copiesOnly: true });

          const deleted = deletesOf(plan);
          const made = plan.actions
            .filter((a): a is CreateAction => a.action === 'create')
            .map((a) => ({
              action: a,
              held: add(t, a.tags),
            }));
          const completedAtOnce = made.filter((m) => m.held.completes <= t);
          const planned = plan.actions.filter((a): a is CopyAction => a.action === 'copy');
          const more = copiesOfCreated(
            inventory,
            plan.actions,
            completedAtOnce.map((m) => ({ action: m.action, snapshotId: m.held.id })),
            options.runId,
          );
          for (const copy of [...planned, ...more]) {
            expect(deleted.has(copy.snapshotId)).toBe(false);
            copiedTimes.set(copy.snapshotId, (copiedTimes.get(copy.snapshotId) ?? 0) + 1);
            copies.push(add(t, copy.tags));
          }
          snapshots = [...snapshots.filter((s) => !deleted.has(s.id)), ...made.map((m) => m.held)];
          const copiesDeleted = deletesOf(destinationPlan);
          copies = copies.filter((c) => !copiesDeleted.has(c.id));
        }

        // Assess
        const twice = [...copiedTimes].filter(([, n]) => n > 1);
        expect(twice).toEqual([]);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 100) },
    );
  });
});

const deletesOf = (plan: Plan): Set<string> =>
  new Set(plan.actions.flatMap((a) => (a.action === 'delete' ? [a.snapshotId] : [])));
