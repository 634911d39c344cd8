/**
 * What the plan and the run say about `consistency: application` (SPEC §15): the create's
 * workflow, the consistency a set was taken with and why, and the instances a crashed run left
 * frozen that this run thawed. Called from the text and JSON renderers.
 */
import type { ActionResult, RunReport } from '../../app/run/results.js';
import type { CreateAction } from '../../core/actions.js';
import { safeText } from './safe-text.js';
import { paint, type TextStyle } from './text.js';

/** The workflow's words on a `+ create` line. */
export const FREEZE_WORKFLOW = 'freeze → snapshot → thaw';

/** `  (freeze → snapshot → thaw)` after a create of an application-consistent policy. */
export function freezeNote(action: CreateAction, style: TextStyle): string {
  return action.freeze === undefined ? '' : paint(style, 'yellow', `  (${FREEZE_WORKFLOW})`);
}

/** The JSON of a create's freeze: the workflow and its scripts. */
export function freezeToJson(action: CreateAction): Record<string, unknown> {
  const { freeze } = action;
  if (freeze === undefined) return {};
  return {
    workflow: FREEZE_WORKFLOW,
    scripts: {
      pre: freeze.pre,
      post: freeze.post,
      timeout_seconds: freeze.timeoutMs / 1000,
      retries: freeze.retries,
      on_failure: freeze.onFailure,
    },
  };
}

/** A result's consistency and reason, for its JSON. */
export function resultNoteToJson(result: ActionResult): Record<string, unknown> {
  return {
    ...(result.consistency === undefined ? {} : { consistency: result.consistency }),
    ...(result.reason === undefined ? {} : { reason: result.reason }),
  };
}

/** ` (crash: consistency.pre-failed: …)` after a result whose set is not application-consistent. */
export function resultNote(result: ActionResult, style: TextStyle): string {
  if (result.reason === undefined) return '';
  const what = result.consistency === undefined ? '' : `${result.consistency}: `;
  return paint(style, 'yellow', safeText(`  (${what}${result.reason.code}: ${result.reason.message})`));
}

/** Instances a crashed run left frozen, thawed by this run (a failed thaw is a result of its own). */
export function renderThawed(report: RunReport, style: TextStyle): string[] {
  return (report.thawed ?? []).flatMap((t) =>
    t.error === undefined
      ? [
          `  ${paint(style, 'yellow', 'thawed')}  ${safeText(`${t.instanceId} (${t.done.join(', ')})`)}: a crashed run had frozen it`,
        ]
      : [],
  );
}

/** The run document's `thawed` list. */
export function thawedToJson(reports: readonly RunReport[]): Record<string, unknown>[] {
  return reports.flatMap((r) =>
    (r.thawed ?? []).map((t) => ({
      account: r.plan.account,
      region: r.plan.region,
      instance_id: t.instanceId,
      done: t.done,
      ...(t.error === undefined ? {} : { error: t.error }),
    })),
  );
}

/** The run document's `freezes` list: one per instance frozen, with its frozen time. */
export function freezesToJson(reports: readonly RunReport[]): Record<string, unknown>[] {
  return reports.flatMap((r) =>
    (r.freezes ?? []).map((f) => ({
      account: r.plan.account,
      region: r.plan.region,
      policy: f.policy,
      instance_id: f.instanceId,
      consistency: f.consistency ?? null,
      pre_sent: f.preSent,
      frozen_ms: f.frozenMs === undefined ? null : Math.round(f.frozenMs),
      thawed: f.thawed,
    })),
  );
}
