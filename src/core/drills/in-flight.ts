/**
 * Which volumes are drills in flight, and may the tool act on them? A run detaches and deletes the
 * volumes it trusts to be its drills, so it trusts a volume carrying `ebs-snapper:drill-of` only
 * when every mark of a drill the tool made is there and agrees:
 *
 * - `drill-of` names the very snapshot EC2 says the volume was created from (a person's volume
 *   tagged by hand was not restored from the tool's snapshot it names, or names none);
 * - `ebs-snapper:policy` is set and, when the snapshot is listed, is the snapshot's own policy;
 * - `ebs-snapper:run-id` is a run id and `drill-started` a time.
 *
 * Any other volume carrying the tag is left alone, with a warning. A drill of a run that started
 * after this one (another host's run, or the deployed worker beside a CLI: their locks do not see
 * each other) may be worked on right now: it is left to that run, its snapshot still protected.
 * Pure: run ids carry their start times.
 */
import type { Inventory, Snapshot, SnapshotId, Volume } from '../model.js';
import { TAG } from '../model.js';
import { runIdTime } from '../run-id.js';
import { type Warning, warning } from '../warnings.js';
import { DRILL_TAG, type DrillStep, isSnapshotId, parseStep } from './tags.js';

/** A drill volume the tool made, as its tags say. */
export interface DrillInFlight {
  readonly volume: Volume;
  /** The drilled snapshot (`drill-of`). */
  readonly snapshotId: SnapshotId;
  readonly policy: string;
  /** The run that started it. */
  readonly runId: string;
  /** Epoch ms, the drill's clock. */
  readonly startedAt: number;
  /** A step tag the tool did not write reads as `creating`: the volume's own state tells the rest. */
  readonly step: DrillStep;
  /** The step times so far (`drill-detail` on the volume); '' at first. */
  readonly detail: string;
  /** The drilled snapshot, when the inventory lists it (a configured policy's, still there). */
  readonly snapshot?: Snapshot;
}

export interface DrillJudgement {
  /** The drills this run advances, by volume id. */
  readonly inFlight: readonly DrillInFlight[];
  /** Drills of a run that started after this one: protected, left alone. */
  readonly live: readonly DrillInFlight[];
  /** Every trusted drill volume (never selected, never reported as unprotected). */
  readonly volumeIds: ReadonlySet<string>;
  /** Snapshot id → the drill volume in flight on it: `protected.drill`. */
  readonly underDrill: ReadonlyMap<string, string>;
  readonly warnings: readonly Warning[];
}

const NONE: DrillJudgement = {
  inFlight: [],
  live: [],
  volumeIds: new Set(),
  underDrill: new Map(),
  warnings: [],
};

/**
 * Judge the inventory's volumes that carry `drill-of`, against this run's id.
 *
 * @example judgeDrills(inventory, runId).inFlight.map((d) => d.volume.id)
 */
export function judgeDrills(inventory: Inventory, runId: string): DrillJudgement {
  const tagged = inventory.volumes.filter((v) => v.tags[DRILL_TAG.of] !== undefined);
  if (tagged.length === 0) return NONE;
  const snapshots = new Map<string, Snapshot>();
  for (const s of inventory.snapshots) snapshots.set(s.id, s);
  const ownStart = runIdTime(runId);
  const inFlight: DrillInFlight[] = [];
  const live: DrillInFlight[] = [];
  const warnings: Warning[] = [];
  for (const volume of [...tagged].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const drill = readDrill(volume, snapshots, inventory.account);
    if (typeof drill === 'string') {
      warnings.push(
        warning(
          'drill.volume-foreign',
          `${volume.id} carries ${DRILL_TAG.of}=${volume.tags[DRILL_TAG.of]} but ${drill}: not a drill of ebs-snapper (tagged by hand?), left alone; never detached or deleted by the tool`,
        ),
      );
      continue;
    }
    const started = runIdTime(drill.runId)!;
    if (drill.runId !== runId && ownStart !== undefined && started > ownStart) {
      live.push(drill);
      warnings.push(
        warning(
          'drill.volume-live',
          `${volume.id} is a drill of run ${drill.runId}, which started after this one and may be working on it now: left to it`,
        ),
      );
    } else inFlight.push(drill);
  }
  const all = [...inFlight, ...live];
  return {
    inFlight,
    live,
    volumeIds: new Set(all.map((d) => d.volume.id)),
    underDrill: new Map(all.map((d) => [d.snapshotId, d.volume.id])),
    warnings,
  };
}

/** The drill a volume's tags describe, or why they describe none the tool made. */
function readDrill(
  volume: Volume,
  snapshots: ReadonlyMap<string, Snapshot>,
  account: string,
): DrillInFlight | string {
  const { tags } = volume;
  const of = tags[DRILL_TAG.of];
  if (!isSnapshotId(of)) return 'that is not a snapshot id';
  if (volume.snapshotId !== of) return `it was not created from ${of}`;
  const policy = tags[TAG.policy];
  if (policy === undefined || policy === '') return `it has no ${TAG.policy} tag`;
  const runId = tags[TAG.runId];
  if (runId === undefined || runIdTime(runId) === undefined) return `its ${TAG.runId} is not a run id`;
  const startedAt = Date.parse(tags[DRILL_TAG.started] ?? '');
  if (Number.isNaN(startedAt)) return `its ${DRILL_TAG.started} is not a time`;
  const snapshot = snapshots.get(of);
  if (snapshot !== undefined && (snapshot.ownerId !== account || snapshot.tags[TAG.policy] !== policy))
    return `${of} is not a snapshot of policy ${policy}`;
  return {
    volume,
    snapshotId: of,
    policy,
    runId,
    startedAt,
    step: parseStep(tags[DRILL_TAG.step]) ?? { kind: 'creating' },
    detail: tags[DRILL_TAG.detail] ?? '',
    ...(snapshot === undefined ? {} : { snapshot }),
  };
}
