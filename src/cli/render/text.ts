/**
 * Terraform-style human output: `+ create`, `- delete`, `= keep` (with -v), a reason on every
 * line and one summary line. Colour only on a TTY and never with NO_COLOR. Every piece that can
 * come from AWS (ids, tag-derived series keys, reasons and warnings that quote tag values, error
 * messages) goes through `safeText` before it is painted.
 */

import type { ActionResult, RunReport } from '../../app/run/results.js';
import type { Plan, PlanAction } from '../../core/actions.js';
import { count } from '../../core/plural.js';
import type { TargetFailure } from '../targets.js';
import { drillActionNote, renderDrillLines } from './drills.js';
import { freezeNote, renderThawed, resultNote } from './freeze.js';
import { outOfReachNote, vaultsHeldLine } from './out-of-reach.js';
import { safeText } from './safe-text.js';
import { planSummaryLine, type RunEnd, runSummaryLine } from './summary-lines.js';

export interface TextStyle {
  readonly color: boolean;
  readonly verbose: boolean;
}

const SGR = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
export type Tone = keyof typeof SGR;

/** `text` in a colour, when colour is on. */
export function paint(style: TextStyle, tone: Tone, text: string): string {
  return style.color ? `\u001b[${SGR[tone]}m${text}\u001b[0m` : text;
}

const SIGN: Record<PlanAction['action'], { sign: string; tone: Tone }> = {
  create: { sign: '+ create', tone: 'green' },
  copy: { sign: '+ copy  ', tone: 'green' },
  delete: { sign: '- delete', tone: 'red' },
  keep: { sign: '= keep  ', tone: 'dim' },
  skip: { sign: '  skip  ', tone: 'dim' },
  drill: { sign: '+ drill ', tone: 'green' },
  lock: { sign: '~ lock  ', tone: 'yellow' },
  unshare: { sign: '~ unshare', tone: 'yellow' },
};

function subject(action: PlanAction): string {
  const parts: string[] = [];
  const snapshot = 'snapshotId' in action ? action.snapshotId : undefined;
  if (snapshot !== undefined) parts.push(snapshot);
  if (action.volumeId !== undefined)
    parts.push(snapshot === undefined ? action.volumeId : `of ${action.volumeId}`);
  if (action.action === 'create' && action.instanceId !== undefined) {
    parts.push(`(${action.instanceId}${action.device === undefined ? '' : ` ${action.device}`})`);
  }
  if (action.action === 'copy') parts.push(`→ ${action.region}`);
  return safeText(parts.join(' '));
}

function renderAction(action: PlanAction, style: TextStyle): string {
  const { sign, tone } = SIGN[action.action];
  const policy = safeText(action.policy ?? '-');
  const reason = safeText(`${action.reason.code}: ${action.reason.message}`);
  const line = `  ${paint(style, tone, sign)}  ${policy}  ${subject(action)}  ${paint(style, 'dim', reason)}${outOfReachNote(action, style)}`;
  if (action.action === 'drill') return line + drillActionNote(action, style);
  if (action.action !== 'create') return line;
  const stop = action.stop === undefined ? '' : paint(style, 'yellow', '  (stop → snapshot → start)');
  return line + stop + freezeNote(action, style) + droppedNote(action.droppedTags, style);
}

/** Tags a create cannot carry (the 50-tag limit, or per-volume tags of an instance set) are named. */
function droppedNote(dropped: readonly string[], style: TextStyle): string {
  return dropped.length === 0
    ? ''
    : paint(style, 'yellow', `  (tags not carried: ${safeText(dropped.join(', '))})`);
}

function isShown(action: PlanAction, verbose: boolean): boolean {
  return (
    verbose ||
    action.action === 'create' ||
    action.action === 'delete' ||
    action.action === 'drill' ||
    action.action === 'lock' ||
    action.action === 'unshare' ||
    action.reason.code === 'guard.max-deletes' ||
    action.reason.code === 'guard.unverified'
  );
}

function renderGuard(plan: Plan, style: TextStyle): string[] {
  const lines: string[] = [];
  if (plan.guard?.tripped) {
    lines.push(
      `! guard: ${count(plan.guard.wanted, 'delete')} wanted in ${plan.account}/${plan.region}, limit ${plan.guard.limit}: nothing will be deleted there`,
    );
  }
  if (plan.deletesHeld !== undefined) {
    lines.push(
      `! deletes held in ${plan.account}/${plan.region}: could not read ${plan.deletesHeld.join(', ')}; snapshots are still taken`,
    );
  }
  if (plan.copiesHeld !== undefined) {
    lines.push(
      `! copies held from ${plan.account}/${plan.region}: could not list the copies in ${plan.copiesHeld.join(', ')}`,
    );
  }
  const vaults = vaultsHeldLine(plan);
  if (vaults !== undefined) lines.push(vaults);
  return lines.map((line) => paint(style, 'yellow', safeText(line)));
}

/** The section of one account × region: its heading, the actions shown, its warnings and guards. */
export function renderPlanSection(plan: Plan, style: TextStyle): string[] {
  const lines = [
    paint(style, 'bold', safeText(`${plan.account} ${plan.region}`)) +
      paint(style, 'dim', `  (now ${plan.now})`),
  ];
  const shown = plan.actions.filter((a) => isShown(a, style.verbose));
  for (const action of shown) lines.push(renderAction(action, style));
  if (shown.length === 0) lines.push(paint(style, 'dim', '  no changes'));
  for (const warning of plan.warnings)
    lines.push(paint(style, 'yellow', `  warning: ${safeText(warning.message)}`));
  lines.push(...renderGuard(plan, style));
  return lines;
}

/** One plan section per account × region, then the totals and what could not be planned. */
export function renderPlans(
  plans: readonly Plan[],
  style: TextStyle,
  failures: readonly TargetFailure[] = [],
): string {
  const lines = plans.flatMap((plan) => [...renderPlanSection(plan, style), '']);
  lines.push(planSummaryLine(plans, failures));
  return `${lines.join('\n')}\n`;
}

const RESULT_SIGN: Record<ActionResult['status'], { sign: string; tone: Tone }> = {
  done: { sign: 'done    ', tone: 'green' },
  failed: { sign: 'FAILED  ', tone: 'red' },
  deferred: { sign: 'deferred', tone: 'yellow' },
  skipped: { sign: 'skipped ', tone: 'yellow' },
};

/** One result; `where` (the account × region) when results of several are printed as they land. */
export function renderResult(result: ActionResult, style: TextStyle, where?: string): string {
  const { sign, tone } = RESULT_SIGN[result.status];
  const what = safeText(
    [result.action, result.policy, result.snapshotId, result.volumeId].filter(Boolean).join(' '),
  );
  const error =
    result.error === undefined
      ? ''
      : paint(style, 'dim', safeText(`  ${result.error.code}: ${result.error.message}`));
  const place = where === undefined ? '' : `${safeText(where)}  `;
  return `  ${paint(style, tone, sign)}  ${place}${what}${error}${resultNote(result, style)}`;
}

/** Instances a crashed run left stopped or in Standby, and what this run did about them. */
export function renderGivenBack(report: RunReport, style: TextStyle): string[] {
  // One that could not be given back is a failed `give-back` result, rendered with the results.
  return (report.givenBack ?? []).flatMap((g) =>
    g.error === undefined
      ? [
          `  ${paint(style, 'yellow', 'given back')}  ${safeText(`${g.instanceId} (${g.done.join(', ') || 'nothing left to do'})`)}: a crashed run had stopped it`,
        ]
      : [],
  );
}

/** The plan, then what was done (failures always; every result with -v), then the summary lines. */
export function renderRun(reports: readonly RunReport[], style: TextStyle, end: RunEnd = {}): string {
  const planText = renderPlans(
    reports.map((r) => r.plan),
    style,
    end.failures,
  );
  const results = reports.flatMap((r) => r.results);
  const shown = results.filter((r) => style.verbose || r.status !== 'done' || r.reason !== undefined);
  const lines = [
    ...reports.flatMap((r) => renderGivenBack(r, style)),
    ...reports.flatMap((r) => renderThawed(r, style)),
    ...renderDrillLines(
      reports.flatMap((r) => r.drills ?? []),
      style,
    ),
    ...shown.map((r) => renderResult(r, style)),
  ];
  lines.push(runSummaryLine(reports, end));
  return `${planText}\n${lines.join('\n')}\n`;
}
