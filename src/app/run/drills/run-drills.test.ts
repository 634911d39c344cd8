import { describe, expect, it } from 'vitest';
import { fleet, series } from '../../../../test/support/builders/fleet.js';
import { DAY, HOUR, MINUTE, policy } from '../../../../test/support/builders/policy.js';
import { memoryExclusive } from '../../../../test/support/fakes/exclusive.js';
import { fakeClock } from '../../../../test/support/fakes/fake-clock.js';
import { InMemoryEc2 } from '../../../../test/support/fakes/in-memory-ec2.js';
import type { Config, DrillSettings } from '../../../core/policy/types.js';
import { hasFailures, planTarget, runTarget } from '../run.js';
import { watchDrills } from './watch.js';

const T0 = Date.parse('2026-06-01T03:00:00Z');
const runAt = (at: number) => `${new Date(at).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z-0000aa`;

function configWith(drill: Partial<DrillSettings> = {}): Config {
  return {
    version: 1,
    settings: { guard: {}, organization: false },
    policies: [
      {
        ...policy({
          id: 'web',
          select: { instances: { 'tag:Role': 'web' } },
          every: '1d',
          retention: { maxAge: '3d', minimum: 1 },
          drill: { every: '30d', ...drill },
        }),
      },
    ],
  };
}

/** One web volume with two snapshots (1 h and 25 h old at T0); a drill host in the same zone. */
function estate() {
  return fleet()
    .instance('web-1', { tags: { Role: 'web' }, az: 'eu-west-1a' })
    .volume({ id: 'vol-0a', az: 'eu-west-1a', size: 20 })
    .snapshots(series('web', [T0 - HOUR, T0 - 25 * HOUR], { sizeGiB: 20 }))
    .instance('host-1', { tags: { Role: 'drill-host' }, az: 'eu-west-1a' })
    .build();
}

/** runTarget as the CLI runs it, at `at` (a fake clock starting there). */
async function runAt_(ec2: InMemoryEc2, config: Config, at: number) {
  const clock = fakeClock(at);
  return runTarget(ec2, config, {
    now: at,
    runId: runAt(at),
    exclusive: memoryExclusive().exclusive,
    pollMs: 5_000,
    ...clock,
  });
}

const drillTags = (ec2: InMemoryEc2, id: string) => {
  const tags = ec2.listSnapshots().find((s) => s.id === id)?.tags ?? {};
  return Object.fromEntries(Object.entries(tags).filter(([k]) => k.includes('drill')));
};

describe('restore drills in runs', () => {
  it('starts a drill in one run (the volume tagged at creation) and finishes it in the next', async () => {
    // Prepare
    const inventory = estate();
    const ec2 = new InMemoryEc2(inventory, () => T0);
    const config = configWith();
    const newest = inventory.snapshots.find((s) => s.startTime === T0 - HOUR)!.id;

    // Act
    const first = await runAt_(ec2, config, T0);
    const made = ec2.volumes.listed();
    const second = await runAt_(ec2, config, T0 + HOUR);

    // Assess
    expect(first.drills).toEqual([expect.objectContaining({ status: 'started', snapshotId: newest })]);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({
      snapshotId: newest,
      availabilityZone: 'eu-west-1a',
      sizeGiB: 20,
      type: 'gp3',
      tags: expect.objectContaining({
        'ebs-snapper:drill-of': newest,
        'ebs-snapper:policy': 'web',
        'ebs-snapper:run-id': runAt(T0),
        'ebs-snapper:drill-started': new Date(T0).toISOString(),
        'ebs-snapper:drill-step': 'creating',
      }),
    });
    expect(second.drills).toEqual([expect.objectContaining({ status: 'passed', restoreSeconds: 3600 })]);
    expect(ec2.volumes.alive).toEqual([]);
    expect(drillTags(ec2, newest)).toEqual({
      'ebs-snapper:drill-result': 'passed',
      'ebs-snapper:drill-at': new Date(T0 + HOUR).toISOString(),
      'ebs-snapper:drill-detail': 'available ≤3600s',
      'ebs-snapper:drill-volume': made[0]!.id,
    });
    expect(hasFailures(second)).toBe(false);
  });

  it('waits for every block to be read with check: initialized, recording both times', async () => {
    // Prepare: initialization takes two more looks after available
    const ec2 = new InMemoryEc2(estate(), () => T0);
    ec2.volumes.behaviourOf = () => ({ initializedAfter: 2 });
    const config = configWith({ check: 'initialized' });

    // Act
    await runAt_(ec2, config, T0);
    const looks = [];
    for (let i = 1; i <= 3; i++) looks.push(await runAt_(ec2, config, T0 + i * 10 * MINUTE));

    // Assess
    expect(looks.map((r) => r.drills?.[0]?.status)).toEqual(['in-flight', 'in-flight', 'passed']);
    expect(looks[2]!.drills?.[0]?.detail).toBe('available ≤600s initialized ≤1800s');
    expect(looks[2]!.drills?.[0]?.restoreSeconds).toBe(1800);
  });

  it('fails a volume that never becomes available at its timeout, deletes it, and fails the run', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(estate(), () => T0);
    ec2.volumes.behaviourOf = () => ({ availableAfter: Number.POSITIVE_INFINITY });
    const config = configWith({ timeoutMs: HOUR });

    // Act
    await runAt_(ec2, config, T0);
    const before = await runAt_(ec2, config, T0 + 30 * MINUTE);
    const after = await runAt_(ec2, config, T0 + 61 * MINUTE);

    // Assess
    expect(before.drills?.[0]).toMatchObject({ status: 'in-flight', step: 'creating' });
    expect(after.drills?.[0]).toMatchObject({
      status: 'failed',
      error: { code: 'drill.timeout' },
      detail: 'timeout 3600s: still creating',
    });
    expect(ec2.volumes.alive).toEqual([]);
    expect(ec2.volumes.results.map((r) => r.result)).toEqual(['failed']);
    expect(hasFailures(after)).toBe(true);
    expect(after.results).toContainEqual(expect.objectContaining({ action: 'drill', status: 'failed' }));
  });

  it('ssm: attaches to the host, runs the commands, detaches, records passed and deletes', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(estate(), () => T0);
    ec2.ssm.manage(['i-host-1']).endWith('i-host-1', [{ status: 'Success', looks: 2 }]);
    const config = configWith({
      check: 'ssm',
      host: { tags: { Role: 'drill-host' } },
      commands: ['fsck -n "$DRILL_DEVICE"'],
    });

    // Act
    await runAt_(ec2, config, T0);
    const second = await runAt_(ec2, config, T0 + HOUR);

    // Assess
    expect(second.drills?.[0]).toMatchObject({ status: 'passed' });
    expect(second.drills?.[0]?.detail).toMatch(/^available ≤3600s initialized ≤3600s ssm exit 0 \d+s$/);
    expect(ec2.ssm.sent).toHaveLength(1);
    expect(ec2.ssm.sent[0]).toMatchObject({ instanceId: 'i-host-1', documentName: 'AWS-RunShellScript' });
    expect(ec2.ssm.sent[0]!.parameters.commands!.at(-1)).toBe('fsck -n "$DRILL_DEVICE"');
    expect(ec2.volumes.calls).toEqual(
      expect.arrayContaining(['AttachVolume', 'DetachVolume', 'DeleteVolume', 'CreateTags(snapshot)']),
    );
    expect(ec2.volumes.alive).toEqual([]);
  });

  it('ssm: a failing command fails the drill with its exit code in the detail', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(estate(), () => T0);
    ec2.ssm
      .manage(['i-host-1'])
      .endWith('i-host-1', [{ status: 'Failed', exitCode: 8, stderr: 'bad superblock\n' }]);
    const config = configWith({
      check: 'ssm',
      host: { instanceId: 'i-host-1' },
      commands: ['fsck -n "$DRILL_DEVICE"'],
    });

    // Act
    await runAt_(ec2, config, T0);
    const second = await runAt_(ec2, config, T0 + HOUR);

    // Assess
    expect(second.drills?.[0]).toMatchObject({ status: 'failed', error: { code: 'drill.ssm' } });
    expect(second.drills?.[0]?.detail).toMatch(/ssm exit 8 \d+s: bad superblock$/);
    expect(ec2.volumes.alive).toEqual([]);
    expect(hasFailures(second)).toBe(true);
  });

  it('ssm: starts no drill when the host is not reachable by SSM, and says so', async () => {
    // Prepare: the host runs, but has no SSM agent online
    const ec2 = new InMemoryEc2(estate(), () => T0);
    const config = configWith({ check: 'ssm', host: { instanceId: 'i-host-1' }, commands: ['true'] });

    // Act
    const run = await runAt_(ec2, config, T0);

    // Assess
    expect(run.drills?.[0]).toMatchObject({ status: 'not-started', error: { code: 'drill.no-host' } });
    expect(ec2.volumes.made).toEqual([]);
    expect(hasFailures(run)).toBe(true);
  });

  it('keeps the snapshot under drill when retention expires it meanwhile, deletes it once the drill ended', async () => {
    // Prepare: the initialization takes long; max_age 3 days passes for the drilled snapshot
    const ec2 = new InMemoryEc2(estate(), () => T0);
    ec2.volumes.behaviourOf = () => ({ initializedAfter: 3 });
    const config = configWith({ check: 'initialized', timeoutMs: 7 * DAY });
    const drilled = ec2.listSnapshots().find((s) => s.startTime === T0 - HOUR)!.id;

    // Act
    await runAt_(ec2, config, T0);
    const later = await runAt_(ec2, config, T0 + 4 * DAY);

    // Assess: kept while in flight, though newer snapshots now fill the minimum
    const action = later.plan.actions.find(
      (a) => a.action !== 'drill' && 'snapshotId' in a && a.snapshotId === drilled,
    );
    expect(action).toMatchObject({ action: 'keep', reason: { code: 'protected.drill' } });
    expect(ec2.listSnapshots().some((s) => s.id === drilled)).toBe(true);
  });

  it('records a result once: a volume whose result is on the snapshot is only deleted', async () => {
    // Prepare: the first delete is refused, so the volume outlives its recorded result
    const ec2 = new InMemoryEc2(estate(), () => T0);
    ec2.volumes.behaviourOf = () => ({ deleteRefusals: 1 });
    const config = configWith();

    // Act
    await runAt_(ec2, config, T0);
    const second = await runAt_(ec2, config, T0 + HOUR);
    const third = await runAt_(ec2, config, T0 + 2 * HOUR);

    // Assess
    expect(second.drills?.[0]).toMatchObject({ status: 'passed', trouble: { code: 'IncorrectState' } });
    expect(hasFailures(second)).toBe(true);
    expect(third.drills?.[0]).toMatchObject({ status: 'cleaned' });
    expect(ec2.volumes.results).toHaveLength(1);
    expect(ec2.volumes.alive).toEqual([]);
    expect(hasFailures(third)).toBe(false);
  });

  it('at the deadline starts no drill and looks at none, and fails nothing: the next run goes on', async () => {
    // Prepare: a drill in flight, another series due; the deadline has come by the time drills run
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' }, az: 'eu-west-1a' })
      .volume({ id: 'vol-0a', az: 'eu-west-1a' })
      .snapshots(series('web', [T0 - HOUR]))
      .instance('web-2', { tags: { Role: 'web' }, az: 'eu-west-1a' })
      .volume({ id: 'vol-0b', az: 'eu-west-1a' })
      .snapshots(series('web', [T0 - HOUR]))
      .drillVolume({ of: 'snap-0002', policy: 'web', runId: runAt(T0 - HOUR), startedAt: T0 - HOUR })
      .build();
    const ec2 = new InMemoryEc2(inventory, () => T0);
    const config = configWith({ sample: 2 });

    // Act
    const report = await runTarget(ec2, config, {
      now: T0,
      runId: runAt(T0),
      exclusive: memoryExclusive().exclusive,
      deadline: T0,
      ...fakeClock(T0),
    });

    // Assess
    expect(report.drills?.map((d) => d.status)).toEqual(['in-flight', 'deferred']);
    expect(ec2.volumes.calls).toEqual([]);
    expect(report.deadlineReached).toBe(true);
    expect(hasFailures(report)).toBe(false);
  });

  it('spends no call of its own on drills still being created: the inventory listed them', async () => {
    // Prepare: a drill in flight, still creating
    const ec2 = new InMemoryEc2(estate(), () => T0);
    ec2.volumes.behaviourOf = () => ({ availableAfter: Number.POSITIVE_INFINITY });
    const config = configWith();
    await runAt_(ec2, config, T0);
    ec2.volumes.calls.length = 0;

    // Act
    await runAt_(ec2, config, T0 + 10 * MINUTE);

    // Assess
    expect(ec2.volumes.calls).toEqual([]);
  });
});

describe('ebs-snapper drill: watching drills to their end', () => {
  it('starts a drill though none is due and stays with it, timing each step exactly', async () => {
    // Prepare: passed yesterday (not due); initialization takes three looks
    const inventory = estate();
    const ec2 = new InMemoryEc2(inventory, () => T0);
    ec2.volumes.behaviourOf = () => ({ availableAfter: 1, initializedAfter: 2 });
    const config = configWith({ check: 'initialized' });
    const clock = fakeClock(T0);
    const { inventory: listed, plan } = await planTarget(ec2, config, {
      now: T0,
      runId: runAt(T0),
      drills: { force: true },
    });
    const events: string[] = [];

    // Act
    const outcomes = await watchDrills(ec2, config, plan, listed, {
      now: T0,
      runId: runAt(T0),
      pollMs: 2_000,
      start: true,
      onEvent: (e) => events.push(e.what),
      ...clock,
    });

    // Assess
    expect(outcomes).toEqual([
      expect.objectContaining({
        status: 'passed',
        detail: 'available 3s initialized 15s',
        restoreSeconds: 15,
      }),
    ]);
    expect(events[0]).toMatch(/^started in eu-west-1a/);
    expect(events.at(-1)).toMatch(/deleted$/);
    expect(ec2.volumes.alive).toEqual([]);
  });

  it('leaves a drill in flight at the deadline, for a later run', async () => {
    // Prepare: never available
    const ec2 = new InMemoryEc2(estate(), () => T0);
    ec2.volumes.behaviourOf = () => ({ availableAfter: Number.POSITIVE_INFINITY });
    const config = configWith();
    const clock = fakeClock(T0);
    const { inventory, plan } = await planTarget(ec2, config, {
      now: T0,
      runId: runAt(T0),
      drills: { force: true },
    });

    // Act
    const outcomes = await watchDrills(ec2, config, plan, inventory, {
      now: T0,
      runId: runAt(T0),
      pollMs: 2_000,
      start: true,
      deadline: T0 + 5 * MINUTE,
      ...clock,
    });

    // Assess
    expect(outcomes).toEqual([expect.objectContaining({ status: 'in-flight', step: 'creating' })]);
    expect(ec2.volumes.alive).toHaveLength(1);
  });
});
