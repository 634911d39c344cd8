/**
 * The tool's state tags are trusted only when they are the tool's, and a finished run's: crash
 * recovery never acts on a hand-put value or on a run that started after this one (it may be
 * working on the instance right now), and says so as a warning with a code; this run's own id,
 * found before it stops anything, is an earlier invocation's that has ended, and is given back.
 */
import { describe, expect, it } from 'vitest';
import { fleet, series } from '../../../../test/support/builders/fleet.js';
import {
  configOf,
  runIdAt,
  runStops,
  STOP_NOW,
  stopPolicy,
} from '../../../../test/support/builders/stop-runs.js';
import { InMemoryEc2 } from '../../../../test/support/fakes/in-memory-ec2.js';
import { TAG, type Tags } from '../../../core/model.js';
import { runIdTime } from '../../../core/run-id.js';
import { newRunId } from '../run.js';
import { ownerOf } from './stop-tags.js';

const config = configOf(stopPolicy('db', { instanceNames: ['db-*'] }));

/** db-1 alone and db-2 in a group, with the given states and tags. */
function estate(db1: { state: 'running' | 'stopped'; tags: Tags }, db2?: { tags: Tags }): InMemoryEc2 {
  const builder = fleet().instance('db-1', db1).volume({ device: '/dev/xvda' });
  if (db2 !== undefined) builder.instance('db-2', { asg: 'db-asg', ...db2 }).volume({ device: '/dev/xvda' });
  return new InMemoryEc2(builder.build());
}

const codes = (report: { plan: { warnings: readonly { code: string }[] } }) =>
  report.plan.warnings.map((w) => w.code).filter((c) => c.startsWith('run.'));

describe('runIdTime and ownerOf', () => {
  it('reads back the start time newRunId wrote, and nothing from a value that is not a run id', () => {
    // Prepare
    const at = Date.parse('2026-11-25T17:03:12Z');

    // Act
    const read = runIdTime(newRunId(at));

    // Assess
    expect(read).toBe(at);
    for (const value of [
      'yes',
      'true',
      'ops-team',
      '2026-11-25',
      '20261125T170312Z',
      '20261325T170312Z-3f9a2c',
      '',
    ])
      expect(runIdTime(value)).toBeUndefined();
  });

  it('tells a crashed run (one of the same second too) from this run, a later run and a hand-put value', () => {
    // Prepare
    const me = runIdAt(0);

    // Act
    const owners = [runIdAt(-60), me, runIdAt(0).replace(/-.*/, '-abcdef'), runIdAt(5), 'yes'].map((v) =>
      ownerOf(v, me),
    );

    // Assess
    expect(owners).toEqual(['crashed', 'own', 'crashed', 'live', 'foreign']);
  });
});

describe('crash recovery and the tags it does not trust', () => {
  it('never starts an instance whose stopped-by was put there by hand, and says so with a code', async () => {
    // Prepare
    const ec2 = estate({ state: 'stopped', tags: { [TAG.stoppedBy]: 'yes' } });

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess: snapshotted as the stopped instance it is; never started, the tag left as it was
    expect(ec2.instances.log).not.toContain('start');
    expect(ec2.instances.sim('i-db-1')).toMatchObject({ state: 'stopped', tags: { [TAG.stoppedBy]: 'yes' } });
    expect(report.givenBack).toBeUndefined();
    expect(codes(report)).toEqual(['run.stop-tag-foreign']);
    expect(report.plan.warnings.find((w) => w.code === 'run.stop-tag-foreign')?.message).toContain('i-db-1');
    expect(report.summary.created).toBe(1);
  });

  it('never stops a running instance a person tagged, nor takes a member out of Standby for a hand-put standby-by', async () => {
    // Prepare: db-1 running with a hand-put stopped-by; db-2 in Standby with a hand-put standby-by
    const ec2 = estate(
      { state: 'running', tags: { [TAG.stoppedBy]: 'ops-team' } },
      { tags: { [TAG.standbyBy]: 'me' } },
    );
    ec2.instances.sim('i-db-2').lifecycle = 'Standby';

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess
    expect(ec2.instances.log.filter((l) => !l.startsWith('snapshot'))).toEqual([]);
    expect(ec2.instances.sim('i-db-2')).toMatchObject({
      lifecycle: 'Standby',
      tags: { [TAG.standbyBy]: 'me' },
    });
    expect(report.results.find((r) => r.instanceId === 'i-db-1')).toMatchObject({
      status: 'failed',
      error: { code: 'StopTagForeign' },
    });
    expect(codes(report)).toEqual(['run.stop-tag-foreign', 'run.stop-tag-foreign']);
  });

  it('leaves the tag of a run that started after this one: that run may be working on it', async () => {
    // Prepare: a run that started 5 minutes after this one has db-1 stopped right now
    const live = runIdAt(5);
    const ec2 = estate({ state: 'stopped', tags: { [TAG.stoppedBy]: live } });

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess
    expect(ec2.instances.log).not.toContain('start');
    expect(ec2.instances.sim('i-db-1')).toMatchObject({ state: 'stopped', tags: { [TAG.stoppedBy]: live } });
    expect(codes(report)).toEqual(['run.stop-tag-live']);
  });

  it('gives back what an earlier invocation of this run left stopped, though the series is no longer due', async () => {
    // Prepare: db-1 carries this run's own tag and its snapshot is taken: an earlier invocation of
    // the same run (a worker killed after the snapshots) stopped it; this one holds the lease now
    const me = runIdAt(0);
    const ec2 = new InMemoryEc2(
      fleet()
        .instance('db-1', { state: 'stopped', tags: { [TAG.stoppedBy]: me } })
        .volume({ device: '/dev/xvda' })
        .snapshots(series('db', [STOP_NOW - 60_000], { tags: { [TAG.runId]: me } }))
        .build(),
    );

    // Act
    const report = await runStops(ec2, config, { runId: me });

    // Assess: nothing planned for db-1, and still it is started and untagged
    expect(report.summary).toMatchObject({ created: 0, failed: 0 });
    expect(report.givenBack).toEqual([{ instanceId: 'i-db-1', done: ['started', 'untagged'] }]);
    expect(ec2.instances.sim('i-db-1').state).toBe('running');
    expect(TAG.stoppedBy in ec2.instances.sim('i-db-1').tags).toBe(false);
    expect(codes(report)).toEqual([]);
  });

  it('gives back the instance of a run that started before this one and is over', async () => {
    // Prepare
    const ec2 = estate({ state: 'stopped', tags: { [TAG.stoppedBy]: newRunId(STOP_NOW - 3_600_000) } });

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess
    expect(report.givenBack).toEqual([{ instanceId: 'i-db-1', done: ['started', 'untagged'] }]);
    expect(codes(report)).toEqual([]);
  });
});
