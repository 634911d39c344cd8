/**
 * The predecessor's `frequency` crons, read the way it read them (parse-crontab): 5 fields; 6
 * fields = minute … day-of-week year; 7 fields = second first. Day-of-week is 0-6 = SUN-SAT there,
 * not AWS's 1-7, so numbers are never passed on as AWS-style day numbers.
 */
import { isWildcard, legacyDayOfWeekToNames } from './cron-fields.js';

export type LegacyCron = { readonly cron: string; readonly warnings: readonly string[] };

/** Rewrites a legacy cron into a form `normalizeCron` reads with the same meaning. */
export function convertLegacyCron(expr: string): LegacyCron {
  const fields = expr.trim().split(/\s+/);
  const warnings: string[] = [];
  if (fields.length === 7) {
    const seconds = fields.shift()!;
    if (seconds !== '0')
      warnings.push(`the seconds field "${seconds}" was dropped; schedules run on whole minutes`);
  }
  if (fields.length !== 6) return { cron: expr.trim(), warnings };
  const [minute, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  const star = (field: string) => (isWildcard(field) ? '*' : field);
  if (isWildcard(year)) {
    // No year: the 5-field form means exactly what parse-crontab meant (0-6 = SUN-SAT).
    return { cron: [minute, hour, star(dom), month, star(dow)].join(' '), warnings };
  }
  // With a year only the AWS 6-field form fits: one day field must be `?`, days of the week by name.
  const domField = isWildcard(dom) && !isWildcard(dow) ? '?' : star(dom);
  const dowField = isWildcard(dow) ? '?' : legacyDayOfWeekToNames(dow);
  return { cron: [minute, hour, domField, month, dowField, year].join(' '), warnings };
}
