import { describe, expect, it } from 'vitest';
import { applyPlanInMemory } from '../../test/support/builders/apply-in-memory.js';
import { fleet, series } from '../../test/support/builders/fleet.js';
import { creates } from '../../test/support/builders/plan-queries.js';
import { DAY, HOUR, MINUTE, policy } from '../../test/support/builders/policy.js';
import type { Inventory } from './model.js';
import { planSnapshots } from './plan.js';
import { decideDue, prepareSchedule } from './schedule.js';

const now = Date.parse('2024-05-10T12:00:00Z');
const every12h = policy({
  id: 'p',
  select: { instances: { 'tag:Name': '*' } },
  every: '12h',
  tolerance: '5m',
});

describe('every', () => {
  it.each([
    ['12h ago', now - 12 * HOUR, true],
    ['exactly every − tolerance ago', now - 12 * HOUR + 5 * MINUTE, true],
    ['one second less than every − tolerance ago', now - 12 * HOUR + 5 * MINUTE + 1000, false],
    ['an hour ago', now - HOUR, false],
  ])('newest snapshot %s → due: %s', (_, newest, due) => {
    // Prepare
    const clock = prepareSchedule(every12h.schedule, now);

    // Act
    const decision = decideDue(clock, newest);

    // Assess
    expect(decision.due).toBe(due);
    expect(decision.reason.code).toBe(due ? 'due.interval' : 'not-due');
  });

  it('says when a series that is not due will be', () => {
    // Prepare
    const clock = prepareSchedule(every12h.schedule, now);

    // Act
    const decision = decideDue(clock, now - HOUR);

    // Assess
    expect(decision.reason.message).toContain('next due 2024-05-10T22:55:00.000Z');
  });

  it('does not count error snapshots as the newest', () => {
    // Prepare
    const inventory = fleet()
      .instance('a')
      .volume()
      .snapshots(series('p', [now - 13 * HOUR]))
      .snapshots(series('p', [now - HOUR], { state: 'error' }))
      .build();

    // Act
    const plan = planSnapshots(inventory, [every12h], { now, runId: 'r' });

    // Assess
    expect(creates(plan).map((c) => c.reason.code)).toEqual(['due.interval']);
  });
});

describe('cron', () => {
  const at3 = policy({
    id: 'p',
    select: { instances: { 'tag:Name': '*' } },
    cron: '0 3 * * *',
    timezone: 'Europe/Berlin',
  });

  it('is due when the latest slot at or before now has no snapshot', () => {
    // Prepare: 03:00 CEST is 01:00 UTC
    const slot = Date.parse('2024-05-10T01:00:00Z');
    const clock = prepareSchedule(at3.schedule, slot);

    // Act
    const decision = decideDue(clock, slot - 24 * HOUR);

    // Assess
    expect(clock.latestSlot).toBe(slot);
    expect(decision).toMatchObject({ due: true, reason: { code: 'due.cron' } });
  });

  it('catches a missed slot up once, not once per missed slot', () => {
    // Prepare: the last snapshot is three days old
    const clock = prepareSchedule(at3.schedule, now);
    const first = decideDue(clock, now - 72 * HOUR);

    // Act: after that one catch-up snapshot
    const second = decideDue(clock, now);

    // Assess
    expect(first.due).toBe(true);
    expect(second).toMatchObject({ due: false, nextDue: Date.parse('2024-05-11T01:00:00Z') });
  });

  it('counts a snapshot taken up to `tolerance` before a slot for that slot', () => {
    // Prepare
    const slot = Date.parse('2024-05-10T01:00:00Z');
    const clock = prepareSchedule(at3.schedule, slot + MINUTE);

    // Act
    const decision = decideDue(clock, slot - 2 * MINUTE);

    // Assess
    expect(decision.due).toBe(false);
  });

  it('reports a pattern it cannot evaluate and is then never due', () => {
    // Prepare
    const bad = { ...at3.schedule, timezone: 'Mars/Olympus' };

    // Act
    const clock = prepareSchedule(bad, now);

    // Assess
    expect(clock.problem).toContain('Mars/Olympus');
    expect(decideDue(clock, undefined).due).toBe(false);
  });

  it.each([
    ['spring forward', '2024-03-29T00:00:00Z', ['2024-03-29', '2024-03-30', '2024-03-31', '2024-04-01']],
    ['fall back', '2024-10-25T00:00:00Z', ['2024-10-25', '2024-10-26', '2024-10-27', '2024-10-28']],
  ])('takes exactly one snapshot per day across the Europe/Berlin %s', (_, start, days) => {
    // Prepare: runs every 5 minutes for 4 days, each applying its plan
    const daily = (cron: string) =>
      policy({ id: 'p', select: { instances: { 'tag:Name': '*' } }, cron, timezone: 'Europe/Berlin' });
    const policies = [daily('0 3 * * *')];
    const first = Date.parse(start);
    let inventory: Inventory = fleet()
      .instance('a')
      .volume()
      .snapshots(series('p', [first - HOUR]))
      .build();

    // Act
    for (let t = first; t < first + 4 * 24 * HOUR; t += 5 * MINUTE) {
      inventory = applyPlanInMemory(
        inventory,
        planSnapshots(inventory, policies, { now: t, runId: `r-${t}` }),
      );
    }

    // Assess: one per local day, each at 03:00 local time
    const made = inventory.snapshots.filter((s) => s.state === 'pending').map((s) => s.startTime);
    expect(made.map(berlinTime)).toEqual(days.map((d) => `${d} 03:00`));
  });

  it('takes one snapshot on the day 02:30 does not exist and one on the day it exists twice', () => {
    // Prepare
    const p = policy({
      id: 'p',
      select: { instances: { 'tag:Name': '*' } },
      cron: '30 2 * * *',
      timezone: 'Europe/Berlin',
    });
    const runs = (from: string) => {
      const start = Date.parse(from);
      let inventory: Inventory = fleet()
        .instance('a')
        .volume()
        .snapshots(series('p', [start - HOUR]))
        .build();
      for (let t = start; t < start + 24 * HOUR; t += 5 * MINUTE) {
        inventory = applyPlanInMemory(inventory, planSnapshots(inventory, [p], { now: t, runId: 'r' }));
      }
      return inventory.snapshots
        .filter((s) => s.state === 'pending')
        .map((s) => new Date(s.startTime).toISOString());
    };

    // Act
    const spring = runs('2024-03-30T23:00:00Z');
    const fall = runs('2024-10-26T23:00:00Z');

    // Assess: the missing 02:30 fires at the end of the gap (03:00 CEST); the repeated one on its first occurrence
    expect(spring).toEqual(['2024-03-31T01:00:00.000Z']);
    expect(fall).toEqual(['2024-10-27T00:30:00.000Z']);
  });
});

describe('every: a slow run never makes the next one skip a slot', () => {
  const dailyAt = (runId?: string) =>
    fleet()
      .instance('a')
      .volume()
      .snapshots(
        series(
          'p',
          [Date.parse('2026-11-01T03:07:00Z')],
          runId === undefined ? {} : { tags: { 'ebs-snapper:run-id': runId } },
        ),
      )
      .build();
  const everyDay = policy({ id: 'p', select: { instances: { 'tag:Name': '*' } }, every: '1d' });
  const nextDayAtThree = { now: Date.parse('2026-11-02T03:00:00Z'), runId: '20261102T030000Z-000002' };

  it('judges a snapshot by the start of the run that made it, 7 minutes earlier than its own start', () => {
    // Prepare: the 03:00 run was throttled and created the snapshot at 03:07
    const inventory = dailyAt('20261101T030000Z-000001');

    // Act
    const plan = planSnapshots(inventory, [everyDay], nextDayAtThree);

    // Assess
    expect(creates(plan)).toHaveLength(1);
    expect(creates(plan)[0]!.reason.code).toBe('due.interval');
  });

  it('still goes by the start of a snapshot without a run id (made by an older version)', () => {
    // Prepare / Act
    const plan = planSnapshots(dailyAt(), [everyDay], nextDayAtThree);

    // Assess: 03:07 + 1 day − 5 minutes is after 03:00
    expect(creates(plan)).toHaveLength(0);
  });
});

describe('one clock: a snapshot counts from the time of the run that made it (its --now)', () => {
  const everyDay = policy({ id: 'p', select: { instances: { 'tag:Name': '*' } }, every: '1d' });
  const everyHour = policy({ id: 'p', select: { instances: { 'tag:Name': '*' } }, every: '1h' });
  const madeAt = (startTime: number, runId: string) =>
    fleet()
      .instance('a')
      .volume()
      .snapshots(series('p', [startTime], { tags: { 'ebs-snapper:run-id': runId } }))
      .build();
  const realStart = Date.parse('2026-11-01T10:00:00Z');
  // A run with --now three days ahead of the real clock made the snapshot (moto and EC2 date it now).
  const aheadRun = '20261104T100000Z-00000a';
  const ahead = Date.parse('2026-11-04T10:00:00Z');

  it.each([
    ['at that --now again', ahead],
    ['an hour after that --now', ahead + HOUR],
  ])('a run dated ahead of its snapshot: not due %s', (_, now) => {
    // Prepare
    const inventory = madeAt(realStart + 5_000, aheadRun);

    // Act
    const plan = planSnapshots(inventory, [everyDay], { now, runId: '20261104T110000Z-00000b' });

    // Assess
    expect(creates(plan)).toEqual([]);
    expect(plan.summary.delete).toBe(0);
  });

  it('cron: a run dated ahead of its snapshot is not due at that --now again', () => {
    // Prepare: daily at 09:00 UTC; the run had --now 10:00 three days ahead
    const at9 = policy({
      id: 'p',
      select: { instances: { 'tag:Name': '*' } },
      cron: '0 9 * * *',
      timezone: 'UTC',
    });
    const inventory = madeAt(realStart + 5_000, aheadRun);

    // Act
    const plan = planSnapshots(inventory, [at9], { now: ahead, runId: '20261104T100000Z-00000f' });

    // Assess
    expect(creates(plan)).toEqual([]);
  });

  it('a run dated ahead never holds back a plan before its date: that plan goes by the snapshot start', () => {
    // Prepare: a day later on the real clock, two days before the run's --now
    const inventory = madeAt(realStart + 5_000, aheadRun);

    // Act
    const plan = planSnapshots(inventory, [everyDay], { now: realStart + DAY + HOUR, runId: 'r-real' });

    // Assess
    expect(creates(plan).map((c) => c.reason.code)).toEqual(['due.interval']);
  });

  it('--now before an existing snapshot: not due, and the snapshot is kept as protected.future', () => {
    // Prepare
    const inventory = madeAt(realStart + 5_000, '20261101T100000Z-00000c');

    // Act
    const plan = planSnapshots(inventory, [everyDay], { now: realStart - 2 * DAY, runId: 'r-past' });

    // Assess
    expect(creates(plan)).toEqual([]);
    expect(plan.actions.find((a) => a.action === 'keep')?.reason.code).toBe('protected.future');
  });

  it('a continuation of a run, planned later than the run id, does not snapshot a series that run just did', () => {
    // Prepare: the run started at 10:00 and snapshotted at 10:50; its continuation plans at 11:00
    const run = '20261101T100000Z-00000d';
    const inventory = madeAt(realStart + 50 * MINUTE, run);
    const later = realStart + 60 * MINUTE;

    // Act
    const continuation = planSnapshots(inventory, [everyHour], { now: later, runId: run });
    const nextRun = planSnapshots(inventory, [everyHour], { now: later, runId: '20261101T110000Z-00000e' });

    // Assess
    expect(creates(continuation)).toEqual([]);
    expect(creates(nextRun).map((c) => c.reason.code)).toEqual(['due.interval']);
  });
});

describe('cron across daylight saving changes', () => {
  const daily0230 = policy({
    id: 'p',
    select: { instances: { 'tag:Name': '*' } },
    cron: '30 2 * * *',
    timezone: 'Europe/Berlin',
  });

  it('fires on spring-forward day for a run at 03:00 local, when 02:30 does not exist', () => {
    // Prepare: a run every day at 03:00 Berlin time, the first instant after the gap on 03-29
    const runsAt = ['2026-03-28T02:00:00Z', '2026-03-29T01:00:00Z', '2026-03-30T01:00:00Z'].map(Date.parse);
    let inventory: Inventory = fleet()
      .instance('a')
      .volume()
      .snapshots(series('p', [Date.parse('2026-03-27T01:30:00Z')]))
      .build();

    // Act
    const decisions = runsAt.map((now) => {
      const plan = planSnapshots(inventory, [daily0230], { now, runId: `r-${now}` });
      inventory = applyPlanInMemory(inventory, plan);
      return creates(plan).length;
    });

    // Assess: one snapshot each day, the spring-forward day included
    expect(decisions).toEqual([1, 1, 1]);
  });

  it('never says "next due" in the past, every 5 minutes across both changes', () => {
    // Prepare
    const days = ['2026-03-28T22:00:00Z', '2026-10-24T22:00:00Z'].map(Date.parse);
    const lies: string[] = [];

    // Act
    for (const start of days) {
      let inventory: Inventory = fleet()
        .instance('a')
        .volume()
        .snapshots(series('p', [start - HOUR]))
        .build();
      for (let t = start; t < start + 30 * HOUR; t += 5 * MINUTE) {
        const plan = planSnapshots(inventory, [daily0230], { now: t, runId: `r-${t}` });
        const skip = plan.actions.find((a) => a.action === 'skip');
        const next = skip === undefined ? undefined : /next due (\S+)/.exec(skip.reason.message)?.[1];
        if (next !== undefined && Date.parse(next) <= t) lies.push(`${new Date(t).toISOString()}: ${next}`);
        inventory = applyPlanInMemory(inventory, plan);
      }
    }

    // Assess
    expect(lies).toEqual([]);
  });
});

function berlinTime(time: number): string {
  const text = new Date(time).toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' });
  return text.slice(0, 16);
}
