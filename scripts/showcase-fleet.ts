/**
 * A showcase account × region for the report and forecast pages (docs/ screenshots, the browser
 * tests): web servers, databases, a batch host, detached archive volumes, with 60 days of history
 * made by the planner itself (hourly runs, applied in memory), then the things a report is for —
 * a web server whose snapshots stopped three days ago (OVERDUE), volumes no policy selects
 * (UNPROTECTED), a deleted volume's series (orphaned), hand-made and AWS Backup snapshots
 * (unmanaged), archived monthly snapshots, and a failed snapshot.
 */
import type { Inventory, Snapshot, Volume } from '../src/core/model.js';
import { snapshotId, TAG } from '../src/core/model.js';
import { planSnapshots } from '../src/core/plan.js';
import { parseConfig } from '../src/core/policy/parse.js';
import type { Policy } from '../src/core/policy/types.js';
import { fleet } from '../test/support/builders/fleet.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const GIB = 2 ** 30;

/** The showcase's "now". */
export const SHOWCASE_NOW = Date.parse('2026-11-25T17:00:00Z');

/** The showcase's policy file. */
export const SHOWCASE_POLICY = `version: 1
policies:
  - id: web-daily
    select: {instances: {tag:Role: web}}
    schedule: {every: 1 day}
    retention: {max_age: 14 days, minimum: 5, keep_weekly: 4}
  - id: db-nightly
    select: {instance_names: [db-*]}
    schedule: {cron: "0 3 * * *", timezone: Europe/Berlin}
    retention: {max_age: 7 days, minimum: 7, keep_weekly: 4, keep_monthly: 6}
  - id: archive-weekly
    select: {volumes: {tag:Backup: "true"}}
    schedule: {every: 1 week}
    retention: {minimum: 4, keep_monthly: 12, orphaned: {expire-after: 90 days}}
`;

/** The showcase's policies, parsed by the tool's own parser. */
export function showcasePolicies(): readonly Policy[] {
  const { config, errors } = parseConfig(SHOWCASE_POLICY);
  if (config === undefined) throw new Error(`showcase policy: ${errors.join('; ')}`);
  return config.policies;
}

function baseFleet(): Inventory {
  const builder = fleet({ account: '123456789012', region: 'eu-west-1' });
  for (let n = 1; n <= 6; n++) {
    builder.instance(`web-${n}`, { id: `i-0web${n}`, tags: { Role: 'web', Team: 'shop' } });
    builder.volume({ id: `vol-0web${n}`, size: 40, tags: { Name: `web-${n}-root` } });
  }
  for (let n = 1; n <= 2; n++) {
    builder.instance(`db-${n}`, { id: `i-0db${n}`, tags: { Role: 'db', Team: 'data' } });
    builder.volume({ id: `vol-0db${n}root`, size: 20, tags: { Name: `db-${n}-root` } });
    builder.volume({ id: `vol-0db${n}data`, device: '/dev/sdf', size: 500, tags: { Name: `db-${n}-data` } });
  }
  builder.instance('batch-1', { id: 'i-0batch1', tags: { Role: 'batch', Team: 'analytics' } });
  builder.volume({ id: 'vol-0batch1', size: 200, tags: { Name: 'batch-scratch', Team: 'analytics' } });
  builder.detachedVolume({ id: 'vol-0arch1', size: 1000, tags: { Name: 'archive-2024', Backup: 'true' } });
  builder.detachedVolume({ id: 'vol-0arch2', size: 750, tags: { Name: 'archive-2025', Backup: 'true' } });
  builder.detachedVolume({ id: 'vol-0old', size: 100, tags: { Name: 'old-migration' } });
  builder.detachedVolume({ id: 'vol-0gone', size: 40, tags: { Name: 'web-7-root', Backup: 'true' } });
  return builder.build();
}

/** Bytes a new snapshot holds: the whole volume first, then 3% of it per day since the last one. */
function sizeOf(volume: Volume, previous: Snapshot | undefined, time: number): number {
  const full = volume.sizeGiB * GIB;
  if (previous === undefined) return full;
  return Math.round(full * Math.min(1, (0.03 * (time - previous.startTime)) / DAY));
}

/** Sixty days of hourly runs, each plan applied as a perfect apply would. */
function withHistory(inventory: Inventory, policies: readonly Policy[]): Inventory {
  let current = inventory;
  let serial = 0;
  for (let t = SHOWCASE_NOW - 60 * DAY; t <= SHOWCASE_NOW - HOUR; t += HOUR) {
    // web-4's snapshots stop three days ago (its role lost the permission, say); vol-0gone goes ten days ago.
    const volumes =
      t < SHOWCASE_NOW - 10 * DAY ? current.volumes : current.volumes.filter((v) => v.id !== 'vol-0gone');
    const plan = planSnapshots({ ...current, volumes }, policies, { now: t, runId: 'showcase' });
    const deleted = new Set(plan.actions.flatMap((a) => (a.action === 'delete' ? [a.snapshotId] : [])));
    const snapshots = current.snapshots.filter((s) => !deleted.has(s.id));
    for (const a of plan.actions) {
      if (a.action !== 'create' || (a.volumeId === 'vol-0web4' && t > SHOWCASE_NOW - 3 * DAY)) continue;
      const volume = volumes.find((v) => v.id === a.volumeId)!;
      const previous = snapshots
        .filter((s) => s.volumeId === a.volumeId && s.tags[TAG.policy] === a.policy)
        .at(-1);
      const started = t + 60_000 * (serial % 7);
      snapshots.push({
        id: snapshotId(`snap-0${(0x5a000 + serial++).toString(16)}`),
        volumeId: a.volumeId,
        ownerId: current.account,
        state: 'completed',
        startTime: started,
        tags: a.tags,
        sizeGiB: volume.sizeGiB,
        fullSizeBytes: sizeOf(volume, previous, started),
      });
    }
    current = { ...current, volumes, snapshots };
  }
  return current;
}

/** Unmanaged snapshots, archived monthly ones and a failed one: what a live account also has. */
function withLeftovers(inventory: Inventory): Inventory {
  const extra: Snapshot[] = [
    {
      id: snapshotId('snap-0manual1'),
      volumeId: 'vol-0db1data' as Volume['id'],
      ownerId: inventory.account,
      state: 'completed',
      startTime: SHOWCASE_NOW - 40 * DAY,
      tags: { Name: 'before-upgrade' },
      sizeGiB: 500,
      fullSizeBytes: 410 * GIB,
    },
    {
      id: snapshotId('snap-0manual2'),
      volumeId: 'vol-0batch1' as Volume['id'],
      ownerId: inventory.account,
      state: 'completed',
      startTime: SHOWCASE_NOW - 5 * DAY,
      tags: {},
      sizeGiB: 200,
      fullSizeBytes: 120 * GIB,
    },
    {
      id: snapshotId('snap-0backup1'),
      volumeId: 'vol-0db2data' as Volume['id'],
      ownerId: inventory.account,
      state: 'completed',
      startTime: SHOWCASE_NOW - 2 * DAY,
      tags: { 'aws:backup:source-resource': 'vol-0db2data' },
      sizeGiB: 500,
      fullSizeBytes: 380 * GIB,
    },
  ];
  const snapshots = inventory.snapshots.map((s): Snapshot => {
    const archived = s.tags[TAG.policy] === 'archive-weekly' && s.startTime < SHOWCASE_NOW - 30 * DAY;
    return archived ? { ...s, storageTier: 'archive', fullSizeBytes: (s.sizeGiB ?? 0) * GIB * 0.8 } : s;
  });
  const failed = snapshots.findIndex(
    (s) => s.volumeId === 'vol-0db2root' && s.startTime > SHOWCASE_NOW - 2 * DAY,
  );
  if (failed >= 0) snapshots[failed] = { ...snapshots[failed]!, state: 'error' };
  return { ...inventory, snapshots: [...snapshots, ...extra] };
}

/**
 * The showcase inventory and its policies.
 *
 * @example const { inventory, policies } = showcaseFleet();
 */
export function showcaseFleet(): { inventory: Inventory; policies: readonly Policy[] } {
  const policies = showcasePolicies();
  return { inventory: withLeftovers(withHistory(baseFleet(), policies)), policies };
}
