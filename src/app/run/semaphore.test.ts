/**
 * "At most one member of a group down" holds per Auto Scaling group across all the policies of a
 * run; `max_stopped` bounds its policy on top of that.
 */
import { describe, expect, it } from 'vitest';
import { fleet } from '../../../test/support/builders/fleet.js';
import { configOf, runIdAt, runStops, stopPolicy } from '../../../test/support/builders/stop-runs.js';
import { InMemoryEc2 } from '../../../test/support/fakes/in-memory-ec2.js';
import { instanceId } from '../../core/model.js';
import { PortError } from '../kit/ports.js';
import { KeyedSlots, SlotLostError, stopSlotsOf } from './semaphore.js';

/** Four instances: web-1 and web-2 in group `web-asg`, app-1 and app-2 in none; a volume each. */
function estate(): InMemoryEc2 {
  return new InMemoryEc2(
    fleet()
      .instance('web-1', { asg: 'web-asg' })
      .volume({ device: '/dev/xvda' })
      .instance('web-2', { asg: 'web-asg' })
      .volume({ device: '/dev/xvda' })
      .instance('app-1')
      .volume({ device: '/dev/xvda' })
      .instance('app-2')
      .volume({ device: '/dev/xvda' })
      .build(),
  );
}

/** The most instances seen stopped (or stopping) at once, per group and in all (`*`). */
function watchStops(ec2: InMemoryEc2): Map<string, number> {
  const down = new Map<string, number>();
  const most = new Map<string, number>();
  const keysOf = (id: string) => [ec2.instances.sim(id).asg ?? '-', '*'];
  const { stop, start } = ec2.instances;
  ec2.instances.stop = async (id) => {
    await stop.call(ec2.instances, id);
    for (const key of keysOf(id)) {
      down.set(key, (down.get(key) ?? 0) + 1);
      most.set(key, Math.max(most.get(key) ?? 0, down.get(key) ?? 0));
    }
  };
  ec2.instances.start = async (id) => {
    await start.call(ec2.instances, id);
    for (const key of keysOf(id)) down.set(key, (down.get(key) ?? 1) - 1);
  };
  return most;
}

describe('stop slots', () => {
  it('never has two members of a group stopped at once when two policies select one each', async () => {
    // Prepare: the stops take a few looks, so that they would overlap
    const ec2 = estate();
    ec2.instances.stopPolls = 3;
    const most = watchStops(ec2);
    const config = configOf(
      stopPolicy('web-a', { instanceNames: ['web-1'] }),
      stopPolicy('web-b', { instanceNames: ['web-2'] }),
    );

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess
    expect(report.summary).toMatchObject({ created: 2, failed: 0 });
    expect(most.get('web-asg')).toBe(1);
  });

  it('keeps a group to one member down even when the policy’s max_stopped allows more', async () => {
    // Prepare
    const ec2 = estate();
    ec2.instances.stopPolls = 3;
    const most = watchStops(ec2);
    const config = configOf(stopPolicy('all', { instanceNames: ['*'] }, { maxStopped: 2 }));

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess: the group lost one member at a time, and the policy never had more than 2 down
    expect(report.summary).toMatchObject({ created: 4, failed: 0 });
    expect(most.get('web-asg')).toBe(1);
    expect(most.get('*')).toBeLessThanOrEqual(2);
  });

  it('stops no other member of a group whose member could not be given back in the run', async () => {
    // Prepare: ExitStandby is refused, so the first member stays in Standby
    const ec2 = estate();
    ec2.instances.exitStandby = async () => {
      throw new PortError('ExitStandby', { code: 'ValidationError', message: 'refused', transient: false });
    };
    const config = configOf(stopPolicy('web', { instanceNames: ['web-*'] }));

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess: one member down and failed; the other never stopped, deferred to the next run
    expect(ec2.instances.log.filter((l) => l === 'stop')).toHaveLength(1);
    expect(report.results.map((r) => [r.action, r.status, r.error?.code]).sort()).toEqual([
      ['create', 'deferred', 'StopSlotLost'],
      ['create', 'done', undefined],
      ['give-back', 'failed', 'ValidationError'],
    ]);
  });

  it('refuses at once a slot that can never have room again', async () => {
    // Prepare: the only slot of the group is lost
    const slots = new KeyedSlots();
    const release = await slots.acquireAll([{ key: 'asg:web-asg', limit: 1 }]);
    const waiting = slots.acquireAll([{ key: 'asg:web-asg', limit: 1 }]);

    // Act
    release({ lost: true });

    // Assess
    await expect(waiting).rejects.toBeInstanceOf(SlotLostError);
  });

  it('takes the policy, group and instance slots in one order, and gives them all back', async () => {
    // Prepare
    const slots = new KeyedSlots();
    const order = stopSlotsOf('web', instanceId('i-1'), { timeoutMs: 1, maxStopped: 2, asg: 'web-asg' });

    // Act
    const release = await slots.acquireAll(order);
    let second = false;
    const waiting = slots
      .acquireAll(stopSlotsOf('other', instanceId('i-2'), { timeoutMs: 1, asg: 'web-asg' }))
      .then((r) => {
        second = true;
        return r;
      });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const heldMeanwhile = second;
    release();
    (await waiting)();

    // Assess
    expect(order.map((s) => s.key)).toEqual(['policy:web', 'asg:web-asg', 'instance:i-1']);
    expect(heldMeanwhile).toBe(false);
    expect(second).toBe(true);
  });
});
