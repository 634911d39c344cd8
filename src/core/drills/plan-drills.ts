/**
 * Which restore drills a plan starts (docs/drills.md). Per policy with `drill`, per account ×
 * region: a series is due when its newest passed drill is older than `every` (or it has none); at
 * most `sample` drills of the policy are in flight at once; due series go never-drilled first,
 * then least recently drilled, ties in an order fixed by the run id. The snapshot drilled is a
 * completed one the plan keeps: the newest never drilled, else the least recently drilled.
 */
import type { DrillAction, Reason } from '../actions.js';
import type { InstanceId, Inventory, Snapshot, Volume } from '../model.js';
import { formatDuration } from '../policy/durations.js';
import type { Policy } from '../policy/types.js';
import { DELETE_CODES } from '../retention.js';
import { FLAG, type SeriesTable } from '../series.js';
import { type Warning, warning } from '../warnings.js';
import { DRILL_VOLUME_TYPE, drillCostUsd } from './cost.js';
import { hostCandidates } from './hosts.js';
import type { DrillJudgement } from './in-flight.js';
import { pickBy } from './pick.js';
import { snapshotDrillOf } from './tags.js';

/** One series of a drilled policy as retention left it: its drill history and what it may drill. */
export interface DrillCandidate {
  /** The source volume (selected by the policy). */
  readonly volume: Volume;
  /** Epoch ms of the series' newest drill, any result. */
  readonly lastAt?: number;
  readonly lastPassedAt?: number;
  /** A drill is in flight on one of its snapshots. */
  readonly inFlight: boolean;
  /** Completed snapshots the plan keeps, newest first. */
  readonly kept: readonly Snapshot[];
}

/**
 * Read series `k` of `table` right after retention judged it (`reasons[p - from]` per snapshot).
 *
 * @example drillCandidate(table, k, reasons, inventory.snapshots, volume, judgement, now)
 */
export function drillCandidate(
  table: SeriesTable,
  k: number,
  reasons: readonly Reason[],
  snapshots: readonly Snapshot[],
  volume: Volume,
  judgement: DrillJudgement,
  now: number,
): DrillCandidate {
  const from = table.bounds[k]!;
  const to = table.bounds[k + 1]!;
  let lastAt: number | undefined;
  let lastPassedAt: number | undefined;
  let inFlight = false;
  const kept: Snapshot[] = [];
  for (let p = to - 1; p >= from; p--) {
    const snapshot = snapshots[table.source[p]!]!;
    if (judgement.underDrill.has(snapshot.id)) inFlight = true;
    const record = snapshotDrillOf(snapshot.tags);
    if (record !== undefined) {
      if (lastAt === undefined || record.at > lastAt) lastAt = record.at;
      if (record.result === 'passed' && (lastPassedAt === undefined || record.at > lastPassedAt))
        lastPassedAt = record.at;
    }
    const restorable =
      (table.flags[p]! & FLAG.stateMask) === FLAG.completed &&
      table.start[p]! <= now &&
      snapshot.storageTier !== 'archive' &&
      !DELETE_CODES.has(reasons[p - from]!.code);
    if (restorable) kept.push(snapshot);
  }
  return {
    volume,
    ...(lastAt === undefined ? {} : { lastAt }),
    ...(lastPassedAt === undefined ? {} : { lastPassedAt }),
    inFlight,
    kept,
  };
}

export interface DrillPlanOptions {
  readonly now: number;
  readonly runId: string;
  /** `ebs-snapper drill`: start drills now, due or not. */
  readonly force?: boolean;
  /** `ebs-snapper drill --snapshot`: drill exactly this snapshot (when a series of the policy holds it). */
  readonly snapshotId?: string;
}

/**
 * The drills to start for one policy.
 *
 * @example planPolicyDrills(inventory, policy, candidates, judgement, { now, runId }).actions
 */
export function planPolicyDrills(
  inventory: Inventory,
  policy: Policy,
  candidates: readonly DrillCandidate[],
  judgement: DrillJudgement,
  options: DrillPlanOptions,
): { actions: DrillAction[]; warnings: Warning[] } {
  const drill = policy.drill;
  if (drill === undefined) return { actions: [], warnings: [] };
  const running = [...judgement.inFlight, ...judgement.live].filter((d) => d.policy === policy.id).length;
  const wanted = options.snapshotId === undefined ? drill.sample - running : 1;
  if (wanted <= 0) return { actions: [], warnings: [] };
  const due = candidates.filter(
    (c) =>
      !c.inFlight &&
      c.kept.length > 0 &&
      (options.snapshotId === undefined || c.kept.some((s) => s.id === options.snapshotId)) &&
      (options.force === true ||
        options.snapshotId !== undefined ||
        c.lastPassedAt === undefined ||
        c.lastPassedAt <= options.now - drill.everyMs),
  );
  // A stable sort of a seeded shuffle: never drilled first, then least recently, ties by the run id.
  const order = pickBy(due, (c) => c.volume.id, options.runId).sort((a, b) => {
    if (a.lastAt === b.lastAt) return 0;
    if (a.lastAt === undefined) return -1;
    if (b.lastAt === undefined) return 1;
    return a.lastAt - b.lastAt;
  });
  const actions: DrillAction[] = [];
  const warnings: Warning[] = [];
  for (const candidate of order.slice(0, wanted)) {
    const snapshot = pickSnapshot(candidate, options.snapshotId);
    const made = drillAction(inventory, policy, candidate, snapshot, options);
    actions.push(made.action);
    if (made.warning !== undefined) warnings.push(made.warning);
  }
  return { actions, warnings };
}

/** The newest kept snapshot never drilled, else the one drilled longest ago (or the one asked for). */
function pickSnapshot(candidate: DrillCandidate, wanted: string | undefined): Snapshot {
  if (wanted !== undefined) return candidate.kept.find((s) => s.id === wanted)!;
  let best: Snapshot | undefined;
  let bestAt = Number.POSITIVE_INFINITY;
  for (const s of candidate.kept) {
    const at = snapshotDrillOf(s.tags)?.at ?? Number.NEGATIVE_INFINITY;
    if (at < bestAt) {
      best = s;
      bestAt = at;
    }
  }
  return best!;
}

function drillAction(
  inventory: Inventory,
  policy: Policy,
  candidate: DrillCandidate,
  snapshot: Snapshot,
  options: DrillPlanOptions,
): { action: DrillAction; warning?: Warning } {
  const drill = policy.drill!;
  const { volume } = candidate;
  const ownZone = drill.availabilityZone?.startsWith(inventory.region) ? drill.availabilityZone : undefined;
  let zone = ownZone ?? volume.availabilityZone;
  let hostId: InstanceId | undefined;
  let problem: Warning | undefined;
  if (drill.check === 'ssm' && drill.host !== undefined) {
    const [host] = hostCandidates(inventory, drill.host, ownZone, `${options.runId}/${snapshot.id}`);
    hostId = host?.id;
    zone = host?.availabilityZone ?? zone;
    if (host === undefined)
      problem = warning(
        'drill.no-host',
        `policy ${policy.id}: no running instance to host the drill of ${snapshot.id} (${describeHost(drill.host, ownZone)}): the drill fails`,
      );
  }
  const sizeGiB = snapshot.sizeGiB ?? volume.sizeGiB;
  const action: DrillAction = {
    action: 'drill',
    policy: policy.id,
    account: inventory.account,
    region: inventory.region,
    volumeId: volume.id,
    snapshotId: snapshot.id,
    reason: reasonFor(candidate, policy, options),
    check: drill.check,
    ...(zone === undefined ? {} : { availabilityZone: zone }),
    ...(sizeGiB > 0 ? { sizeGiB } : {}),
    volumeType: DRILL_VOLUME_TYPE,
    timeoutMs: drill.timeoutMs,
    estimatedCostUsd: drillCostUsd(sizeGiB, DRILL_VOLUME_TYPE, drill.timeoutMs),
    ...(hostId === undefined ? {} : { hostId }),
    ...(candidate.lastAt === undefined ? {} : { previousAt: candidate.lastAt }),
  };
  return problem === undefined ? { action } : { action, warning: problem };
}

function reasonFor(candidate: DrillCandidate, policy: Policy, options: DrillPlanOptions): Reason {
  if (options.force === true || options.snapshotId !== undefined)
    return { code: 'drill.requested', message: 'ebs-snapper drill: started now, due or not' };
  if (candidate.lastAt === undefined)
    return { code: 'drill.first', message: 'the series has never been drilled' };
  const passed =
    candidate.lastPassedAt === undefined
      ? 'no drill of the series has passed'
      : `the last passed drill was ${formatDuration(options.now - candidate.lastPassedAt)} ago`;
  return { code: 'drill.due', message: `${passed}; every ${policy.drill!.everySource}` };
}

function describeHost(
  host: NonNullable<NonNullable<Policy['drill']>['host']>,
  zone: string | undefined,
): string {
  const which =
    'instanceId' in host
      ? host.instanceId
      : `tags ${Object.entries(host.tags)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`;
  return zone === undefined ? which : `${which} in ${zone}`;
}
