/**
 * The stop workflow's promise as a property: for random fleets (running or already stopped
 * instances, in an Auto Scaling group or not) and a crash at a random point of a run (every call
 * after it fails and changes nothing, as if the process had died), the next run leaves every
 * instance as it was found — same state, InService in its group, the group's desired capacity
 * unchanged, no tool tag — and every selected volume with exactly one snapshot.
 *
 * And the tags it does not own are never acted on: an instance that carries a tool tag put there
 * by hand (`yes`, a name) or by a run that started after these (it may be live) is never stopped,
 * started or moved in or out of Standby by either run, its tag stays as it was, and it is
 * snapshotted only when it is stopped already.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fleet } from '../../../../test/support/builders/fleet.js';
import { policy } from '../../../../test/support/builders/policy.js';
import { runIdAt } from '../../../../test/support/builders/stop-runs.js';
import { fakeClock } from '../../../../test/support/fakes/fake-clock.js';
import { InMemoryEc2 } from '../../../../test/support/fakes/in-memory-ec2.js';
import { TAG } from '../../../core/model.js';
import type { Config } from '../../../core/policy/types.js';
import { runTarget } from '../run.js';

const NOW = Date.parse('2026-11-29T03:00:00Z');

/** A tool tag the runs must not act on: a person's, or a later run's. */
const notOursArb = fc.record({
  key: fc.constantFrom(TAG.stoppedBy, TAG.standbyBy),
  value: fc.constantFrom('yes', 'true', 'ops-team', '2026-11-29', runIdAt(600)),
});

const instanceArb = fc.record({
  stopped: fc.boolean(),
  asg: fc.constantFrom(undefined, 'asg-a', 'asg-b'),
  volumes: fc.integer({ min: 1, max: 2 }),
  notOurs: fc.option(notOursArb, { freq: 3 }),
});

const scenarioArb = fc.record({
  instances: fc.array(instanceArb, { minLength: 1, maxLength: 3 }),
  consistency: fc.constantFrom('volume' as const, 'instance' as const),
  maxStopped: fc.constantFrom(undefined, 1, 2),
  crashAfter: fc.integer({ min: 0, max: 40 }),
});

describe('stop → snapshot → start, crashed anywhere', () => {
  it('gives every instance back as it was found, snapshots every volume once, and never acts on a tag not its own', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        // Prepare
        let builder = fleet();
        scenario.instances.forEach((i, n) => {
          builder = builder.instance(`db-${n}`, i.asg === undefined ? {} : { asg: i.asg });
          for (let v = 0; v < i.volumes; v++)
            builder = builder.volume({ device: v === 0 ? '/dev/xvda' : '/dev/xvdf' });
        });
        const inventory = builder.build();
        const ec2 = new InMemoryEc2(inventory, () => NOW);
        scenario.instances.forEach((i, n) => {
          const sim = ec2.instances.sim(`i-db-${n}`);
          if (i.stopped) sim.state = 'stopped';
          if (i.notOurs !== null) sim.tags[i.notOurs.key] = i.notOurs.value;
        });
        // Every changing call, with the instance it was about
        const touched: string[] = [];
        for (const method of ['tag', 'untag', 'stop', 'start', 'enterStandby', 'exitStandby'] as const) {
          const original = ec2.instances[method] as (...args: unknown[]) => Promise<void>;
          Object.assign(ec2.instances, {
            [method]: (...args: unknown[]) => {
              touched.push(...args.filter((a): a is string => typeof a === 'string' && a.startsWith('i-')));
              return original.apply(ec2.instances, args);
            },
          });
        }
        const desired = new Map(ec2.instances.desired);
        const config: Config = {
          version: 1,
          settings: { guard: {}, organization: false },
          policies: [
            policy({
              id: 'db',
              select: { instanceNames: ['db-*'] },
              every: '1d',
              snapshot: {
                stopInstance: true,
                stopTimeoutMs: 60_000,
                consistency: scenario.consistency,
                ...(scenario.maxStopped === undefined ? {} : { maxStopped: scenario.maxStopped }),
              },
            }),
          ],
        };
        const run = (runId: string) =>
          runTarget(ec2, config, {
            now: NOW,
            runId,
            ...fakeClock(NOW),
            pollMs: 1_000,
            exclusive: (_, work) => work(),
          });

        // Act: a run that dies after `crashAfter` changes, then a whole one
        ec2.instances.crashAfter = scenario.crashAfter;
        await run(runIdAt(0));
        ec2.instances.crashAfter = undefined;
        await run(runIdAt(60));

        // Assess
        scenario.instances.forEach((i, n) => {
          const sim = ec2.instances.sim(`i-db-${n}`);
          expect(sim.state).toBe(i.stopped ? 'stopped' : 'running');
          if (i.asg !== undefined) expect(sim.lifecycle).toBe('InService');
          const toolTags = Object.entries(sim.tags).filter(([k]) => k.startsWith('ebs-snapper:'));
          expect(toolTags).toEqual(i.notOurs === null ? [] : [[i.notOurs.key, i.notOurs.value]]);
          if (i.notOurs !== null) expect(touched).not.toContain(`i-db-${n}`);
        });
        expect(ec2.instances.desired).toEqual(desired);
        scenario.instances.forEach((i, n) => {
          const expected = i.notOurs !== null && !i.stopped ? 0 : 1;
          for (const volume of inventory.volumes.filter(
            (v) => v.attachments[0]?.instanceId === `i-db-${n}`,
          )) {
            expect(ec2.listSnapshots().filter((s) => s.volumeId === volume.id)).toHaveLength(expected);
          }
        });
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 500) },
    );
  });
});
