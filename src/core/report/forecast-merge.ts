/**
 * Keeping the forecast's classes few: classes whose representatives have the same snapshots
 * merge (their futures are the same), and classes that can only keep what they have stop being
 * planned (settled).
 */
import type { Plan, ReasonCode } from '../actions.js';
import { type Snapshot, TAG } from '../model.js';
import type { Policy } from '../policy/types.js';
import type { SeriesClass, SizeCell } from './forecast-classes.js';

/** Keep reasons that hold for good once a series gets no new snapshots (age plays no part). */
const LASTING: ReadonlySet<ReasonCode> = new Set([
  'retention.minimum',
  'retention.tier.daily',
  'retention.tier.weekly',
  'retention.tier.monthly',
  'retention.tier.yearly',
  'protected.ami',
  'protected.locked',
  'protected.pending',
]);

/**
 * The classes a plan shows to be settled for good: series that get no new snapshots (not
 * selected) and whose every snapshot the plan kept for a lasting reason. Without new snapshots
 * the newest `minimum` stay the newest and a tier's periods stay the same, so later runs keep
 * them all again; the forecast then stops planning them. Age-bound reasons (`max_age`, an
 * orphan's `expire-after`) are not lasting.
 */
export function settledClasses(
  classes: readonly SeriesClass[],
  plan: Plan,
  policy: Policy,
): Set<SeriesClass> {
  const codes = new Map<string, ReasonCode>();
  for (const a of plan.actions) if (a.action === 'keep') codes.set(a.snapshotId, a.reason.code);
  const expiring = policy.retention.orphaned.kind === 'expire-after';
  const settled = new Set<SeriesClass>();
  for (const c of classes) {
    // Copies keep being planned in their destinations (age-bound rules may still let them go).
    if (c.kind === 'selected' || c.copies.size > 0) continue;
    if (c.snapshots.length > 0 && c.kind === 'orphan' && expiring) continue;
    if (c.snapshots.every((s) => LASTING.has(codes.get(s.id) ?? 'retention.expired'))) settled.add(c);
  }
  return settled;
}

/**
 * Merge classes whose representatives have the same snapshots. A cheap key (kind, count, first
 * and last start) finds candidates; only those get a full signature.
 */
export function mergeClasses(classes: SeriesClass[], amiSnapshotIds: ReadonlySet<string>): SeriesClass[] {
  if (classes.length < 2) return classes;
  const candidates = new Map<string, SeriesClass[]>();
  for (const c of classes) {
    const s = c.snapshots;
    const key = `${c.kind}|${s.length}|${s[0]?.startTime}|${s.at(-1)?.startTime}|${c.copies.size}`;
    const group = candidates.get(key);
    if (group) group.push(c);
    else candidates.set(key, [c]);
  }
  if (candidates.size === classes.length) return classes;
  const merged: SeriesClass[] = [];
  for (const group of candidates.values()) {
    if (group.length === 1) {
      merged.push(group[0]!);
      continue;
    }
    const bySignature = new Map<string, SeriesClass>();
    for (const c of group) {
      const signature = signatureOf(c, amiSnapshotIds);
      const into = bySignature.get(signature);
      if (into === undefined) bySignature.set(signature, c);
      else absorb(into, c);
    }
    merged.push(...bySignature.values());
  }
  return merged;
}

/** Merge class `c` into `into` (same signature): members, volume sizes, each snapshot's sizes. */
function absorb(into: SeriesClass, c: SeriesClass): void {
  into.members += c.members;
  into.volumeBytes += c.volumeBytes;
  into.cells = addCells(into.cells, c.cells);
  for (const [region, copies] of into.copies)
    copies.cells = addCells(copies.cells, c.copies.get(region)!.cells);
}

/** Two classes' sizes, position by position (same signature: the same snapshots). */
function addCells(a: readonly (SizeCell | undefined)[], b: readonly (SizeCell | undefined)[]) {
  return a.map((cell, i) => {
    const other = b[i];
    if (cell === undefined || other === undefined) return cell ?? other;
    return {
      standard: cell.standard + other.standard,
      archive: cell.archive + other.archive,
      unknown: cell.unknown + other.unknown,
    };
  });
}

/**
 * Everything the planner's decisions about a series read: start times, states, protections, and
 * the run id (a snapshot counts for the schedule from the start of the run that made it).
 */
function signatureOf(c: SeriesClass, amiSnapshotIds: ReadonlySet<string>): string {
  const of = (snapshots: readonly Snapshot[]) =>
    snapshots
      .map(
        (s) =>
          `${s.startTime}:${s.state}:${s.locked === true ? 1 : 0}${amiSnapshotIds.has(s.id) ? 1 : 0}:${s.tags[TAG.runId] ?? ''}`,
      )
      .join(',');
  const copies = [...c.copies.keys()]
    .sort()
    .map((region) => `|${region}=${of(c.copies.get(region)!.snapshots)}`);
  return of(c.snapshots) + copies.join('');
}
