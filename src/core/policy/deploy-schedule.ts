/**
 * `settings.schedule`: when EventBridge Scheduler starts a deployed run. Emulators accept any
 * text and AWS refuses a bad one only halfway through a deploy, so the tool checks it itself,
 * with Scheduler's own rules (`scheduler-expression.ts`), and the time zone is an IANA name.
 */
import { isValidTimeZone } from './cron.js';
import { describeValue } from './describe.js';
import type { Path, Report } from './report.js';
import { schedulerExpressionProblem } from './scheduler-expression.js';
import type { DeploySchedule } from './types.js';

/** Used when neither `settings.schedule` nor `deploy --schedule` says otherwise. */
export const DEFAULT_DEPLOY_SCHEDULE: DeploySchedule = { expression: 'rate(1 hour)', timezone: 'UTC' };

/** Normalizes `settings.schedule` (text, or `{expression, timezone}`). */
export function normalizeDeploySchedule(
  raw: string | { expression: string; timezone?: string | undefined },
  path: Path,
  report: Report,
): DeploySchedule | undefined {
  const expression = typeof raw === 'string' ? raw : raw.expression;
  const timezone = typeof raw === 'string' ? 'UTC' : (raw.timezone ?? 'UTC');
  const at = typeof raw === 'string' ? path : [...path, 'expression'];
  const problem = schedulerExpressionProblem(expression);
  if (problem !== undefined) report.error(at, `${describeValue(expression)} is not a schedule: ${problem}`);
  if (!isValidTimeZone(timezone))
    report.error([...path, 'timezone'], `${describeValue(timezone)} is not an IANA time zone`);
  return problem === undefined ? { expression, timezone } : undefined;
}
