/**
 * Giving an instance back never fails silently, and never waits for a state that cannot come:
 * a start (or ExitStandby) that fails after the snapshots is a failure of the run — a failed
 * result, exit 1, the run record, the failure notification — the tags stay, and the next run
 * gives the instance back first; a terminated instance ends every wait at once and is reported
 * as what happened to it.
 */
import { describe, expect, it } from 'vitest';
import { fleet } from '../../../../test/support/builders/fleet.js';
import { configOf, runIdAt, runStops, stopPolicy } from '../../../../test/support/builders/stop-runs.js';
import { InMemoryEc2 } from '../../../../test/support/fakes/in-memory-ec2.js';
import { TAG } from '../../../core/model.js';
import { notificationsFor } from '../../kit/notifications.js';
import { PortError } from '../../kit/ports.js';
import { recordOf } from '../../serverless/work-telemetry.js';
import { hasFailures } from '../run.js';

const config = configOf(stopPolicy('db', { instanceNames: ['db-*'] }));

/** db-1 on its own, db-2 in an Auto Scaling group; one volume each. */
function estate(): InMemoryEc2 {
  return new InMemoryEc2(
    fleet()
      .instance('db-1')
      .volume({ device: '/dev/xvda' })
      .instance('db-2', { asg: 'db-asg' })
      .volume({ device: '/dev/xvda' })
      .build(),
  );
}

const refusal = (operation: string, code: string) =>
  new PortError(operation, { code, message: 'refused by the test', transient: false });

/** The tool's tags on an instance, by key. */
const toolTags = (ec2: InMemoryEc2, id: string) =>
  Object.fromEntries(
    Object.entries(ec2.instances.sim(id).tags).filter(([k]) => k.startsWith('ebs-snapper:')),
  );

describe('a give-back that fails', () => {
  it('fails the run when StartInstances is refused after the snapshots; the next run starts it first', async () => {
    // Prepare: EC2 refuses to start db-1 in the first run
    const ec2 = estate();
    const { start } = ec2.instances;
    ec2.instances.start = async (id) => {
      if (id === 'i-db-1') throw refusal('StartInstances', 'InsufficientInstanceCapacity');
      return start.call(ec2.instances, id);
    };
    const first = runIdAt(0);

    // Act
    const report = await runStops(ec2, config, { runId: first });
    const stuck = { state: ec2.instances.sim('i-db-1').state, tags: toolTags(ec2, 'i-db-1') };
    ec2.instances.start = start;
    const next = await runStops(ec2, config, { runId: runIdAt(60) });

    // Assess: the snapshots were taken, the give-back failed, and everything that reads the
    // report says so
    expect(report.results.filter((r) => r.action === 'create').map((r) => r.status)).toEqual([
      'done',
      'done',
    ]);
    const failed = report.results.filter((r) => r.status === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({
        action: 'give-back',
        policy: 'db',
        instanceId: 'i-db-1',
        error: { code: 'InsufficientInstanceCapacity', message: expect.stringContaining('i-db-1') },
      }),
    ]);
    expect(report.summary.failed).toBe(1);
    expect(hasFailures(report)).toBe(true);
    const item = { account: report.plan.account, region: report.plan.region, run_id: first, continuation: 0 };
    const record = recordOf(item, 0, 1, { report }, false);
    expect(record.outcome).toBe('failed');
    expect(record.failures.map((f) => f.code)).toEqual(['InsufficientInstanceCapacity']);
    const [notice] = notificationsFor(['failure'], { runId: first, ...item, report });
    expect(notice?.text).toContain('give-back db i-db-1: InsufficientInstanceCapacity');
    expect(stuck).toEqual({ state: 'stopped', tags: { [TAG.stoppedBy]: first } });
    expect(next.givenBack).toEqual([{ instanceId: 'i-db-1', done: ['started', 'untagged'] }]);
    expect(hasFailures(next)).toBe(false);
    expect(ec2.instances.sim('i-db-1').state).toBe('running');
    expect(toolTags(ec2, 'i-db-1')).toEqual({});
  });

  it('fails the run when ExitStandby is refused; the group member keeps its standby tag until the next run', async () => {
    // Prepare
    const ec2 = estate();
    const { exitStandby } = ec2.instances;
    ec2.instances.exitStandby = async () => {
      throw refusal('ExitStandby', 'ValidationError');
    };

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });
    const stuck = { lifecycle: ec2.instances.sim('i-db-2').lifecycle, tags: toolTags(ec2, 'i-db-2') };
    ec2.instances.exitStandby = exitStandby;
    const next = await runStops(ec2, config, { runId: runIdAt(60) });

    // Assess
    expect(report.results.filter((r) => r.status === 'failed')).toEqual([
      expect.objectContaining({
        action: 'give-back',
        instanceId: 'i-db-2',
        error: expect.objectContaining({ code: 'ValidationError' }),
      }),
    ]);
    expect(hasFailures(report)).toBe(true);
    expect(stuck).toEqual({
      lifecycle: 'Standby',
      tags: { [TAG.stoppedBy]: runIdAt(0), [TAG.standbyBy]: runIdAt(0) },
    });
    expect(next.givenBack).toEqual([{ instanceId: 'i-db-2', done: ['exited-standby', 'untagged'] }]);
    expect(ec2.instances.sim('i-db-2')).toMatchObject({ state: 'running', lifecycle: 'InService' });
    expect(toolTags(ec2, 'i-db-2')).toEqual({});
  });

  it('fails the run when a crashed run’s instance cannot be started, and notifies it', async () => {
    // Prepare: a run an hour ago stopped db-1 and died (its volume, still due, is snapshotted as it is)
    const crashed = runIdAt(-60);
    const ec2 = new InMemoryEc2(
      fleet()
        .instance('db-1', { state: 'stopped', tags: { [TAG.stoppedBy]: crashed } })
        .volume({ device: '/dev/xvda' })
        .build(),
    );
    ec2.instances.start = async () => {
      throw refusal('StartInstances', 'InsufficientInstanceCapacity');
    };

    // Act
    const report = await runStops(ec2, configOf(stopPolicy('db', { instanceNames: ['db-*'] }, {})), {
      runId: runIdAt(0),
    });

    // Assess
    const failed = report.results.filter((r) => r.status === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({ action: 'give-back', policy: '*', instanceId: 'i-db-1' }),
    ]);
    expect(failed[0]?.error?.message).toContain('a crashed run had stopped it');
    expect(report.summary.failed).toBe(1);
    const [notice] = notificationsFor(['failure'], {
      runId: runIdAt(0),
      account: report.plan.account,
      region: report.plan.region,
      report,
    });
    expect(notice?.text).toContain('i-db-1');
    expect(report.givenBack).toEqual([
      {
        instanceId: 'i-db-1',
        done: [],
        error: expect.objectContaining({ code: 'InsufficientInstanceCapacity' }),
      },
    ]);
    expect(toolTags(ec2, 'i-db-1')).toEqual({ [TAG.stoppedBy]: crashed });
  });

  it('keeps the tags of an instance EC2 stops again after StartInstances, and fails the run', async () => {
    // Prepare: StartInstances is accepted, but the instance falls back to stopped (no capacity)
    const ec2 = estate();
    const { start } = ec2.instances;
    ec2.instances.start = async (id) => {
      await start.call(ec2.instances, id);
      if (id === 'i-db-1') ec2.instances.sim(id).state = 'stopped';
    };

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess
    expect(report.results.filter((r) => r.status === 'failed')).toEqual([
      expect.objectContaining({
        action: 'give-back',
        instanceId: 'i-db-1',
        error: expect.objectContaining({ code: 'StartFailed' }),
      }),
    ]);
    expect(toolTags(ec2, 'i-db-1')).toEqual({ [TAG.stoppedBy]: runIdAt(0) });
  });
});

describe('a member that never reaches Standby', () => {
  it('is not stopped, and keeps its tags while it is still entering Standby', async () => {
    // Prepare: EnterStandby is accepted, but the member stays EnteringStandby (a lifecycle hook)
    const ec2 = estate();
    ec2.instances.enterStandby = async (_, id) => {
      ec2.instances.sim(id).lifecycle = 'EnteringStandby';
    };

    // Act
    const report = await runStops(ec2, configOf(stopPolicy('db', { instanceNames: ['db-2'] })), {
      runId: runIdAt(0),
    });

    // Assess: a group member is never stopped outside Standby (the group would replace it)
    expect(ec2.instances.log).not.toContain('stop');
    expect(report.results.map((r) => [r.action, r.status, r.error?.code])).toEqual([
      ['create', 'failed', 'StandbyTimeout'],
      ['give-back', 'failed', 'StandbyTimeout'],
    ]);
    expect(toolTags(ec2, 'i-db-2')).toEqual({ [TAG.stoppedBy]: runIdAt(0), [TAG.standbyBy]: runIdAt(0) });
  });
});

describe('an instance terminated while the tool has it', () => {
  it('ends the wait for stopped at once, snapshots nothing, starts nothing, and says it was terminated', async () => {
    // Prepare: db-1 would take 50 looks to stop, against a 60 s stop_timeout; it is terminated instead
    const ec2 = estate();
    const onlyDb1 = configOf(stopPolicy('db', { instanceNames: ['db-1'] }));
    ec2.instances.stopPolls = 50;
    const { stop } = ec2.instances;
    ec2.instances.stop = async (id) => {
      await stop.call(ec2.instances, id);
      if (id === 'i-db-1') ec2.instances.sim(id).state = 'shutting-down';
    };
    const looks: string[] = [];
    const { describe: look } = ec2.instances;
    ec2.instances.describe = async (id) => {
      looks.push(id);
      return look.call(ec2.instances, id);
    };

    // Act
    const report = await runStops(ec2, onlyDb1, { runId: runIdAt(0) });

    // Assess
    const db1 = report.results.filter((r) => r.instanceId === 'i-db-1');
    expect(db1).toEqual([
      expect.objectContaining({
        action: 'create',
        status: 'failed',
        error: {
          code: 'InstanceTerminated',
          message: expect.stringContaining('shutting down while the tool was stopping it'),
        },
      }),
    ]);
    expect(looks.length).toBeLessThan(5);
    expect(ec2.instances.log).not.toContain('start');
    expect(ec2.listSnapshots().filter((s) => s.tags[TAG.instanceId] === 'i-db-1')).toEqual([]);
  });

  it('reports an instance terminated after its snapshots as terminated, not started, and no failure', async () => {
    // Prepare: db-1 disappears as soon as its snapshot is taken
    const ec2 = estate();
    const change = ec2.instances.change.bind(ec2.instances);
    ec2.instances.change = (what) => {
      change(what);
      if (what === 'snapshot' && ec2.instances.sim('i-db-1').state === 'stopped')
        ec2.instances.forget('i-db-1');
    };

    // Act
    const report = await runStops(ec2, configOf(stopPolicy('db', { instanceNames: ['db-1'] })), {
      runId: runIdAt(0),
    });

    // Assess
    expect(report.results.map((r) => [r.action, r.status, r.error?.code])).toEqual([
      ['create', 'done', undefined],
      ['give-back', 'skipped', 'InstanceTerminated'],
    ]);
    expect(report.results[1]?.error?.message).toContain('while the tool had it stopped');
    expect(ec2.instances.log).not.toContain('start');
    expect(hasFailures(report)).toBe(false);
  });

  it('does not wait for a crashed run’s instance that is shutting down, and no later run fails for it', async () => {
    // Prepare: a crashed run's tag on an instance being terminated
    const ec2 = new InMemoryEc2(
      fleet()
        .instance('db-1', { state: 'shutting-down', tags: { [TAG.stoppedBy]: runIdAt(-60) } })
        .volume({ device: '/dev/xvda' })
        .build(),
    );
    const { untag } = ec2.instances;
    ec2.instances.untag = async (id, keys) => {
      ec2.instances.sim(id).state = 'terminated';
      return untag.call(ec2.instances, id, keys);
    };
    const looks: string[] = [];
    const { describe: look } = ec2.instances;
    ec2.instances.describe = async (id) => {
      looks.push(id);
      return look.call(ec2.instances, id);
    };

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });
    const later = await runStops(ec2, config, { runId: runIdAt(60) });

    // Assess: a look or two (recovery's, the workflow's), no start, no failure; the terminated
    // instance is no longer listed
    expect(report.givenBack).toEqual([{ instanceId: 'i-db-1', done: ['shutting-down'] }]);
    expect(looks.length).toBeLessThan(5);
    expect(ec2.instances.log).not.toContain('start');
    expect(hasFailures(report)).toBe(false);
    expect(later.givenBack).toBeUndefined();
    expect(hasFailures(later)).toBe(false);
  });
});
