/**
 * The freeze workflow's promise as a property: for random fleets (instances SSM manages or not),
 * random scripts (retries, on_failure), random SSM outcomes for every command (success, failure,
 * a timeout, one that never ends) and a crash at a random point of a run (every call after it
 * fails and changes nothing, as if the process had died), the next run leaves nothing frozen:
 *
 * - every pre script sent has a post script sent to the same instance after it;
 * - no instance keeps `ebs-snapper:frozen-by` (or `frozen-policy`);
 * - no snapshot says `application` unless the last pre script before it, to its instance,
 *   succeeded and no post script came between them;
 * - every selected volume has exactly one snapshot (none when the instance cannot be frozen and
 *   `on_failure` is `skip`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fleet } from '../../../../test/support/builders/fleet.js';
import { freezePolicy } from '../../../../test/support/builders/freeze-runs.js';
import { configOf, runIdAt, runStops } from '../../../../test/support/builders/stop-runs.js';
import { InMemoryEc2 } from '../../../../test/support/fakes/in-memory-ec2.js';
import { CrashedError } from '../../../../test/support/fakes/in-memory-instances.js';
import type { FakeCommandEnd } from '../../../../test/support/fakes/in-memory-ssm.js';
import { TAG } from '../../../core/model.js';

const endArb: fc.Arbitrary<FakeCommandEnd> = fc.oneof(
  fc.record({ status: fc.constant('Success' as const), looks: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ status: fc.constant('Failed' as const), exitCode: fc.integer({ min: 1, max: 4 }) }),
  fc.constant({ status: 'TimedOut' as const }),
  fc.constant({ status: 'Hang' as const }),
);

const scenarioArb = fc.record({
  instances: fc.array(fc.record({ managed: fc.boolean(), volumes: fc.integer({ min: 1, max: 2 }) }), {
    minLength: 1,
    maxLength: 3,
  }),
  retries: fc.integer({ min: 0, max: 2 }),
  onFailure: fc.constantFrom('crash-consistent' as const, 'skip' as const),
  ends: fc.array(endArb, { minLength: 1, maxLength: 20 }),
  crashAfter: fc.integer({ min: 0, max: 30 }),
});

/** What happened, in order, across SSM and EC2. */
type Event =
  | { readonly kind: 'pre' | 'post'; readonly instance: string; readonly ok: boolean }
  | { readonly kind: 'set'; readonly instance: string; readonly consistency: string | undefined };

describe('freeze → snapshot → thaw, crashed anywhere', () => {
  it('leaves nothing frozen, no tag, no false application claim, and every volume snapshotted once', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        // Prepare
        const builder = fleet();
        scenario.instances.forEach((i, n) => {
          builder.instance(`db-${n}`);
          for (let v = 0; v < i.volumes; v++) builder.volume({ device: v === 0 ? '/dev/xvda' : '/dev/sdf' });
        });
        const inventory = builder.build();
        const ec2 = new InMemoryEc2(inventory);
        scenario.instances.forEach((i, n) => {
          if (i.managed) ec2.ssm.manage([`i-db-${n}`]);
        });
        const events: Event[] = [];
        let sends = 0;
        let reliable = false;
        // Every command ends as the scenario says (the second run's all succeed); sends count as changes.
        const send = ec2.ssm.sendCommand.bind(ec2.ssm);
        ec2.ssm.sendCommand = async (request) => {
          const end = reliable
            ? { status: 'Success' as const }
            : scenario.ends[sends++ % scenario.ends.length]!;
          ec2.ssm.endWith(request.instanceId, [end]);
          const id = await send(request);
          const kind = request.comment?.includes('(pre)') ? 'pre' : 'post';
          events.push({ kind, instance: request.instanceId, ok: end.status === 'Success' });
          return id;
        };
        ec2.ssm.beforeCall = (what) => {
          if (what === 'sendCommand') ec2.instances.change('send-command');
          else if (ec2.instances.crashAfter !== undefined && ec2.instances.crashAfter < 0)
            throw new CrashedError(what);
        };
        const createSnapshots = ec2.createSnapshots.bind(ec2);
        ec2.createSnapshots = async (request) => {
          const made = await createSnapshots(request);
          events.push({
            kind: 'set',
            instance: request.instanceId,
            consistency: request.tags[TAG.consistency],
          });
          return made;
        };
        const config = configOf(
          freezePolicy(
            'db',
            { instanceNames: ['db-*'] },
            { retries: scenario.retries, onFailure: scenario.onFailure },
          ),
        );

        // Act: a run that dies after `crashAfter` changes, then a whole one with SSM behaving
        ec2.instances.crashAfter = scenario.crashAfter;
        await runStops(ec2, config, { runId: runIdAt(0) });
        ec2.instances.crashAfter = undefined;
        reliable = true;
        await runStops(ec2, config, { runId: runIdAt(60) });

        // Assess
        scenario.instances.forEach((i, n) => {
          const id = `i-db-${n}`;
          const mine = events.filter((e) => e.instance === id);
          const lastPre = mine.map((e) => e.kind).lastIndexOf('pre');
          if (lastPre >= 0) expect(mine.slice(lastPre + 1).some((e) => e.kind === 'post')).toBe(true);
          mine.forEach((event, at) => {
            if (event.kind !== 'set' || event.consistency !== 'application') return;
            const before = mine.slice(0, at).filter((e) => e.kind !== 'set');
            expect(before.at(-1)).toMatchObject({ kind: 'pre', ok: true });
          });
          const tags = Object.keys(ec2.instances.sim(id).tags).filter((k) => k.startsWith('ebs-snapper:'));
          expect(tags).toEqual([]);
          const expected = !i.managed && scenario.onFailure === 'skip' ? 0 : 1;
          for (const volume of inventory.volumes.filter((v) => v.attachments[0]?.instanceId === id)) {
            expect(ec2.listSnapshots().filter((s) => s.volumeId === volume.id)).toHaveLength(expected);
          }
        });
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });
});
