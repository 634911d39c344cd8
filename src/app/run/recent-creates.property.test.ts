import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPlanInMemory } from '../../../test/support/builders/apply-in-memory.js';
import { type Scenario, scenarioArb, shuffled } from '../../../test/support/builders/arbitraries.js';
import { entryOf, lagging, recentCreate, recentId } from '../../../test/support/builders/recent-creates.js';
import type { Plan } from '../../core/actions.js';
import { type Inventory, TAG } from '../../core/model.js';
import { planSnapshots } from '../../core/plan.js';
import { type RecentCreate, recallRecentCreates } from './recent-creates.js';

/** As plan.property.test.ts: many small scenarios, the seed printed with any counterexample. */
const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 500) };

const plan = (s: Scenario, inventory: Inventory, runId = 'run-1'): Plan =>
  planSnapshots(inventory, s.policies, { now: s.now, runId, ...(s.guard ? { guard: s.guard } : {}) });

const recall = (s: Scenario, listing: Inventory, journal: readonly RecentCreate[]): Inventory =>
  recallRecentCreates(listing, journal, { now: s.now, policyIds: new Set(s.policies.map((p) => p.id)) })
    .inventory;

/**
 * Journal entries a scenario may hold: made-up ones (some of a policy no longer configured, some
 * older than the bound, some started after `now`, the same id twice) and ones the listing shows.
 */
const journalArb = (s: Scenario): fc.Arbitrary<RecentCreate[]> =>
  fc.array(
    fc.oneof(
      fc
        .record({
          n: fc.integer({ min: 1, max: 30 }),
          policy: fc.constantFrom('p0', 'p1', 'p2', 'retired'),
          volume: fc.integer({ min: 0, max: 5 }),
          minutesAgo: fc.integer({ min: -30, max: 120 }),
        })
        .map((r) =>
          recentCreate({
            snapshotId: recentId(r.n),
            policy: r.policy,
            volumeId: `vol-${r.volume}`,
            startedAt: s.now - r.minutesAgo * 60_000,
          }),
        ),
      ...(s.inventory.snapshots.length === 0
        ? []
        : [
            fc
              .constantFrom(...s.inventory.snapshots)
              .map((snapshot) => entryOf(snapshot, s.inventory.region)),
          ]),
    ),
    { maxLength: 8 },
  );

const withJournal = scenarioArb.chain((s) => journalArb(s).map((journal) => ({ s, journal })));

describe('recallRecentCreates properties', () => {
  it('never deletes a snapshot the journal recalls, and never leaves fewer than `minimum` completed ones', () => {
    fc.assert(
      fc.property(withJournal, ({ s, journal }) => {
        // Prepare
        const listed = new Set<string>(s.inventory.snapshots.map((x) => x.id));
        const recalledIds = new Set<string>(
          journal.filter((e) => !listed.has(e.snapshotId)).map((e) => e.snapshotId),
        );

        // Act
        const deleted = new Set<string>(
          plan(s, recall(s, s.inventory, journal)).actions.flatMap((a) =>
            a.action === 'delete' ? [a.snapshotId] : [],
          ),
        );

        // Assess: the minimum counts listed completed snapshots only (orphans with expire-after excepted)
        for (const id of deleted) expect(recalledIds.has(id)).toBe(false);
        const volumes = new Set<string>(s.inventory.volumes.map((v) => v.id));
        for (const p of s.policies) {
          for (const [volume, completed] of completedBySeries(s.inventory, p.id)) {
            if (!volumes.has(volume) && p.retention.orphaned.kind === 'expire-after') continue;
            const left = completed.filter((id) => !deleted.has(id)).length;
            expect(left).toBeGreaterThanOrEqual(Math.min(p.retention.minimum, completed.length));
          }
        }
      }),
      RUNS,
    );
  });

  it('gives the same plan for the same input, in whatever order (and however often) the journal lists entries', () => {
    fc.assert(
      fc.property(withJournal, fc.integer(), ({ s, journal }, seed) => {
        // Prepare
        const reordered = shuffled([...journal, ...journal.slice(0, 2)], seed);

        // Act
        const first = plan(s, recall(s, s.inventory, journal));
        const again = plan(s, recall(s, s.inventory, journal));
        const fromReordered = plan(s, recall(s, s.inventory, reordered));

        // Assess
        expect(again).toEqual(first);
        expect(fromReordered).toEqual(first);
      }),
      RUNS,
    );
  });

  it('has nothing left to do after applying, when the listing shows none of the new snapshots but the journal has them', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        // Prepare
        const after = applyPlanInMemory(s.inventory, plan(s, s.inventory));
        const { listing, journal } = lagging(s.inventory, after);

        // Act
        const second = plan(s, recall(s, listing, journal), 'run-2');
        const caughtUp = plan(s, after, 'run-2');

        // Assess: the same plan as once the listing shows them
        expect(second.summary.create).toBe(0);
        expect(second.summary.delete).toBe(0);
        expect(second.actions).toEqual(caughtUp.actions);
      }),
      RUNS,
    );
  });
});

/** Completed snapshot ids of each of a policy's series (by source volume), ours only. */
function completedBySeries(inventory: Inventory, policy: string): Map<string, string[]> {
  const bySeries = new Map<string, string[]>();
  for (const x of inventory.snapshots) {
    if (x.ownerId !== inventory.account || x.tags[TAG.policy] !== policy || x.state !== 'completed') continue;
    const volume = x.tags[TAG.volumeId] ?? x.volumeId ?? '';
    bySeries.set(volume, [...(bySeries.get(volume) ?? []), x.id]);
  }
  return bySeries;
}
