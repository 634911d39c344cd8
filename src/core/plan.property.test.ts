import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPlanInMemory } from '../../test/support/builders/apply-in-memory.js';
import { type Scenario, scenarioArb, shuffled } from '../../test/support/builders/arbitraries.js';
import type { Plan, PlanAction } from './actions.js';
import { ARCHIVE_MINIMUM_MS, type Inventory, isManagedBy, TAG } from './model.js';
import { planSnapshots } from './plan.js';
import type { Policy } from './policy/types.js';

/**
 * 2,500 scenarios per property, 12,500 in all (PROPERTY_RUNS raises it when hunting). The seed is
 * random each run and printed with any counterexample, so a failure can be replayed.
 */
const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 2500) };

const plan = (s: Scenario, inventory: Inventory = s.inventory): Plan =>
  planSnapshots(inventory, s.policies, {
    now: s.now,
    runId: 'run-1',
    ...(s.guard ? { guard: s.guard } : {}),
  });

describe('planSnapshots properties', () => {
  it('never deletes a snapshot that is not ours, is pending, is locked, backs an AMI or has not had its 90 days in the archive', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        // Prepare
        const { inventory, policies } = scenario;
        const configured = new Set(policies.map((p) => p.id));
        const amiBacked = new Set(inventory.images.flatMap((i) => i.snapshotIds));
        const byId = new Map(inventory.snapshots.map((s) => [s.id, s]));

        // Act
        const deletes = plan(scenario).actions.filter((a) => a.action === 'delete');

        // Assess
        for (const d of deletes) {
          const s = byId.get(d.snapshotId)!;
          expect(s.ownerId).toBe(inventory.account);
          expect(configured.has(s.tags[TAG.policy] ?? '')).toBe(true);
          expect(s.state).not.toBe('pending');
          expect(s.locked).not.toBe(true);
          expect(amiBacked.has(s.id)).toBe(false);
          if (s.storageTier === 'archive')
            expect(scenario.now - (s.archivedAt ?? scenario.now)).toBeGreaterThanOrEqual(ARCHIVE_MINIMUM_MS);
        }
      }),
      RUNS,
    );
  });

  it('never deletes a snapshot that started after now (a clock behind, or --now in the past)', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        // Prepare
        const startOf = new Map(scenario.inventory.snapshots.map((s) => [s.id as string, s.startTime]));

        // Act
        const deletes = plan(scenario).actions.filter((a) => a.action === 'delete');

        // Assess
        for (const d of deletes) expect(startOf.get(d.snapshotId)).toBeLessThanOrEqual(scenario.now);
      }),
      RUNS,
    );
  });

  it('never leaves fewer than `minimum` completed snapshots in a series (of those there were)', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        // Prepare
        const { inventory, policies } = scenario;
        const volumes = new Set<string>(inventory.volumes.map((v) => v.id));

        // Act
        const deleted = new Set<string>(
          plan(scenario).actions.flatMap((a) => (a.action === 'delete' ? [a.snapshotId] : [])),
        );

        // Assess: orphans with expire-after are the one documented exception
        for (const p of policies) {
          for (const [volume, completed] of completedBySeries(inventory, p)) {
            if (!volumes.has(volume) && p.retention.orphaned.kind === 'expire-after') continue;
            const left = completed.filter((id) => !deleted.has(id)).length;
            expect(left).toBeGreaterThanOrEqual(Math.min(p.retention.minimum, completed.length));
          }
        }
      }),
      RUNS,
    );
  });

  it('gives the same plan for the same input, in whatever order the inventory lists things', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer(), (scenario, seed) => {
        // Prepare
        const { inventory } = scenario;
        const reordered: Inventory = {
          ...inventory,
          instances: shuffled(inventory.instances, seed),
          volumes: shuffled(inventory.volumes, seed + 1),
          snapshots: shuffled(inventory.snapshots, seed + 2),
          images: shuffled(inventory.images, seed + 3),
        };

        // Act
        const first = plan(scenario);
        const again = plan(scenario);
        const fromReordered = plan(scenario, reordered);

        // Assess
        expect(again).toEqual(first);
        expect(fromReordered).toEqual(first);
      }),
      RUNS,
    );
  });

  it('has nothing left to do after applying the plan and planning again at the same moment', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        // Prepare
        const after = applyPlanInMemory(scenario.inventory, plan(scenario));

        // Act
        const second = plan(scenario, after);

        // Assess
        expect(second.summary.create).toBe(0);
        expect(second.summary.delete).toBe(0);
      }),
      RUNS,
    );
  });
});

describe('planning from the listing collection makes (only the snapshots of configured policies)', () => {
  it('gives the plan of the whole inventory minus the keeps of the snapshots left out, which are all protected.unmanaged or protected.foreign', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        // Prepare
        const { inventory, policies } = scenario;
        const configured = new Set(policies.map((p) => p.id));
        const listed = inventory.snapshots.filter((s) => isManagedBy(s, configured));
        const leftOut = new Set<string>(
          inventory.snapshots.filter((s) => !listed.includes(s)).map((s) => s.id),
        );
        const isLeftOut = (a: PlanAction) => 'snapshotId' in a && leftOut.has(a.snapshotId);

        // Act
        const whole = plan(scenario);
        const filtered = plan(scenario, { ...inventory, snapshots: listed });

        // Assess
        expect(filtered.actions).toEqual(whole.actions.filter((a) => !isLeftOut(a)));
        for (const a of whole.actions.filter(isLeftOut)) {
          expect(a.action).toBe('keep');
          expect(['protected.unmanaged', 'protected.foreign']).toContain(a.reason.code);
        }
        expect(filtered.summary).toEqual({ ...whole.summary, keep: whole.summary.keep - leftOut.size });
        expect(filtered.guard).toEqual(whole.guard);
        expect(filtered.warnings).toEqual(whole.warnings.filter((w) => w.code !== 'plan.unknown-policy'));
      }),
      RUNS,
    );
  });
});

/** Completed snapshot ids of each of a policy's series (by source volume), ours only. */
function completedBySeries(inventory: Inventory, p: Policy): Map<string, string[]> {
  const bySeries = new Map<string, string[]>();
  for (const s of inventory.snapshots) {
    if (s.ownerId !== inventory.account || s.tags[TAG.policy] !== p.id || s.state !== 'completed') continue;
    const volume = s.tags[TAG.volumeId] ?? s.volumeId ?? '';
    bySeries.set(volume, [...(bySeries.get(volume) ?? []), s.id]);
  }
  return bySeries;
}
