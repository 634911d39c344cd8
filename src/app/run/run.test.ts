import { beforeEach, describe, expect, it } from 'vitest';
import { daily, fleet, series } from '../../../test/support/builders/fleet.js';
import { DAY, policy } from '../../../test/support/builders/policy.js';
import {
  type MemoryExclusive,
  memoryExclusive,
  TargetHeldError,
} from '../../../test/support/fakes/exclusive.js';
import { fakeClock } from '../../../test/support/fakes/fake-clock.js';
import { InMemoryEc2 } from '../../../test/support/fakes/in-memory-ec2.js';
import type { Config } from '../../core/policy/types.js';
import type { ActionResult } from './results.js';
import { hasFailures, newRunId, planTarget, runTarget, summarizeResults } from './run.js';

const NOW = 100 * DAY;
const RUN = '19700411T000000Z-000001';

/** Two volumes, each with four daily snapshots, the newest two days old: both due, two expired each. */
const estate = () =>
  fleet()
    .instance('web-1', { tags: { Role: 'web' } })
    .volume({ id: 'vol-a', device: '/dev/xvda' })
    .snapshots(series('daily', daily(4, { from: NOW - 2 * DAY })))
    .volume({ id: 'vol-b', device: '/dev/xvdf' })
    .snapshots(series('daily', daily(4, { from: NOW - 2 * DAY })))
    .build();

const config: Config = {
  version: 1,
  settings: { guard: {}, organization: false },
  policies: [
    policy({
      id: 'daily',
      select: { instances: { 'tag:Role': 'web' } },
      every: '1d',
      retention: { maxAge: '4d', minimum: 1 },
    }),
  ],
};

let targets: MemoryExclusive;
beforeEach(() => {
  targets = memoryExclusive();
});

const options = (extra: Partial<Parameters<typeof runTarget>[2]> = {}) => ({
  now: NOW,
  runId: RUN,
  exclusive: targets.exclusive,
  ...fakeClock(NOW),
  ...extra,
});

describe('runTarget', () => {
  it('collects, plans and applies under the lock, then nothing is left to do', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(estate(), () => NOW);

    // Act
    const report = await runTarget(ec2, config, options());
    const again = await planTarget(ec2, config, { now: NOW, runId: 'next' });

    // Assess
    expect(report.summary).toEqual({ created: 2, copied: 0, deleted: 4, failed: 0, deferred: 0, skipped: 0 });
    expect(report.plan.runId).toBe(RUN);
    expect(report.dryRun).toBe(false);
    expect(hasFailures(report)).toBe(false);
    expect(targets.taken).toEqual([`${ec2.account}-${ec2.region}`]);
    expect(again.plan.summary).toMatchObject({ create: 0, delete: 0 });
  });

  it('hands over the plan before anything is applied, then every result as it lands', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(estate(), () => NOW);
    const events: string[] = [];

    // Act
    const report = await runTarget(
      ec2,
      config,
      options({
        onPlan: (plan) => events.push(`plan ${plan.summary.create}+${plan.summary.delete}`),
        onResult: (result) => events.push(`${result.action} ${result.status}`),
      }),
    );

    // Assess
    expect(events[0]).toBe('plan 2+4');
    expect(events.slice(1).sort()).toEqual(report.results.map((r) => `${r.action} ${r.status}`).sort());
    expect(events).toHaveLength(1 + 6);
  });

  it('applies only the creates with only=snapshot, and only the deletes with only=clean', async () => {
    // Prepare
    const snapshotEc2 = new InMemoryEc2(estate());
    const cleanEc2 = new InMemoryEc2(estate());

    // Act
    const snapshot = await runTarget(snapshotEc2, config, options({ only: 'snapshot' }));
    const clean = await runTarget(cleanEc2, config, options({ only: 'clean' }));

    // Assess
    expect(snapshot.summary).toMatchObject({ created: 2, deleted: 0 });
    expect(snapshotEc2.count('deleteSnapshot')).toBe(0);
    expect(snapshot.only).toBe('snapshot');
    expect(clean.summary).toMatchObject({ created: 0, deleted: 4 });
    expect(cleanEc2.count('createSnapshot')).toBe(0);
  });

  it('changes nothing and takes no lock on a dry run', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(estate());

    // Act
    const report = await runTarget(ec2, config, options({ dryRun: true }));

    // Assess
    expect(ec2.calls.map((c) => c.operation)).toEqual(['collectInventory']);
    expect(report.results).toEqual([]);
    expect(report.plan.summary).toMatchObject({ create: 2, delete: 4 });
    expect(targets.taken).toEqual([]);
  });

  it('refuses to start while another run holds the account × region', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(estate());
    targets.hold(`${ec2.account}-${ec2.region}`);

    // Act
    const attempt = runTarget(ec2, config, options());

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(TargetHeldError);
    expect(ec2.calls).toEqual([]);
  });

  it('lets --max-deletes override the guard; a tripped guard fails the run unless it only snapshots', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(estate());

    // Act
    const guarded = await runTarget(ec2, config, options({ maxDeletes: 1, runId: 'guarded' }));
    const snapshotOnly = await runTarget(
      new InMemoryEc2(estate()),
      config,
      options({ maxDeletes: 1, only: 'snapshot' }),
    );

    // Assess
    expect(guarded.plan.guard).toMatchObject({ tripped: true, limit: 1, wanted: 4 });
    expect(ec2.count('deleteSnapshot')).toBe(0);
    expect(guarded.summary.created).toBe(2);
    expect(hasFailures(guarded)).toBe(true);
    expect(hasFailures(snapshotOnly)).toBe(false);
  });

  it('reports collection progress, then apply progress', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(estate());
    const seen: string[] = [];

    // Act
    await runTarget(
      ec2,
      config,
      options({ onProgress: (e) => seen.push('resource' in e ? 'collect' : `${e.done}/${e.total}`) }),
    );

    // Assess
    expect(seen.at(-1)).toBe('6/6');
  });
});

describe('planTarget', () => {
  it('asks only for the configured policies’ snapshots: another policy’s and hand-made ones never reach the plan', async () => {
    // Prepare
    const inventory = fleet()
      .instance('web-1', { tags: { Role: 'web' } })
      .volume({ id: 'vol-a' })
      .snapshots(series('daily', daily(2, { from: NOW - DAY })))
      .snapshots(series('retired', daily(2, { from: NOW - DAY })))
      .snapshot({ startTime: NOW - DAY, volumeId: 'vol-a' })
      .build();
    const ec2 = new InMemoryEc2(inventory);

    // Act
    const { plan } = await planTarget(ec2, config, { now: NOW, runId: RUN });

    // Assess
    expect(ec2.calls[0]?.request).toMatchObject({ policyIds: ['daily'] });
    const judged = plan.actions.flatMap((a) => ('snapshotId' in a ? [a.snapshotId] : []));
    expect(judged.sort()).toEqual(inventory.snapshots.slice(0, 2).map((s) => s.id));
    expect(plan.warnings.map((w) => w.code)).not.toContain('plan.unknown-policy');
  });
});

describe('summarizeResults and hasFailures', () => {
  it('counts each outcome, and a failed action fails the run', () => {
    // Prepare
    const result = (action: 'create' | 'delete', status: ActionResult['status']): ActionResult => ({
      action,
      status,
      policy: 'p',
      account: 'a',
      region: 'r',
    });
    const results = [
      result('create', 'done'),
      result('create', 'deferred'),
      result('delete', 'done'),
      result('delete', 'done'),
      result('delete', 'skipped'),
      result('delete', 'failed'),
    ];

    // Act
    const summary = summarizeResults(results);

    // Assess
    expect(summary).toEqual({ created: 1, copied: 0, deleted: 2, failed: 1, deferred: 1, skipped: 1 });
    const plan = { guard: undefined } as unknown as Parameters<typeof hasFailures>[0]['plan'];
    expect(hasFailures({ plan, results, summary, deadlineReached: false, dryRun: false })).toBe(true);
    expect(
      hasFailures({ plan, results: results.slice(0, 5), summary, deadlineReached: false, dryRun: false }),
    ).toBe(false);
  });
});

describe('newRunId', () => {
  it('is the UTC time, sortable, with six random hex digits', () => {
    // Prepare
    const at = Date.parse('2026-11-25T17:03:12.345Z');

    // Act
    const ids = [newRunId(at, () => 0.25), newRunId(at + 1000, () => 0), newRunId(at, () => 0.999999999)];

    // Assess
    expect(ids).toEqual(['20261125T170312Z-400000', '20261125T170313Z-000000', '20261125T170312Z-ffffff']);
    expect(ids[0]! < ids[1]!).toBe(true);
  });
});
