/**
 * The predecessor's `frequency` crons, read the way it read them (parse-crontab): 5 fields; 6
 * fields = minute … day-of-week year; 7 fields = second first; `@daily`-style nicknames. Day-of-week
 * is 0-7 = SUN-SAT(-SUN) there, not AWS's 1-7, so numbers are never passed on as AWS-style day numbers.
 * parse-crontab required day-of-month *and* day-of-week to match when both are given; a 5-field cron
 * here (as in every Vixie cron) fires when either matches — said in a warning, since no form keeps it.
 */
import { isWildcard, legacyDayOfWeekToNames } from './cron-fields.js';

export type LegacyCron = { readonly cron: string; readonly warnings: readonly string[] };

/** parse-crontab's nicknames (its `_aliases`). */
const PARSE_CRONTAB_NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Rewrites a legacy cron into a form `normalizeCron` reads with the same meaning. */
export function convertLegacyCron(expr: string): LegacyCron {
  const nickname = PARSE_CRONTAB_NICKNAMES[expr.trim().toLowerCase()];
  const fields = (nickname ?? expr).trim().split(/\s+/);
  const warnings: string[] = [];
  if (fields.length === 7) {
    const seconds = fields.shift()!;
    if (seconds !== '0')
      warnings.push(`the seconds field "${seconds}" was dropped; schedules run on whole minutes`);
  }
  if (fields.length === 5) fields.push('*');
  if (fields.length !== 6) return { cron: expr.trim(), warnings };
  const [minute, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  const star = (field: string) => (isWildcard(field) ? '*' : field);
  if (!isWildcard(dom) && !isWildcard(dow)) {
    warnings.push(
      `"${expr.trim()}" restricts both day-of-month and day-of-week: ebs_snapper required both to match, ` +
        'this cron fires when either matches; check it before use',
    );
  }
  if (isWildcard(year)) {
    // No year: the 5-field form, days of the week by name so that nobody reads 1 as AWS's Sunday.
    const dowField = isWildcard(dow) ? '*' : legacyDayOfWeekToNames(dow);
    return { cron: [minute, hour, star(dom), month, dowField].join(' '), warnings };
  }
  // With a year only the AWS 6-field form fits: one day field must be `?`, days of the week by name.
  const domField = isWildcard(dom) && !isWildcard(dow) ? '?' : star(dom);
  const dowField = isWildcard(dow) ? '?' : legacyDayOfWeekToNames(dow);
  return { cron: [minute, hour, domField, month, dowField, year].join(' '), warnings };
}
