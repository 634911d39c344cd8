/**
 * EventBridge Scheduler's schedule expressions, checked as strictly as Scheduler checks them: a
 * stack whose schedule Scheduler refuses fails halfway through a deploy (and emulators accept
 * anything), so `deploy --schedule` and `settings.schedule` are refused here, before any call.
 *
 * - `rate(<value> <unit>)`: a positive integer, unit `minute|hour|day` for 1, the plural otherwise;
 * - `cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)`: exactly 6 fields, and
 *   exactly one of the two day fields is `?` (not both `*`, not both `?`);
 * - `at(yyyy-mm-ddThh:mm:ss)`: Scheduler takes it, but it starts one run and never another —
 *   a backup schedule that silently stops — so it is refused here with the forms that repeat.
 */
import { normalizeCron } from './cron.js';

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const CRON = /^cron\((.*)\)$/;
const EXPECTED =
  'expected "rate(N minutes|hours|days)" or "cron(minutes hours day-of-month month day-of-week year)"';
const ONE_TIME =
  'at(...) starts one run and never another: the schedule of backups must repeat, "rate(N minutes|hours|days)" or "cron(...)"';

/**
 * Why `expression` is not an expression EventBridge Scheduler accepts, or undefined when it is one.
 *
 * @example schedulerExpressionProblem('cron(0 3 * * * *)') // 'day-of-month and day-of-week cannot both be *: …'
 * @example schedulerExpressionProblem('rate(6 hours)') // undefined
 */
export function schedulerExpressionProblem(expression: string): string | undefined {
  const rate = RATE.exec(expression);
  if (rate !== null) return rateProblem(Number(rate[1]), rate[2]!);
  const at = AT.exec(expression);
  if (at !== null) return atProblem(at.slice(1).map(Number)) ?? ONE_TIME;
  const cron = CRON.exec(expression);
  if (cron !== null) return cronProblem(cron[1]!);
  return EXPECTED;
}

function rateProblem(value: number, unit: string): string | undefined {
  const plural = unit.endsWith('s');
  if (value < 1) return 'a rate must be at least 1';
  if (value === 1 && plural) return `a rate of 1 takes a singular unit: "rate(1 ${unit.slice(0, -1)})"`;
  if (value > 1 && !plural) return `a rate of ${value} takes a plural unit: "rate(${value} ${unit}s)"`;
  return undefined;
}

function atProblem([year, month, day, hour, minute, second]: number[]): string | undefined {
  const time = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
  const same =
    time.getUTCFullYear() === year &&
    time.getUTCMonth() === month! - 1 &&
    time.getUTCDate() === day &&
    time.getUTCHours() === hour &&
    time.getUTCMinutes() === minute &&
    time.getUTCSeconds() === second;
  return same ? undefined : 'at(...) takes a real date and time: at(yyyy-mm-ddThh:mm:ss)';
}

/** A field's values, names (index + offset = value) and the special items it allows. */
interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly special?: RegExp;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  // L = the last day, LW = the last weekday, 15W = the weekday nearest the 15th.
  { name: 'day-of-month', min: 1, max: 31, special: /^(L|LW|([1-9]|[12]\d|3[01])W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  // L = Saturday, 6L = the last Friday, 2#1 = the first Monday (1-7 = SUN-SAT).
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, special: /^(L|([1-7]|[A-Z]{3})(L|#[1-5]))$/ },
  { name: 'year', min: 1970, max: 2199 },
];

function cronProblem(body: string): string | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) return 'cron(...) takes 6 fields (AWS style, with ? and a year)';
  const [dayOfMonth, dayOfWeek] = [fields[2]!, fields[4]!];
  if (dayOfMonth === '?' && dayOfWeek === '?')
    return 'day-of-month and day-of-week cannot both be ?: put ? in one of them only';
  if (dayOfMonth !== '?' && dayOfWeek !== '?') {
    return dayOfMonth === '*' && dayOfWeek === '*'
      ? 'day-of-month and day-of-week cannot both be *: put ? in one of them (every day: "* ? *" or "? * *")'
      : 'one of day-of-month and day-of-week must be ?';
  }
  for (const [index, field] of FIELDS.entries()) {
    const text = fields[index]!.toUpperCase();
    if (text === '?' && (field.name === 'day-of-month' || field.name === 'day-of-week')) continue;
    const problem = fieldProblem(text, field);
    if (problem !== undefined) return `${field.name} "${fields[index]}": ${problem}`;
  }
  // What the grammar lets through but can never fire (`31 FEB`), as the planner's cron reader sees it.
  const result = normalizeCron(fields.join(' '));
  return 'error' in result ? result.error : undefined;
}

function fieldProblem(text: string, field: CronField): string | undefined {
  for (const item of text.split(',')) {
    if (field.special?.test(item) === true) {
      const day = /^([A-Z]{3})/.exec(item)?.[1];
      if (day !== undefined && !DAYS.includes(day)) return `"${day}" is not a day (SUN-SAT)`;
      continue;
    }
    const problem = itemProblem(item, field);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** `*`, `v`, `a-b`, each optionally `/step`. */
function itemProblem(item: string, field: CronField): string | undefined {
  const [base = '', step, extra] = item.split('/');
  if (extra !== undefined) return `"${item}" has more than one /`;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1 && Number(step) <= field.max))
    return `the step of "${item}" must be a whole number from 1 to ${field.max}`;
  if (base === '*') return undefined;
  const ends = base.split('-');
  if (ends.length > 2) return `"${item}" is not a value or a range`;
  for (const end of ends) {
    if (fieldValue(end, field) === undefined) {
      const names = field.names === undefined ? '' : ` or ${field.names[0]}-${field.names.at(-1)}`;
      return `"${end}" is not a value (${field.min}-${field.max}${names})`;
    }
  }
  return undefined;
}

function fieldValue(text: string, field: CronField): number | undefined {
  const named = field.names?.indexOf(text) ?? -1;
  if (named >= 0) return named + field.min;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= field.min && value <= field.max ? value : undefined;
}
