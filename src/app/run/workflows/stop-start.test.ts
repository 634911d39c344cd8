import { describe, expect, it } from 'vitest';
import { fleet } from '../../../../test/support/builders/fleet.js';
import { policy } from '../../../../test/support/builders/policy.js';
import { runIdAt } from '../../../../test/support/builders/stop-runs.js';
import { fakeClock } from '../../../../test/support/fakes/fake-clock.js';
import { InMemoryEc2 } from '../../../../test/support/fakes/in-memory-ec2.js';
import { type Inventory, TAG } from '../../../core/model.js';
import type { Config } from '../../../core/policy/types.js';
import { runTarget } from '../run.js';

const NOW = Date.parse('2026-11-29T03:00:00Z');
const stopping = (extra: Partial<Config['policies'][number]['snapshot']> = {}): Config => ({
  version: 1,
  settings: { guard: {}, organization: false },
  policies: [
    policy({
      id: 'db',
      select: { instanceNames: ['db-*'] },
      every: '1d',
      snapshot: { stopInstance: true, stopTimeoutMs: 60_000, ...extra },
    }),
  ],
});

/** Two instances (one in an Auto Scaling group), two volumes each. */
function estate(): Inventory {
  return fleet()
    .instance('db-1')
    .volume({ device: '/dev/xvda' })
    .volume({ device: '/dev/xvdf' })
    .instance('db-2', { asg: 'db-asg' })
    .volume({ device: '/dev/xvda' })
    .build();
}

/** Each run gets the id of a run an hour after the one before, as consecutive runs do. */
let runs = 0;

async function run(ec2: InMemoryEc2, config: Config, options: { deadline?: number } = {}) {
  const time = fakeClock(NOW);
  runs += 1;
  return runTarget(ec2, config, {
    now: NOW,
    runId: runIdAt(60 * runs),
    ...time,
    pollMs: 1_000,
    exclusive: (_, work) => work(),
    ...options,
  });
}

describe('stop → snapshot → start', () => {
  it('stops, snapshots and starts a plain instance, the tag set first and removed last', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(estate());

    // Act
    const report = await run(ec2, stopping());

    // Assess
    expect(report.summary).toMatchObject({ created: 3, failed: 0 });
    expect(ec2.instances.sim('i-db-1')).toMatchObject({ state: 'running', tags: { Name: 'db-1' } });
    expect(TAG.stoppedBy in ec2.instances.sim('i-db-1').tags).toBe(false);
    const db1 = ec2.instances.log.filter((_, i) => i < 6);
    expect(db1[0]).toBe(`tag ${TAG.stoppedBy}`);
    expect(ec2.instances.log.at(-1)).toMatch(/^untag ebs-snapper:stopped-by/);
  });

  it('puts a group member in Standby and back: the group keeps its desired capacity', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(estate());
    const before = ec2.instances.desired.get('db-asg');

    // Act
    await run(ec2, stopping());

    // Assess
    expect(ec2.instances.sim('i-db-2')).toMatchObject({ state: 'running', lifecycle: 'InService' });
    expect(ec2.instances.desired.get('db-asg')).toBe(before);
    expect(ec2.instances.log).toEqual(expect.arrayContaining(['enter-standby', 'exit-standby']));
    expect(Object.keys(ec2.instances.sim('i-db-2').tags).filter((k) => k.startsWith('ebs-snapper:'))).toEqual(
      [],
    );
  });

  it('snapshots an instance that was stopped before the run, and never starts it', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(estate());
    ec2.instances.sim('i-db-1').state = 'stopped';

    // Act
    const report = await run(ec2, stopping());

    // Assess
    expect(report.summary.created).toBe(3);
    expect(ec2.instances.sim('i-db-1').state).toBe('stopped');
    expect(ec2.instances.log.filter((l) => l === 'start')).toHaveLength(1);
  });

  it('starts an instance again when it does not stop in time, and snapshots nothing of it', async () => {
    // Prepare: the stop takes 50 looks (the two instances' waits share one fake clock, so about
    // 100 s) against a 60 s stop_timeout
    const ec2 = new InMemoryEc2(estate());
    ec2.instances.stopPolls = 50;

    // Act
    const report = await run(ec2, stopping({ stopTimeoutMs: 60_000 }));

    // Assess
    const db1 = report.results.filter((r) => r.instanceId === 'i-db-1');
    expect(db1.map((r) => [r.status, r.error?.code])).toEqual([
      ['failed', 'StopTimeout'],
      ['failed', 'StopTimeout'],
    ]);
    expect(ec2.listSnapshots().filter((s) => s.tags[TAG.instanceId] === 'i-db-1')).toEqual([]);
    expect(ec2.instances.sim('i-db-1').state).toBe('running');
  });

  it('starts no stop when less than stop_timeout is left before the deadline', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(estate());

    // Act
    const report = await run(ec2, stopping({ stopTimeoutMs: 600_000 }), { deadline: NOW + 300_000 });

    // Assess
    expect(report.results.every((r) => r.status === 'deferred')).toBe(true);
    expect(ec2.instances.log).toEqual([]);
  });

  it('stops at most max_stopped instances of a policy at once', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(estate());
    let stopped = 0;
    let most = 0;
    const { stop, start } = ec2.instances;
    ec2.instances.stop = async (id) => {
      await stop.call(ec2.instances, id);
      most = Math.max(most, ++stopped);
    };
    ec2.instances.start = async (id) => {
      await start.call(ec2.instances, id);
      stopped -= 1;
    };

    // Act
    await run(ec2, stopping({ maxStopped: 1 }));

    // Assess
    expect(most).toBe(1);
    expect(ec2.instances.log.filter((l) => l === 'stop')).toHaveLength(2);
  });

  it('keeps the tags of an instance stuck in stopping, reports it, and the next run starts it', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(estate());
    ec2.instances.stopPolls = Number.POSITIVE_INFINITY;

    // Act
    const first = await run(ec2, stopping());
    for (const id of ['i-db-1', 'i-db-2']) ec2.instances.sim(id).pending = 0;
    ec2.instances.stopPolls = 1;
    const second = await run(ec2, stopping());

    // Assess
    expect(first.results.filter((r) => r.instanceId === 'i-db-1').every((r) => r.status === 'failed')).toBe(
      true,
    );
    expect(second.givenBack).toEqual([
      { instanceId: 'i-db-1', done: ['started', 'untagged'] },
      { instanceId: 'i-db-2', done: ['started', 'exited-standby', 'untagged'] },
    ]);
    expect(ec2.instances.sim('i-db-1').state).toBe('running');
    expect(ec2.instances.sim('i-db-2')).toMatchObject({ state: 'running', lifecycle: 'InService' });
    expect(TAG.stoppedBy in ec2.instances.sim('i-db-1').tags).toBe(false);
    expect(second.summary).toMatchObject({ created: 3, failed: 0 });
  });
});
