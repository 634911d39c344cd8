import { describe, expect, it } from 'vitest';
import { fleet, series, spaced } from '../../../test/support/builders/fleet.js';
import { actionFor, drills } from '../../../test/support/builders/plan-queries.js';
import { DAY, HOUR, policy } from '../../../test/support/builders/policy.js';
import { planSnapshots } from '../plan.js';
import { DRILL_TAG } from './tags.js';

const now = Date.parse('2026-05-10T12:00:00Z');
const RUN = '20260510T120000Z-00aa11';
const web = policy({
  id: 'web',
  select: { instances: { 'tag:Role': 'web' } },
  every: '1d',
  retention: { maxAge: '3d' },
  drill: { every: '30d' },
});
const drilled = (result: 'passed' | 'failed', at: number) => ({
  [DRILL_TAG.result]: result,
  [DRILL_TAG.at]: new Date(at).toISOString(),
});

/** `count` web instances, each with one volume and three daily snapshots (the newest 1 h old). */
function webFleet(count: number, extra: (i: number) => Record<string, string> = () => ({})) {
  const builder = fleet();
  for (let i = 1; i <= count; i++) {
    builder
      .instance(`web-${i}`, { tags: { Role: 'web' }, az: 'eu-west-1b' })
      .volume({ az: 'eu-west-1b', size: 100 })
      .snapshots(series('web', spaced(3, DAY, { from: now - HOUR }), { tags: extra(i), sizeGiB: 100 }));
  }
  return builder;
}

describe('planSnapshots: restore drills', () => {
  it('drills the newest kept snapshot of a never-drilled series, in the source volume’s zone, with its cost', () => {
    // Prepare
    const inventory = webFleet(1).build();

    // Act
    const plan = planSnapshots(inventory, [web], { now, runId: RUN });

    // Assess
    const newest = inventory.snapshots.find((s) => s.startTime === now - HOUR)!;
    expect(drills(plan)).toEqual([
      expect.objectContaining({
        action: 'drill',
        policy: 'web',
        volumeId: 'vol-0001',
        snapshotId: newest.id,
        check: 'available',
        availabilityZone: 'eu-west-1b',
        sizeGiB: 100,
        volumeType: 'gp3',
        timeoutMs: 2 * HOUR,
        reason: expect.objectContaining({ code: 'drill.first' }),
      }),
    ]);
    // 100 GiB of gp3 for the 2-hour timeout: 100 × 0.08 × 2 / 730
    expect(drills(plan)[0]!.estimatedCostUsd).toBeCloseTo((100 * 0.08 * 2) / 730, 6);
    expect(plan.summary.drill).toBe(1);
  });

  it('starts no drill for a series whose last passed drill is younger than every, and one when it failed', () => {
    // Prepare: vol 1 passed a day ago; vol 2 failed a day ago
    const inventory = webFleet(2, (i) => drilled(i === 1 ? 'passed' : 'failed', now - DAY)).build();

    // Act
    const plan = planSnapshots(inventory, [{ ...web, drill: { ...web.drill!, sample: 2 } }], {
      now,
      runId: RUN,
    });

    // Assess
    expect(drills(plan).map((d) => [d.volumeId, d.reason.code])).toEqual([['vol-0005', 'drill.due']]);
  });

  it('samples `sample` series: never drilled first, then the least recently drilled', () => {
    // Prepare: vol 1 drilled 40 days ago, vol 2 never, vol 3 drilled 50 days ago
    const at: Record<number, number | undefined> = { 1: now - 40 * DAY, 2: undefined, 3: now - 50 * DAY };
    const inventory = webFleet(3, (i) => (at[i] === undefined ? {} : drilled('passed', at[i]!))).build();
    const two = { ...web, drill: { ...web.drill!, sample: 2 } };

    // Act
    const plan = planSnapshots(inventory, [two], { now, runId: RUN });

    // Assess
    expect(drills(plan).map((d) => d.volumeId)).toEqual(['vol-0005', 'vol-0009']);
  });

  it('chooses among equals by the run id: the same run id always, another run id may differ', () => {
    // Prepare: 8 never-drilled series, one drill per run
    const inventory = webFleet(8).build();

    // Act
    const pick = (runId: string) => drills(planSnapshots(inventory, [web], { now, runId }))[0]!.volumeId;
    const runs = Array.from({ length: 12 }, (_, i) => `20260510T1200${String(i).padStart(2, '0')}Z-00aa11`);

    // Assess
    expect(pick(RUN)).toBe(pick(RUN));
    expect(new Set(runs.map(pick)).size).toBeGreaterThan(1);
  });

  it('never drills a snapshot retention deletes, a pending one or one in the archive', () => {
    // Prepare: the newest is pending, the next archived, the oldest expired (max_age 3 days)
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume({ az: 'eu-west-1a' })
      .snapshots(series('web', [now - HOUR], { state: 'pending' }))
      .snapshots(series('web', [now - DAY], { storageTier: 'archive', archivedAt: now - DAY }))
      .snapshots(series('web', [now - 2 * DAY]))
      .snapshots(series('web', [now - 10 * DAY]))
      .build();

    // Act
    const plan = planSnapshots(inventory, [web], { now, runId: RUN });

    // Assess
    const kept = inventory.snapshots.find((s) => s.startTime === now - 2 * DAY)!;
    expect(drills(plan).map((d) => d.snapshotId)).toEqual([kept.id]);
  });

  it('keeps a snapshot under drill that retention would delete (protected.drill), and starts no second drill', () => {
    // Prepare: the oldest snapshot (10 days, past max_age) is being drilled
    const inventory = webFleet(1)
      .snapshot({
        id: 'snap-0a1d',
        startTime: now - 10 * DAY,
        volumeId: 'vol-0001',
        tags: { 'ebs-snapper:policy': 'web', 'ebs-snapper:volume-id': 'vol-0001' },
      })
      .drillVolume({
        of: 'snap-0a1d',
        policy: 'web',
        runId: '20260510T000000Z-00bb22',
        startedAt: now - HOUR,
      })
      .build();

    // Act
    const plan = planSnapshots(inventory, [web], { now, runId: RUN });

    // Assess
    expect(actionFor(plan, 'snap-0a1d')).toMatchObject({
      action: 'keep',
      reason: { code: 'protected.drill' },
    });
    expect(drills(plan)).toEqual([]);
    expect(plan.warnings).toEqual([]);
  });

  it('leaves to it a drill of a run that started after this one, still protecting its snapshot', () => {
    // Prepare: a later run (another host, or the deployed worker) has a drill in flight
    const inventory = webFleet(1)
      .snapshot({
        id: 'snap-0a1d',
        startTime: now - 10 * DAY,
        volumeId: 'vol-0001',
        tags: { 'ebs-snapper:policy': 'web', 'ebs-snapper:volume-id': 'vol-0001' },
      })
      .drillVolume({ of: 'snap-0a1d', policy: 'web', runId: '20260510T130000Z-00cc33', startedAt: now })
      .build();

    // Act
    const plan = planSnapshots(inventory, [web], { now, runId: RUN });

    // Assess
    expect(actionFor(plan, 'snap-0a1d')).toMatchObject({ reason: { code: 'protected.drill' } });
    expect(drills(plan)).toEqual([]);
    expect(plan.warnings.map((w) => w.code)).toEqual(['drill.volume-live']);
  });

  it('never selects a drill volume attached to a selected instance', () => {
    // Prepare: the drill host is itself a web instance
    const inventory = webFleet(1)
      .drillVolume({
        of: 'snap-0002',
        policy: 'web',
        runId: '20260510T000000Z-00bb22',
        startedAt: now - HOUR,
        attachedTo: 'i-web-1',
      })
      .build();

    // Act
    const { drill: _none, ...plain } = web;
    const plan = planSnapshots(inventory, [plain], { now, runId: RUN });

    // Assess
    expect(plan.actions.filter((a) => a.volumeId === 'vol-0005')).toEqual([]);
  });

  it('leaves alone a volume tagged drill-of by hand: no protection, a warning with a code', () => {
    // Prepare: a person's volume, restored from another snapshot, tagged with the tool's drill tags
    const inventory = webFleet(1)
      .snapshot({
        id: 'snap-0a1d',
        startTime: now - 10 * DAY,
        volumeId: 'vol-0001',
        tags: { 'ebs-snapper:policy': 'web', 'ebs-snapper:volume-id': 'vol-0001' },
      })
      .drillVolume({
        of: 'snap-0a1d',
        createdFrom: 'snap-0fff',
        policy: 'web',
        runId: '20260510T000000Z-00bb22',
        startedAt: now - HOUR,
      })
      .build();

    // Act
    const plan = planSnapshots(inventory, [web], { now, runId: RUN });

    // Assess
    expect(actionFor(plan, 'snap-0a1d')).toMatchObject({ action: 'delete' });
    expect(plan.warnings.map((w) => w.code)).toEqual(['drill.volume-foreign']);
  });

  it('drills with check ssm on a running host with the tags, in its zone; warns when there is none', () => {
    // Prepare
    const ssm = {
      ...web,
      drill: {
        ...web.drill!,
        check: 'ssm' as const,
        host: { tags: { Role: 'drill-host' } },
        commands: ['true'],
      },
    };
    const withHost = webFleet(1)
      .instance('host-1', { tags: { Role: 'drill-host' }, az: 'eu-west-1c' })
      .build();
    const stopped = webFleet(1)
      .instance('host-1', { tags: { Role: 'drill-host' }, az: 'eu-west-1c', state: 'stopped' })
      .build();

    // Act
    const plan = planSnapshots(withHost, [ssm], { now, runId: RUN });
    const none = planSnapshots(stopped, [ssm], { now, runId: RUN });

    // Assess
    expect(drills(plan)[0]).toMatchObject({ hostId: 'i-host-1', availabilityZone: 'eu-west-1c' });
    expect(drills(none)[0]?.hostId).toBeUndefined();
    expect(none.warnings.map((w) => w.code)).toEqual(['drill.no-host']);
  });

  it('ebs-snapper drill: starts one now though none is due, or the very snapshot asked for', () => {
    // Prepare: passed an hour ago
    const inventory = webFleet(1, () => drilled('passed', now - HOUR)).build();
    const oldest = inventory.snapshots.find((s) => s.startTime === now - HOUR - 2 * DAY)!;

    // Act
    const forced = planSnapshots(inventory, [web], { now, runId: RUN, drills: { force: true } });
    const one = planSnapshots(inventory, [web], { now, runId: RUN, drills: { snapshotId: oldest.id } });

    // Assess
    expect(drills(forced).map((d) => d.reason.code)).toEqual(['drill.requested']);
    expect(drills(one).map((d) => d.snapshotId)).toEqual([oldest.id]);
  });
});
