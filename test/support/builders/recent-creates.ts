/**
 * Journal entries (src/app/run/recent-creates.ts) for tests: one as a test reads it, or the ones a
 * run that applied a plan would have recorded.
 */
import type { RecentCreate } from '../../../src/app/run/recent-creates.js';
import { type Inventory, type Snapshot, snapshotId, TAG } from '../../../src/core/model.js';
import { REGION } from './fleet.js';

/** An entry of policy `daily`, volume `vol-a`, in `REGION`; override what the test is about. */
export function recentCreate(input: Partial<RecentCreate> & { readonly startedAt: number }): RecentCreate {
  return {
    snapshotId: snapshotId('snap-recent-1'),
    region: REGION,
    policy: 'daily',
    volumeId: 'vol-a',
    runId: '19700411T000000Z-000001',
    ...input,
  };
}

/** The entry a run records for a snapshot it made (as the listing will show it). */
export function entryOf(snapshot: Snapshot, region: string): RecentCreate {
  return {
    snapshotId: snapshot.id,
    region,
    policy: snapshot.tags[TAG.policy] ?? '',
    volumeId: snapshot.tags[TAG.volumeId] ?? snapshot.volumeId ?? '',
    runId: snapshot.tags[TAG.runId] ?? '',
    startedAt: snapshot.startTime,
  };
}

/**
 * Split `after` (an inventory a plan was applied to) into what a lagging listing shows — without
 * the snapshots that are not in `before` — and the journal entries of those new snapshots.
 */
export function lagging(
  before: Inventory,
  after: Inventory,
): { listing: Inventory; journal: RecentCreate[] } {
  const old = new Set(before.snapshots.map((s) => s.id));
  const made = after.snapshots.filter((s) => !old.has(s.id));
  return {
    listing: { ...after, snapshots: after.snapshots.filter((s) => old.has(s.id)) },
    journal: made.map((s) => entryOf(s, after.region)),
  };
}

/** A snapshot id made from a number, for entries a test makes up. */
export const recentId = (n: number) => snapshotId(`snap-recent-${n}`);
