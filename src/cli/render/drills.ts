/**
 * Restore drills in the CLI's output: the plan's `+ drill` lines (check, cost bound, host), the
 * run's drill lines and totals, their JSON (`drills: [...]`), and `ebs-snapper drill`'s own
 * document. Everything from AWS goes through `safeText`.
 */
import { countDrills, type DrillOutcome } from '../../app/run/drills/outcomes.js';
import type { RunReport } from '../../app/run/results.js';
import type { DrillAction } from '../../core/actions.js';
import { formatDuration } from '../../core/policy/durations.js';
import { safeText } from './safe-text.js';
import { paint, type TextStyle, type Tone } from './text.js';
import { formatUsd } from './units.js';

/** The end of a `+ drill` line: `(initialized, 2h timeout, ≤ $0.04, host i-0abc)`. */
export function drillActionNote(action: DrillAction, style: TextStyle): string {
  const parts = [
    action.check,
    `${formatDuration(action.timeoutMs)} timeout`,
    `≤ ${formatUsd(action.estimatedCostUsd)}`,
    ...(action.hostId === undefined ? [] : [`host ${action.hostId}`]),
    ...(action.availabilityZone === undefined ? ['no zone'] : [action.availabilityZone]),
  ];
  return paint(style, 'green', `  (${safeText(parts.join(', '))})`);
}

/** What a `drill` action adds to the plan's JSON. */
export function drillActionJson(action: DrillAction): Record<string, unknown> {
  return {
    check: action.check,
    availability_zone: action.availabilityZone ?? null,
    size_gib: action.sizeGiB ?? null,
    volume_type: action.volumeType,
    timeout_seconds: action.timeoutMs / 1000,
    estimated_cost_usd: Math.round(action.estimatedCostUsd * 10_000) / 10_000,
    ...(action.hostId === undefined ? {} : { host_id: action.hostId }),
    ...(action.previousAt === undefined
      ? {}
      : { previous_drill_at: new Date(action.previousAt).toISOString() }),
  };
}

/** One drill in JSON (snake_case, as the rest of the document). */
export function drillToJson(outcome: DrillOutcome): Record<string, unknown> {
  return {
    status: outcome.status,
    policy: outcome.policy,
    account: outcome.account,
    region: outcome.region,
    snapshot_id: outcome.snapshotId,
    volume_id: outcome.sourceVolumeId ?? null,
    drill_volume_id: outcome.drillVolumeId ?? null,
    check: outcome.check,
    step: outcome.step ?? null,
    detail: outcome.detail ?? null,
    started_at: outcome.startedAt ?? null,
    at: outcome.at ?? null,
    ...(outcome.recorded === undefined ? {} : { recorded: outcome.recorded }),
    ...(outcome.restoreSeconds === undefined ? {} : { restore_seconds: outcome.restoreSeconds }),
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
    ...(outcome.trouble === undefined ? {} : { trouble: outcome.trouble }),
  };
}

/** The `drills` list and totals a run's JSON adds. */
export function runDrillsJson(reports: readonly RunReport[]): {
  drills: Record<string, unknown>[];
  totals: Record<string, number>;
} {
  const outcomes = reports.flatMap((r) => r.drills ?? []);
  const { started, passed, failed, inFlight } = countDrills(outcomes);
  return { drills: outcomes.map(drillToJson), totals: { started, passed, failed, in_flight: inFlight } };
}

const TONE: Record<DrillOutcome['status'], Tone> = {
  started: 'green',
  'in-flight': 'dim',
  passed: 'green',
  failed: 'red',
  cleaned: 'dim',
  deferred: 'yellow',
  'not-started': 'red',
};

/** One line per drill: `  drill passed    web  snap-… of vol-…  available 41s`. */
export function renderDrillLines(outcomes: readonly DrillOutcome[], style: TextStyle): string[] {
  return outcomes.map((o) => {
    const status = paint(style, TONE[o.status], o.status.padEnd(11));
    const what = safeText(
      `${o.policy}  ${o.snapshotId}${o.sourceVolumeId === undefined ? '' : ` of ${o.sourceVolumeId}`}${o.drillVolumeId === undefined ? '' : ` (drill volume ${o.drillVolumeId})`}`,
    );
    const how =
      o.status === 'in-flight'
        ? `waiting: ${o.step ?? '?'}${o.detail ? `; ${o.detail}` : ''}`
        : (o.detail ?? o.error?.message ?? '');
    const trouble = o.trouble === undefined ? '' : `  ${o.trouble.code}: ${o.trouble.message}`;
    return `  drill ${status} ${what}  ${paint(style, 'dim', safeText(`${how}${trouble}`.trim()))}`;
  });
}

/** ` Drills: 1 started, 1 passed, 0 failed, 1 in flight.` after a run's summary, when it had any. */
export function drillSummaryText(reports: readonly RunReport[]): string {
  const outcomes = reports.flatMap((r) => r.drills ?? []);
  if (outcomes.length === 0) return '';
  const c = countDrills(outcomes);
  return ` Drills: ${c.started} started, ${c.passed} passed, ${c.failed} failed, ${c.inFlight} in flight.`;
}
