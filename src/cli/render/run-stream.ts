/**
 * `run` without a terminal (a cron log, a pipe): each account × region's plan as soon as it is
 * made, before anything of it is applied, then each result on its own line as it lands, then the
 * summary lines. Every piece is one write, so the lines of targets that run side by side
 * interleave but never break; each result line names its account × region.
 */
import type { ActionResult, RunReport } from '../../app/run/results.js';
import type { Plan } from '../../core/actions.js';
import { safeText } from './safe-text.js';
import { planSummaryLine, type RunEnd, runSummaryLine } from './summary-lines.js';
import { paint, renderGivenBack, renderPlanSection, renderResult, type TextStyle } from './text.js';

export interface RunStream {
  plan(plan: Plan): void;
  /** `where`: the account × region whose run it is (a copy's own region is its destination). */
  result(result: ActionResult, where: string): void;
  /** What the run found on the way (give-backs, later warnings), then the summary lines. */
  end(reports: readonly RunReport[], end: RunEnd): void;
}

export function runStream(write: (text: string) => void, style: TextStyle): RunStream {
  // How many of each plan's warnings were printed with it: the run adds the others later.
  const warned = new Map<string, number>();
  return {
    plan(plan) {
      warned.set(placeOf(plan), plan.warnings.length);
      write(`${[...renderPlanSection(plan, style), ''].join('\n')}\n`);
    },
    result(result, where) {
      write(`${renderResult(result, style, where)}\n`);
    },
    end(reports, end) {
      const lines = reports.flatMap((report) => [
        ...renderGivenBack(report, style),
        ...laterWarnings(report.plan, warned.get(placeOf(report.plan)) ?? 0, style),
      ]);
      const plans = reports.map((r) => r.plan);
      // A blank line ends what was printed before; a run that printed nothing starts with its summary.
      if (warned.size > 0 || lines.length > 0) lines.push('');
      lines.push(planSummaryLine(plans, end.failures), runSummaryLine(reports, end));
      write(`${lines.join('\n')}\n`);
    },
  };
}

const placeOf = (plan: Plan): string => `${plan.account}/${plan.region}`;

function laterWarnings(plan: Plan, printed: number, style: TextStyle): string[] {
  return plan.warnings
    .slice(printed)
    .map((w) => paint(style, 'yellow', `  warning: ${safeText(`${w.message} (in ${placeOf(plan)})`)}`));
}
