/**
 * The restore drill's promise as a property: for random volumes (available at once, late, never;
 * in error; slow to initialize or with no word on it; slow or stuck to detach; refusing a delete
 * once), random hosts and commands (succeeding, failing, hanging), and runs killed at random points
 * (before a change, or right after it with its answer lost), the runs that follow leave no drill
 * volume behind, and every drill that was ever started has exactly one result on its snapshot.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fleet, series } from '../../../../test/support/builders/fleet.js';
import { HOUR, MINUTE, policy } from '../../../../test/support/builders/policy.js';
import { fakeClock } from '../../../../test/support/fakes/fake-clock.js';
import { InMemoryEc2 } from '../../../../test/support/fakes/in-memory-ec2.js';
import type { VolumeBehaviour } from '../../../../test/support/fakes/in-memory-volumes.js';
import type { Config, DrillCheck } from '../../../core/policy/types.js';
import { runTarget } from '../run.js';

const T0 = Date.parse('2026-06-01T03:00:00Z');
const runIdAt = (at: number) => `${new Date(at).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z-00ab12`;

const looks = fc.constantFrom(0, 0, 1, 2, 3, Number.POSITIVE_INFINITY);
const behaviourArb: fc.Arbitrary<VolumeBehaviour> = fc.record({
  availableAfter: looks,
  error: fc.constantFrom(false, false, false, false, true),
  initializedAfter: fc.constantFrom(0, 0, 1, 4, 'unknown' as const),
  attachLooks: fc.constantFrom(0, 1, 2),
  detachLooks: looks,
  deleteRefusals: fc.constantFrom(0, 0, 1),
});
const commandArb = fc.record({
  status: fc.constantFrom('Success' as const, 'Success' as const, 'Failed' as const, 'Hang' as const),
  exitCode: fc.constantFrom(0, 1, 8),
  looks: fc.constantFrom(0, 1, 5),
});
const crashArb = fc.option(fc.record({ after: fc.integer({ min: 0, max: 8 }), afterChange: fc.boolean() }), {
  freq: 2,
});

const scenarioArb = fc.record({
  check: fc.constantFrom<DrillCheck>('available', 'initialized', 'ssm'),
  volumes: fc.array(behaviourArb, { minLength: 1, maxLength: 3 }),
  host: fc.constantFrom('online', 'online', 'online', 'not-managed', 'stopped'),
  commands: fc.array(commandArb, { minLength: 1, maxLength: 3 }),
  crashes: fc.array(crashArb, { minLength: 3, maxLength: 8 }),
});

describe('restore drills, crashed anywhere', () => {
  it('leaves no drill volume behind, and records exactly one result for every drill started', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        // Prepare
        const builder = fleet();
        scenario.volumes.forEach((_, n) => {
          builder
            .instance(`web-${n}`, { tags: { Role: 'web' }, az: 'eu-west-1a' })
            .volume({ id: `vol-0${n}`, az: 'eu-west-1a' })
            .snapshots(series('web', [T0 - HOUR, T0 - 25 * HOUR]));
        });
        builder.instance('host', {
          tags: { Role: 'drill-host' },
          az: 'eu-west-1a',
          state: scenario.host === 'stopped' ? 'stopped' : 'running',
        });
        const inventory = builder.build();
        const ec2 = new InMemoryEc2(inventory, () => T0);
        const bySnapshot = new Map<string, VolumeBehaviour>(
          inventory.snapshots.map((s) => [s.id, scenario.volumes[Number(s.volumeId!.slice(5))]!]),
        );
        ec2.volumes.behaviourOf = (snapshot) => bySnapshot.get(snapshot) ?? {};
        if (scenario.host === 'online') ec2.ssm.manage(['i-host']);
        ec2.ssm.endWith('i-host', scenario.commands);
        const config: Config = {
          version: 1,
          settings: { guard: {}, organization: false },
          policies: [
            policy({
              id: 'web',
              select: { instances: { 'tag:Role': 'web' } },
              every: '1d',
              retention: { maxAge: '1d', minimum: 1 },
              drill: {
                every: '30d',
                sample: 3,
                check: scenario.check,
                timeout: '1h',
                ...(scenario.check === 'ssm'
                  ? { host: { tags: { Role: 'drill-host' } }, commands: ['true'] }
                  : {}),
              },
            }),
          ],
        };
        const run = (at: number, only?: 'snapshot') =>
          runTarget(ec2, config, {
            now: at,
            runId: runIdAt(at),
            ...fakeClock(at),
            pollMs: 5_000,
            exclusive: (_, work) => work(),
            ...(only === undefined ? {} : { only }),
          });

        // Act: runs 20 minutes apart, some killed; then whole runs that start no drill, past every timeout
        let at = T0;
        for (const crash of scenario.crashes) {
          ec2.volumes.crash.remaining = crash?.after;
          ec2.volumes.crash.afterChange = crash?.afterChange ?? false;
          await run(at);
          ec2.volumes.crash.remaining = undefined;
          at += 20 * MINUTE;
        }
        for (let i = 0; i < 3; i++) await run(at + (i + 1) * 2 * HOUR, 'snapshot');

        // Assess
        expect(ec2.volumes.alive).toEqual([]);
        const perVolume = new Map<string, number>();
        for (const r of ec2.volumes.results) perVolume.set(r.volumeId, (perVolume.get(r.volumeId) ?? 0) + 1);
        for (const made of ec2.volumes.made) expect([made, perVolume.get(made)]).toEqual([made, 1]);
        expect([...perVolume.keys()].every((id) => ec2.volumes.made.includes(id as never))).toBe(true);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) },
    );
  });
});
