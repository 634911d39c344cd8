/**
 * The archive tier's minimum (SPEC §4, issue 10): EC2 bills a snapshot in the archive tier for 90
 * days whatever happens, so deleting it sooner saves nothing and loses the backup. An archived
 * snapshot is kept (`protected.archive-minimum`) until 90 days after it reached the archive;
 * when that time is unknown, until it is known to have passed.
 */
import type { Reason } from './actions.js';
import { ARCHIVE_MINIMUM_MS, type Snapshot } from './model.js';

/**
 * Archived snapshots whose 90 days in the archive have not passed at `now`, each with its reason.
 * Few snapshots are archived: this looks at each snapshot once and allocates only for those.
 *
 * @example archiveHolds(inventory.snapshots, Date.now()).get('snap-0abc')?.code // 'protected.archive-minimum'
 */
export function archiveHolds(snapshots: readonly Snapshot[], now: number): Map<string, Reason> {
  const holds = new Map<string, Reason>();
  for (const s of snapshots) {
    if (s.storageTier !== 'archive') continue;
    const reason = archiveReason(s.archivedAt, now);
    if (reason !== undefined) holds.set(s.id, reason);
  }
  return holds;
}

function archiveReason(archivedAt: number | undefined, now: number): Reason | undefined {
  if (archivedAt === undefined) {
    return {
      code: 'protected.archive-minimum',
      message:
        'in the archive tier since an unknown time: kept until its 90-day minimum is known to have passed',
    };
  }
  const until = archivedAt + ARCHIVE_MINIMUM_MS;
  if (until <= now) return undefined;
  return {
    code: 'protected.archive-minimum',
    message: `in the archive tier since ${iso(archivedAt)}: EC2 bills 90 days there, so kept until ${iso(until)}`,
  };
}

const iso = (time: number): string => new Date(time).toISOString();
