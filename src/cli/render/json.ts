/**
 * The machine-readable plan (SPEC §5): one JSON document
 * `{version, account, regions, now, actions:[...], summary}` with snake_case keys.
 * `run` adds `results` and the run summary.
 */

import { errorInfoOf } from '../../app/kit/classify-error.js';
import type { ActionResult, RunReport, RunSummary } from '../../app/run/results.js';
import type { Plan, PlanAction, PlanSummary } from '../../core/actions.js';
import type { Warning } from '../../core/warnings.js';
import type { InterruptSignal } from '../interrupt.js';
import type { TargetFailure } from '../targets.js';
import { drillActionJson, runDrillsJson } from './drills.js';
import { freezesToJson, freezeToJson, resultNoteToJson, thawedToJson } from './freeze.js';
import { outOfReachJson, outOfReachResultJson } from './out-of-reach.js';

const PLAN_FORMAT_VERSION = 1;

function actionToJson(action: PlanAction): Record<string, unknown> {
  const json: Record<string, unknown> = {
    action: action.action,
    policy: action.policy ?? null,
    account: action.account,
    region: action.region,
    volume_id: action.volumeId ?? null,
  };
  if ('snapshotId' in action) json.snapshot_id = action.snapshotId;
  if (action.instanceId !== undefined) json.instance_id = action.instanceId;
  if (action.action === 'copy') {
    json.source_region = action.sourceRegion;
    json.description = action.description;
    json.tags = action.tags;
    if (action.kmsKeyId !== undefined) json.kms_key_id = action.kmsKeyId;
  }
  if (action.action === 'create') {
    if (action.device !== undefined) json.device = action.device;
    json.consistency = action.consistency;
    json.description = action.description;
    json.tags = action.tags;
    if (action.droppedTags.length > 0) json.dropped_tags = action.droppedTags;
    if (action.copyVolumeTags === true) json.copy_tags_from_source = 'volume';
    if (action.stop !== undefined) {
      json.stop_instance = true;
      json.stop_timeout_seconds = action.stop.timeoutMs / 1000;
    }
    Object.assign(json, freezeToJson(action));
  }
  if (action.action === 'drill') Object.assign(json, drillActionJson(action));
  Object.assign(json, outOfReachJson(action));
  json.reason = { code: action.reason.code, message: action.reason.message };
  return json;
}

function resultToJson(result: ActionResult): Record<string, unknown> {
  return {
    action: result.action,
    policy: result.policy,
    account: result.account,
    region: result.region,
    volume_id: result.volumeId ?? null,
    snapshot_id: result.snapshotId ?? null,
    ...(result.instanceId === undefined ? {} : { instance_id: result.instanceId }),
    ...(result.sourceSnapshotId === undefined
      ? {}
      : { source_snapshot_id: result.sourceSnapshotId, source_region: result.sourceRegion ?? null }),
    ...outOfReachResultJson(result),
    status: result.status,
    ...(result.error === undefined ? {} : { error: result.error }),
    ...resultNoteToJson(result),
  };
}

/** Totals over several plans. */
export function sumPlans(plans: readonly Plan[]): PlanSummary {
  const total = { create: 0, copy: 0, delete: 0, keep: 0, skip: 0 };
  let drill: number | undefined;
  let lock = 0;
  let unshare = 0;
  for (const plan of plans) {
    total.create += plan.summary.create;
    total.copy += plan.summary.copy;
    total.delete += plan.summary.delete;
    total.keep += plan.summary.keep;
    total.skip += plan.summary.skip;
    if (plan.summary.drill !== undefined) drill = (drill ?? 0) + plan.summary.drill;
    lock += plan.summary.lock ?? 0;
    unshare += plan.summary.unshare ?? 0;
  }
  return {
    ...total,
    ...(drill === undefined ? {} : { drill }),
    ...(lock > 0 ? { lock } : {}),
    ...(unshare > 0 ? { unshare } : {}),
  };
}

/** What several runs did, added up. */
export function sumRunSummaries(reports: readonly RunReport[]): RunSummary {
  const total = { created: 0, copied: 0, deleted: 0, failed: 0, deferred: 0, skipped: 0 };
  for (const { summary } of reports) {
    total.created += summary.created;
    total.copied += summary.copied;
    total.deleted += summary.deleted;
    total.failed += summary.failed;
    total.deferred += summary.deferred;
    total.skipped += summary.skipped;
  }
  return total;
}

function accountsOf(plans: readonly Plan[]): string | string[] | null {
  const accounts = [...new Set(plans.map((p) => p.account))].sort();
  if (accounts.length === 0) return null;
  return accounts.length === 1 ? accounts[0]! : accounts;
}

/** The plan document for `plan` (and the plan half of `run`). */
export function planDocument(
  plans: readonly Plan[],
  now: number,
  failures: readonly TargetFailure[] = [],
): Record<string, unknown> {
  return {
    version: PLAN_FORMAT_VERSION,
    account: accountsOf(plans),
    regions: [...new Set(plans.map((p) => p.region))].sort(),
    now: new Date(now).toISOString(),
    run_id: plans[0]?.runId ?? null,
    actions: plans.flatMap((plan) => plan.actions.map(actionToJson)),
    guards: plans
      .filter((p) => p.guard !== undefined)
      .map((p) => ({ account: p.account, region: p.region, ...p.guard })),
    deletes_held: plans
      .filter((p) => p.deletesHeld !== undefined)
      .map((p) => ({ account: p.account, region: p.region, missing: p.deletesHeld })),
    copies_held: plans
      .filter((p) => p.copiesHeld !== undefined)
      .map((p) => ({ account: p.account, region: p.region, destinations: p.copiesHeld })),
    ...vaultsHeldJson(plans),
    warnings: uniqueWarnings(plans.flatMap((p) => p.warnings)),
    failures: failures.map(failureToJson),
    summary: {
      ...sumPlans(plans),
      // The counts cover only what was planned: a reader must not take them for the whole.
      complete: failures.length === 0,
      targets_planned: plans.length,
      targets_not_planned: failures.length,
    },
  };
}

/** The document for `run`: the plan, what was done, the totals, and the interrupt that stopped it. */
export function runDocument(
  reports: readonly RunReport[],
  now: number,
  failures: readonly TargetFailure[] = [],
  interrupted?: InterruptSignal,
): Record<string, unknown> {
  const document = planDocument(
    reports.map((r) => r.plan),
    now,
    failures,
  );
  const results = reports.flatMap((r) => r.results);
  const done = sumRunSummaries(reports);
  const drills = runDrillsJson(reports);
  return {
    ...document,
    dry_run: reports.some((r) => r.dryRun),
    results: results.map(resultToJson),
    given_back: reports.flatMap((r) =>
      (r.givenBack ?? []).map((g) => ({
        account: r.plan.account,
        region: r.plan.region,
        instance_id: g.instanceId,
        done: g.done,
        ...(g.error ? { error: g.error } : {}),
      })),
    ),
    thawed: thawedToJson(reports),
    freezes: freezesToJson(reports),
    drills: drills.drills,
    summary: {
      ...(document.summary as object),
      ...done,
      deadline_reached: reports.some((r) => r.deadlineReached),
      interrupted: interrupted ?? null,
      ...(drills.drills.length === 0 ? {} : { drills: drills.totals }),
    },
  };
}

/** The same warning from several account × region pairs is listed once. */
function uniqueWarnings(warnings: readonly Warning[]): Warning[] {
  const seen = new Map<string, Warning>();
  for (const w of warnings) seen.set(`${w.code}\u0000${w.message}`, w);
  return [...seen.values()];
}

/** An account or account × region that could not be worked on: `{account, region, error: {code, message}}`. */
function failureToJson(failure: TargetFailure): Record<string, unknown> {
  return {
    account: failure.account ?? null,
    region: failure.region ?? null,
    error: errorInfoOf(failure.error),
  };
}

/** `vaults_held`, only when some plan has one (SPEC §14). */
function vaultsHeldJson(plans: readonly Plan[]): Record<string, unknown> {
  const held = plans.filter((p) => p.vaultsHeld !== undefined);
  return held.length === 0
    ? {}
    : {
        vaults_held: held.map((p) => ({ account: p.account, region: p.region, destinations: p.vaultsHeld })),
      };
}
