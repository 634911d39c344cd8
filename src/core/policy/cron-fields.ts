/**
 * Field-level rewrites from the cron dialects users write (Vixie 5-field, AWS 6-field) into the
 * pattern `croner` evaluates. Kept apart from `cron.ts` so each rewrite can be read on its own.
 */

/** AWS EventBridge numbers days of the week 1-7 = SUN-SAT; croner numbers them 0-6 (7 = SUN too). */
const AWS_DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/**
 * `?` means "no specific value" in AWS and Quartz crons. croner accepts `?` but does not treat it
 * as a wildcard for the day-of-month OR day-of-week rule (`? * MON` would fire every day), so
 * every `?` becomes `*`.
 */
export function replaceQuestionMark(field: string): string {
  return field === '?' ? '*' : field;
}

/**
 * EventBridge (and Quartz) read `a/s` as "from a, every s": croner only steps from `*` or a
 * range, so `0/15` in the minutes becomes `0-59/15`. `max` is the field's last value.
 *
 * @example expandStartStep('0/15', 59) // '0-59/15'
 */
export function expandStartStep(field: string, max: number): string {
  return field
    .split(',')
    .map((item) =>
      item.replace(/^(\d+)\/(\d+)$/, (_, start: string, step: string) => `${start}-${max}/${step}`),
    )
    .join(',');
}

/** Last values of the minute, hour, day-of-month, month and year fields. */
export const FIELD_MAX = { minute: 59, hour: 23, dayOfMonth: 31, month: 12, year: 2199 } as const;

/** True when a day field restricts nothing. */
export function isWildcard(field: string): boolean {
  return field === '*' || field === '?';
}

function shiftAwsDayNumber(text: string): string | { error: string } {
  if (!/^\d+$/.test(text)) return text;
  const day = Number(text);
  if (day < 1 || day > 7) return { error: `day-of-week ${day} is out of range (AWS style: 1-7 = SUN-SAT)` };
  return String(day - 1);
}

/**
 * Rewrites one comma-separated item of an AWS day-of-week field into croner's numbering.
 * Handles `n`, `a-b`, `a-b/s`, `a/s`, `n#k`, `nL` and `L`; names pass through unchanged.
 */
function translateAwsDayItem(item: string): string | { error: string } {
  if (item === '*' || item === '?') return '*';
  // `L` alone is the last day of the week: Saturday.
  if (item === 'L') return 'SAT';
  const lastOf = /^(\w+)L$/.exec(item);
  if (lastOf) {
    const day = shiftAwsDayNumber(lastOf[1]!);
    return typeof day === 'string' ? `${day}#L` : day;
  }
  const nth = /^(\w+)#(\d)$/.exec(item);
  if (nth) {
    const day = shiftAwsDayNumber(nth[1]!);
    return typeof day === 'string' ? `${day}#${nth[2]}` : day;
  }
  const [base = '', step] = item.split('/');
  // croner only steps from `*` or a range; AWS `2/2` means "from 2 to the end of the week".
  const range = step !== undefined && /^\d+$/.test(base) ? `${base}-7` : base;
  const ends = range === '*' ? ['*'] : range.split('-');
  const shifted: string[] = [];
  for (const end of ends) {
    const day = shiftAwsDayNumber(end);
    if (typeof day !== 'string') return day;
    shifted.push(day);
  }
  return shifted.join('-') + (step === undefined ? '' : `/${step}`);
}

/** Rewrites an AWS day-of-week field (1-7 = SUN-SAT) into croner's (0-6 = SUN-SAT). */
export function translateAwsDayOfWeek(field: string): string | { error: string } {
  const items: string[] = [];
  for (const item of field.split(',')) {
    const translated = translateAwsDayItem(item);
    if (typeof translated !== 'string') return translated;
    items.push(translated);
  }
  return items.join(',');
}

/**
 * Rewrites a day-of-week field in the predecessor's dialect (parse-crontab: 0-6 = SUN-SAT, 7 =
 * SUN) into names, which mean the same in every dialect. The legacy importer needs this when it
 * must emit an AWS-style 6-field cron (a year is given), where numbers would shift by one.
 */
export function legacyDayOfWeekToNames(field: string): string {
  return field
    .split(',')
    .flatMap(splitRangeEndingOnSunday)
    .map((item) =>
      item.replace(/\d+/g, (digits, offset: number) => {
        // The number after `#` is an occurrence (`MON#2`) and after `/` a step: leave them.
        const before = item[offset - 1];
        if (before === '#' || before === '/') return digits;
        return AWS_DAY_NAMES[Number(digits) % 7] ?? digits;
      }),
    )
    .join(',');
}

/** `a-7[/s]` becomes `a-6[/s]` plus `0` when the range reached Sunday: `FRI-SUN` is not a range in croner. */
function splitRangeEndingOnSunday(item: string): string[] {
  const match = /^(\d)-7(?:\/(\d+))?$/.exec(item);
  if (!match) return [item];
  const start = Number(match[1]);
  const step = match[2] === undefined ? 1 : Number(match[2]);
  const head = `${start}-6${match[2] === undefined ? '' : `/${match[2]}`}`;
  return (7 - start) % step === 0 ? [head, '0'] : [head];
}
