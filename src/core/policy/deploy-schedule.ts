/**
 * `settings.schedule`: when EventBridge Scheduler starts a deployed run. Scheduler accepts any
 * text at create time in some emulators, and refuses a bad one only in AWS, so the tool checks
 * it itself: `rate(N unit)` with EventBridge's units, or an AWS 6-field `cron(...)`.
 */
import { isValidTimeZone, normalizeCron } from './cron.js';
import { describeValue } from './describe.js';
import type { Path, Report } from './report.js';
import type { DeploySchedule } from './types.js';

/** Used when neither `settings.schedule` nor `deploy --schedule` says otherwise. */
export const DEFAULT_DEPLOY_SCHEDULE: DeploySchedule = { expression: 'rate(1 hour)', timezone: 'UTC' };

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;

/**
 * Why `expression` is not a Scheduler expression, or undefined when it is one.
 *
 * @example scheduleExpressionProblem('rate(1 hours)') // 'a rate of 1 takes a singular unit: "rate(1 hour)"'
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const plural = rate[2]!.endsWith('s');
    if (value < 1) return 'a rate must be at least 1';
    if (value === 1 && plural) return `a rate of 1 takes a singular unit: "rate(1 ${rate[2]!.slice(0, -1)})"`;
    if (value > 1 && !plural) return `a rate of ${value} takes a plural unit: "rate(${value} ${rate[2]}s)"`;
    return undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    if (cron[1]!.trim().split(/\s+/).length !== 6)
      return 'cron(...) takes 6 fields (AWS style, with ? and a year)';
    const result = normalizeCron(cron[1]!);
    return 'error' in result ? result.error : undefined;
  }
  return 'expected "rate(N minutes|hours|days)" or "cron(min hour day-of-month month day-of-week year)"';
}

/** Normalizes `settings.schedule` (text, or `{expression, timezone}`). */
export function normalizeDeploySchedule(
  raw: string | { expression: string; timezone?: string | undefined },
  path: Path,
  report: Report,
): DeploySchedule | undefined {
  const expression = typeof raw === 'string' ? raw : raw.expression;
  const timezone = typeof raw === 'string' ? 'UTC' : (raw.timezone ?? 'UTC');
  const at = typeof raw === 'string' ? path : [...path, 'expression'];
  const problem = scheduleExpressionProblem(expression);
  if (problem !== undefined) report.error(at, `${describeValue(expression)} is not a schedule: ${problem}`);
  if (!isValidTimeZone(timezone))
    report.error([...path, 'timezone'], `${describeValue(timezone)} is not an IANA time zone`);
  return problem === undefined ? { expression, timezone } : undefined;
}
