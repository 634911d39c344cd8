/**
 * fast-check arbitraries for small random fleets: a few instances and volumes, a few dozen
 * snapshots mixing ours, other accounts', hand-made, unknown-policy, pending, error, locked,
 * archived and AMI-backed ones, over one to three random policies. Small on purpose: 1,000 runs
 * take seconds. Clocks fall near DST changes as well as on ordinary days, some snapshots started
 * after `now` (a clock behind), and some carry the run id of a run that started before them.
 */
import fc from 'fast-check';
import type { Image, Instance, Inventory, Snapshot, Volume } from '../../../src/core/model.js';
import { imageId, instanceId, SNAPSHOT_STATES, snapshotId, TAG, volumeId } from '../../../src/core/model.js';
import type { GuardLimit, Policy } from '../../../src/core/policy/types.js';
import { ACCOUNT, REGION } from './fleet.js';
import { DAY, HOUR, policy } from './policy.js';

export const NOW = Date.parse('2024-05-10T12:00:00Z');
/** Clocks the scenarios start from: an ordinary day, and an hour before each 2026 DST change in Berlin and New York. */
const CLOCKS = [
  NOW,
  ...['2026-03-29T00:00:00Z', '2026-10-25T00:00:00Z', '2026-03-08T06:00:00Z', '2026-11-01T05:00:00Z'].map(
    Date.parse,
  ),
];
const FOREIGN = '999988887777';
const ROLES = ['web', 'db'] as const;

export interface Scenario {
  readonly inventory: Inventory;
  readonly policies: readonly Policy[];
  readonly guard?: GuardLimit;
  readonly now: number;
}

const policyArb = (id: string): fc.Arbitrary<Policy> =>
  fc
    .record({
      role: fc.constantFrom(...ROLES),
      byVolumeTag: fc.boolean(),
      schedule: fc.oneof(
        fc.record({ every: fc.constantFrom('1h', '6h', '1d', '1w') }),
        fc.record({
          cron: fc.constantFrom('0 3 * * *', '30 */6 * * *', '0 0 * * 1'),
          tz: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'),
        }),
      ),
      minimum: fc.integer({ min: 0, max: 3 }),
      maxAgeDays: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
      keepDaily: fc.integer({ min: 0, max: 3 }),
      keepWeekly: fc.integer({ min: 0, max: 2 }),
      keepMonthly: fc.integer({ min: 0, max: 2 }),
      orphanDays: fc.option(fc.integer({ min: 1, max: 90 }), { nil: undefined }),
    })
    .map((r) =>
      policy({
        id,
        select: r.byVolumeTag ? { volumes: { 'tag:Backup': 'true' } } : { instances: { 'tag:Role': r.role } },
        ...('every' in r.schedule
          ? { every: r.schedule.every }
          : { cron: r.schedule.cron, timezone: r.schedule.tz }),
        retention: {
          // The parser refuses a retention that keeps nothing (minimum 0, no max_age, no tier).
          minimum:
            r.minimum === 0 && r.maxAgeDays === undefined && r.keepDaily + r.keepWeekly + r.keepMonthly === 0
              ? 1
              : r.minimum,
          ...(r.maxAgeDays !== undefined ? { maxAge: r.maxAgeDays * DAY } : {}),
          keepDaily: r.keepDaily,
          keepWeekly: r.keepWeekly,
          keepMonthly: r.keepMonthly,
          ...(r.orphanDays !== undefined ? { orphanedExpireAfter: r.orphanDays * DAY } : {}),
        },
      }),
    );

const instanceArb = fc.record({
  role: fc.constantFrom(...ROLES),
  state: fc.constantFrom('running', 'stopped', 'terminated' as const),
});
const volumeArb = fc.record({
  instance: fc.integer({ min: -1, max: 3 }),
  backup: fc.boolean(),
  boot: fc.boolean(),
});
const snapshotArb = fc.record({
  // Past the inventory's volumes: a volume that is gone (an orphan series).
  volume: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 4 })),
  policy: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 4 })),
  foreign: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  state: fc.constantFrom<Snapshot['state']>(
    ...SNAPSHOT_STATES,
    'completed',
    'completed',
    'completed',
    'completed',
  ),
  ageHours: fc.oneof(
    { arbitrary: fc.integer({ min: -48, max: -1 }), weight: 1 },
    { arbitrary: fc.integer({ min: 0, max: 72 }), weight: 3 },
    { arbitrary: fc.integer({ min: 0, max: 24 * 30 }), weight: 2 },
    { arbitrary: fc.integer({ min: 0, max: 24 * 400 }), weight: 1 },
  ),
  locked: fc.integer({ min: 0, max: 14 }).map((n) => n === 0),
  /** 0: backs ami-1, 1: ami-2, 2: both; otherwise no AMI. */
  ami: fc.integer({ min: 0, max: 20 }),
  /** Minutes before its start that the run which made it started; undefined: no run id. */
  runLeadMinutes: fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined }),
  /** Days since it reached the archive tier (completed snapshots only); -1: unknown; undefined: standard. */
  archivedDaysAgo: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 8 },
    { arbitrary: fc.integer({ min: -1, max: 120 }), weight: 2 },
  ),
});

/** A random small account × region with 1–3 policies. */
export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    policyCount: fc.integer({ min: 1, max: 3 }),
    policies: fc.tuple(policyArb('p0'), policyArb('p1'), policyArb('p2')),
    instances: fc.array(instanceArb, { maxLength: 4 }),
    volumes: fc.array(volumeArb, { maxLength: 4 }),
    snapshots: fc.array(snapshotArb, { maxLength: 40, size: 'medium' }),
    guard: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
    clock: fc.constantFrom(...CLOCKS),
    nowOffsetMinutes: fc.oneof(fc.integer({ min: 0, max: 7 * 24 * 60 }), fc.integer({ min: 0, max: 180 })),
  })
  .map((r) => {
    const now = r.clock + r.nowOffsetMinutes * 60_000;
    const policies = r.policies.slice(0, r.policyCount);
    const instances: Instance[] = r.instances.map((i, n) => ({
      id: instanceId(`i-${n}`),
      state: i.state,
      tags: { Role: i.role, Name: `host-${n}` },
      rootDeviceName: '/dev/xvda',
    }));
    const volumes: Volume[] = r.volumes.map((v, n) => {
      const at = instances[v.instance];
      const device = v.boot ? '/dev/xvda' : `/dev/xvd${String.fromCharCode(102 + n)}`;
      return {
        id: volumeId(`vol-${n}`),
        tags: { Backup: String(v.backup) },
        type: 'gp3',
        sizeGiB: 8,
        attachments: at ? [{ instanceId: at.id, device }] : [],
      };
    });
    const snapshots: Snapshot[] = r.snapshots.map((s, n) => {
      const vol = `vol-${s.volume}`;
      const policyTag =
        s.policy < 3
          ? { [TAG.policy]: `p${s.policy}`, [TAG.volumeId]: vol }
          : s.policy === 3
            ? { [TAG.policy]: 'retired' }
            : {};
      const startTime = now - s.ageHours * HOUR;
      const runTag =
        s.runLeadMinutes === undefined || s.policy >= 3
          ? {}
          : { [TAG.runId]: runIdAt(startTime - s.runLeadMinutes * 60_000) };
      return {
        id: snapshotId(`snap-${String(n).padStart(3, '0')}`),
        volumeId: volumeId(vol),
        ownerId: s.foreign ? FOREIGN : ACCOUNT,
        state: s.state,
        startTime,
        tags: { ...policyTag, ...runTag },
        ...(s.locked ? { locked: true } : {}),
        ...(s.archivedDaysAgo !== undefined && s.state === 'completed'
          ? {
              storageTier: 'archive' as const,
              ...(s.archivedDaysAgo >= 0 ? { archivedAt: now - s.archivedDaysAgo * DAY } : {}),
            }
          : {}),
      };
    });
    const backing = (image: number) =>
      snapshots.filter((_, n) => r.snapshots[n]!.ami === image || r.snapshots[n]!.ami === 2).map((s) => s.id);
    const images: Image[] = [
      { id: imageId('ami-1'), snapshotIds: backing(0) },
      { id: imageId('ami-2'), snapshotIds: backing(1) },
    ].filter((i) => i.snapshotIds.length > 0);
    const inventory: Inventory = { account: ACCOUNT, region: REGION, instances, volumes, snapshots, images };
    return {
      inventory,
      policies,
      now,
      ...(r.guard !== undefined ? { guard: { kind: 'count', count: r.guard } as const } : {}),
    };
  });

/** A run id as `newRunId` writes it, for a run started at `time`. */
function runIdAt(time: number): string {
  return `${new Date(time)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')}-abcdef`;
}

/** Shuffle a copy of an array with a seeded generator (mulberry32), reproducibly. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
