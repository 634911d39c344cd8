/**
 * Forecast invariants, in words: the steady state is what the planner keeps of a series
 * snapshotted at every run (plus the snapshot that run takes); no selected series ever has fewer
 * than `minimum` once it had the runs to make them; a higher change rate never costs less; and
 * planning classes of alike series, and no longer planning settled ones, changes no count.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Scenario, scenarioArb } from '../../../test/support/builders/arbitraries.js';
import { fleet } from '../../../test/support/builders/fleet.js';
import { DAY, policy } from '../../../test/support/builders/policy.js';
import { type Inventory, type Snapshot, snapshotId, TAG } from '../model.js';
import { planSnapshots } from '../plan.js';
import type { Policy } from '../policy/types.js';
import { forecastPolicies, runTimes } from './forecast.js';

const NOW = Date.parse('2026-03-20T09:30:00Z');

const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    schedule: fc.oneof(
      fc.record({ every: fc.constantFrom('6h', '12h', '1d', '2d', '1w') }),
      fc.record({
        cron: fc.constantFrom('0 3 * * *', '0 */6 * * *', '30 1 * * 1'),
        timezone: fc.constantFrom('UTC', 'Europe/Berlin'),
      }),
    ),
    minimum: fc.integer({ min: 0, max: 5 }),
    maxAgeDays: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
    keepDaily: fc.integer({ min: 0, max: 4 }),
    keepWeekly: fc.integer({ min: 0, max: 3 }),
    keepMonthly: fc.integer({ min: 0, max: 1 }),
  })
  .map((r) =>
    policy({
      id: 'p',
      select: { instances: { 'tag:Role': 'web' } },
      ...r.schedule,
      retention: {
        // The parser refuses a retention that keeps nothing.
        minimum:
          r.minimum === 0 && r.maxAgeDays === undefined && r.keepDaily + r.keepWeekly + r.keepMonthly === 0
            ? 1
            : r.minimum,
        ...(r.maxAgeDays === undefined ? {} : { maxAge: r.maxAgeDays * DAY }),
        keepDaily: r.keepDaily,
        keepWeekly: r.keepWeekly,
        keepMonthly: r.keepMonthly,
      },
    }),
  );

/** What the planner keeps at `at` of a series with one snapshot at each of `times` before it. */
function plannerKeeps(p: Policy, times: readonly number[], at: number): number {
  const builder = fleet()
    .instance('web-1', { tags: { Role: 'web' } })
    .volume({ id: 'vol-1' });
  const inventory = builder
    .snapshots(times.map((startTime) => ({ startTime, tags: { [TAG.policy]: p.id } })))
    .build();
  const plan = planSnapshots(inventory, [p], { now: at, runId: 'oracle' });
  return plan.actions.filter((a) => a.action === 'keep').length;
}

describe('forecast properties', () => {
  it('settles at what the planner keeps of a series snapshotted at every run, plus the new one', () => {
    fc.assert(
      fc.property(policyArb, (p) => {
        // Prepare
        const days = 75;
        const inventory = fleet()
          .instance('web-1', { tags: { Role: 'web' } })
          .volume({ id: 'vol-1' })
          .build();
        const end = NOW + days * DAY;
        const runs = runTimes(p.schedule, NOW, end);

        // Act
        const forecast = forecastPolicies([inventory], [p], { now: NOW, days });

        // Assess
        const expected = plannerKeeps(p, runs.slice(0, -1), runs.at(-1)!) + 1;
        expect(forecast.policies[0]!.steady.snapshots).toBe(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('never leaves a selected series below `minimum` once it has had that many runs', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        // Prepare: a snapshot that started after now (a clock behind) is the series' newest and
        // rightly holds its next runs off; this property is about runs that do happen.
        const snapshots = scenario.inventory.snapshots.filter((s) => s.startTime <= scenario.now);

        // Act
        const forecast = forecastPolicies([{ ...scenario.inventory, snapshots }], scenario.policies, {
          now: scenario.now,
          days: 30,
        });

        // Assess
        for (const p of scenario.policies) {
          const runs = runTimes(p.schedule, scenario.now, scenario.now + 30 * DAY);
          const from = runs[p.retention.minimum];
          const points = forecast.policies.find((f) => f.policy === p.id)!.points;
          for (const point of points) {
            if (from === undefined || point.time < from || point.fewestPerSeries === undefined) continue;
            expect(point.fewestPerSeries).toBeGreaterThanOrEqual(p.retention.minimum);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('never costs less with a higher change rate', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (scenario, a, b) => {
          // Prepare
          const [low, high] = a <= b ? [a, b] : [b, a];
          const options = { now: scenario.now, days: 14 };

          // Act
          const cheap = forecastPolicies([scenario.inventory], scenario.policies, {
            ...options,
            changeRate: low,
          });
          const dear = forecastPolicies([scenario.inventory], scenario.policies, {
            ...options,
            changeRate: high,
          });

          // Assess
          cheap.totals.forEach((point, day) => {
            expect(point.snapshots).toBe(dear.totals[day]!.snapshots);
            expect(point.monthlyCost).toBeLessThanOrEqual(dear.totals[day]!.monthlyCost + 1e-9);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('counts what planning the whole inventory at every run counts (classes and settling change nothing)', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        // Act
        const forecast = forecastPolicies([scenario.inventory], scenario.policies, {
          now: scenario.now,
          days: 8,
        });

        // Assess
        for (const p of scenario.policies) {
          const expected = bruteForce(scenario, p, 8);
          expect(forecast.policies.find((f) => f.policy === p.id)!.points.map((x) => x.snapshots)).toEqual(
            expected,
          );
        }
      }),
      { numRuns: 40 },
    );
  });
});

/** The reference: plan the whole inventory with one policy at each of its runs, apply, count daily. */
function bruteForce(scenario: Scenario, p: Policy, days: number): number[] {
  const { now } = scenario;
  const ours = (s: Snapshot) => s.ownerId === scenario.inventory.account && s.tags[TAG.policy] === p.id;
  let inventory: Inventory = {
    ...scenario.inventory,
    snapshots: scenario.inventory.snapshots.map((s) =>
      ours(s) && s.state === 'pending' ? { ...s, state: 'completed' } : s,
    ),
  };
  const counts = [inventory.snapshots.filter(ours).length];
  const runs = runTimes(p.schedule, now, now + days * DAY);
  let run = 0;
  for (let day = 1; day <= days; day++) {
    for (; run < runs.length && runs[run]! <= now + day * DAY; run++)
      inventory = applyRun(inventory, p, runs[run]!, run);
    counts.push(inventory.snapshots.filter(ours).length);
  }
  return counts;
}

function applyRun(inventory: Inventory, p: Policy, time: number, run: number): Inventory {
  const plan = planSnapshots(inventory, [p], { now: time, runId: 'forecast' });
  const deleted = new Set(plan.actions.flatMap((a) => (a.action === 'delete' ? [a.snapshotId] : [])));
  const created = plan.actions.flatMap((a, n): Snapshot[] =>
    a.action === 'create'
      ? [
          {
            id: snapshotId(`snap-ref-${run}-${n}`),
            volumeId: a.volumeId,
            ownerId: inventory.account,
            state: 'completed',
            startTime: time,
            tags: a.tags,
          },
        ]
      : [],
  );
  return { ...inventory, snapshots: [...inventory.snapshots.filter((s) => !deleted.has(s.id)), ...created] };
}
