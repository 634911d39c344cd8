import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioArb } from '../../../test/support/builders/arbitraries.js';
import { planSnapshots } from '../plan.js';
import { reportCoverage } from './coverage.js';

describe('reportCoverage properties', () => {
  it('agrees with the planner: a row per planned series, due now exactly where the plan creates', () => {
    fc.assert(
      fc.property(scenarioArb, ({ inventory, policies, now }) => {
        // Prepare
        const plan = planSnapshots(inventory, policies, { now, runId: 'r' });

        // Act
        const report = reportCoverage(inventory, policies, { now });

        // Assess
        const planned = plan.actions
          .filter((a) => a.action === 'create' || a.action === 'skip')
          .map((a) => `${a.policy} ${a.volumeId} ${a.action === 'create'}`)
          .sort();
        const rows = report.series.map((s) => `${s.policy} ${s.volumeId} ${s.nextDue === now}`).sort();
        expect(rows).toEqual(planned);
        const covered = new Set(report.series.map((s) => s.volumeId));
        const unprotected = report.unprotected.map((u) => u.volumeId);
        expect(unprotected.every((id) => !covered.has(id))).toBe(true);
        expect(covered.size + unprotected.length).toBe(inventory.volumes.length);
      }),
      { numRuns: 300 },
    );
  });

  it('counts every snapshot of the account once: in a policy or as unmanaged', () => {
    fc.assert(
      fc.property(scenarioArb, ({ inventory, policies, now }) => {
        // Act
        const report = reportCoverage(inventory, policies, { now });

        // Assess
        const own = inventory.snapshots.filter((s) => s.ownerId === inventory.account).length;
        const inPolicies = report.policies.reduce((n, p) => n + p.sizes.count, 0);
        expect(inPolicies + report.unmanaged.count).toBe(own);
      }),
      { numRuns: 300 },
    );
  });
});
