/**
 * The tags of restore drills. A drill's state lives on its volume's tags (set at creation, updated
 * as steps pass), its result on the drilled snapshot's: nothing a killed process held in memory is
 * needed to finish it.
 */
import type { SnapshotId } from '../model.js';

export const DRILL_TAG = {
  /** Volume: the snapshot it was restored from, for a drill. The mark the tool deletes volumes by. */
  of: 'ebs-snapper:drill-of',
  /** Volume: ISO time the drill started (the run's clock). */
  started: 'ebs-snapper:drill-started',
  /** Volume: where the drill is (`DrillStep`). */
  step: 'ebs-snapper:drill-step',
  /** Volume: the step times so far; snapshot: the last drill's step times or failure (≤ 256 chars). */
  detail: 'ebs-snapper:drill-detail',
  /** Snapshot: `passed` | `failed`. */
  result: 'ebs-snapper:drill-result',
  /** Snapshot: ISO time of the last drill's result (the run's time, `--now` included). */
  at: 'ebs-snapper:drill-at',
  /** Snapshot: the drill volume the result came from, so a result is recorded once per drill. */
  volume: 'ebs-snapper:drill-volume',
} as const;

/** The keys a drill may set on a snapshot (and IAM lets it set no other). */
export const SNAPSHOT_DRILL_KEYS = [
  DRILL_TAG.result,
  DRILL_TAG.at,
  DRILL_TAG.detail,
  DRILL_TAG.volume,
] as const;
/** The keys a drill updates on its own volume after creating it. */
export const VOLUME_STEP_KEYS = [DRILL_TAG.step, DRILL_TAG.detail] as const;

export const DRILL_RESULTS = ['passed', 'failed'] as const;
export type DrillResult = (typeof DRILL_RESULTS)[number];

/**
 * Where a drill is, as its volume's `drill-step` tag says:
 * - `creating`: made, waiting for `available`;
 * - `initializing`: available (time in the detail), waiting for every block to be read;
 * - `ssm:<command id>:<instance id>`: the check's command was sent (kept, so any later run can read its end);
 * - `ending:<result>[:<failure code>]`: the result is known and the volume is being detached; then
 *   recorded and deleted.
 */
export type DrillStep =
  | { readonly kind: 'creating' }
  | { readonly kind: 'initializing' }
  | { readonly kind: 'ssm'; readonly commandId: string; readonly instanceId: string }
  | { readonly kind: 'ending'; readonly result: DrillResult; readonly failure?: string };

/** A step tag's value; undefined when it is none the tool writes. */
export function parseStep(value: string | undefined): DrillStep | undefined {
  if (value === 'creating' || value === 'initializing') return { kind: value };
  const ssm = /^ssm:([^:]+):(i-[0-9a-z-]+)$/.exec(value ?? '');
  if (ssm !== null) return { kind: 'ssm', commandId: ssm[1]!, instanceId: ssm[2]! };
  const ending = /^ending:(passed|failed)(?::(drill\.[a-z-]+))?$/.exec(value ?? '');
  if (ending !== null)
    return {
      kind: 'ending',
      result: ending[1] as DrillResult,
      ...(ending[2] === undefined ? {} : { failure: ending[2] }),
    };
  return undefined;
}

/** The tag value of a step. */
export function formatStep(step: DrillStep): string {
  if (step.kind === 'ssm') return `ssm:${step.commandId}:${step.instanceId}`;
  if (step.kind === 'ending')
    return `ending:${step.result}${step.failure === undefined ? '' : `:${step.failure}`}`;
  return step.kind;
}

/** What a snapshot's tags say about its last drill. */
export interface SnapshotDrill {
  readonly result: DrillResult;
  /** Epoch ms. */
  readonly at: number;
  readonly detail?: string;
  readonly volumeId?: string;
}

/** The drill record on a snapshot's tags, when there is a readable one. */
export function snapshotDrillOf(tags: Readonly<Record<string, string>>): SnapshotDrill | undefined {
  const result = tags[DRILL_TAG.result];
  const at = Date.parse(tags[DRILL_TAG.at] ?? '');
  if ((result !== 'passed' && result !== 'failed') || Number.isNaN(at)) return undefined;
  const detail = tags[DRILL_TAG.detail];
  const volumeId = tags[DRILL_TAG.volume];
  return {
    result,
    at,
    ...(detail === undefined ? {} : { detail }),
    ...(volumeId === undefined ? {} : { volumeId }),
  };
}

/** A snapshot id as EC2 writes them (8 or 17 hex digits; test fleets use fewer). */
const SNAPSHOT_ID = /^snap-[0-9a-f]{1,17}$/;

export const isSnapshotId = (value: string | undefined): value is SnapshotId =>
  value !== undefined && SNAPSHOT_ID.test(value);
