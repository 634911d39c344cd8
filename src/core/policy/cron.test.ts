import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { isValidTimeZone, latestCronTime, nextCronTime, normalizeCron } from './cron.js';

/** The next `count` UTC run times of a normalized pattern, from 2026-01-01 (a Thursday). */
function runs(pattern: string, count = 3): string[] {
  return new Cron(pattern, { paused: true, timezone: 'UTC' })
    .nextRuns(count, new Date('2026-01-01T00:00:00Z'))
    .map((date) => date.toISOString());
}

describe('normalizeCron', () => {
  it.each([
    ['0 3 * * *', '0 0 3 * * * *'],
    ['*/15 * * * *', '0 */15 * * * * *'],
    ['30 2 1,15 * *', '0 30 2 1,15 * * *'],
    ['0 3 * * mon-fri', '0 0 3 * * MON-FRI *'],
    ['0 3 * jan,Jul Sun', '0 0 3 * JAN,JUL SUN *'],
    ['0 3 * * 0', '0 0 3 * * 0 *'],
    ['0 3 ? * *', '0 0 3 * * * *'],
    ['@daily', '0 0 0 * * * *'],
    ['@midnight', '0 0 0 * * * *'],
    ['@hourly', '0 0 * * * * *'],
    ['@weekly', '0 0 0 * * 0 *'],
    ['@monthly', '0 0 0 1 * * *'],
    ['@yearly', '0 0 0 1 1 * *'],
    ['@Annually', '0 0 0 1 1 * *'],
    ['0/15 * * * *', '0 0-59/15 * * * * *'],
  ])('reads 5-field / nickname %j as %j', (expr, pattern) => {
    // Prepare / Act
    const result = normalizeCron(expr);

    // Assess
    expect(result).toEqual({ pattern });
  });

  it.each([
    ['0 5 * * ? *', '0 0 5 * * * *'],
    ['cron(0 5 * * ? *)', '0 0 5 * * * *'],
    ['0 5 ? * 2 *', '0 0 5 * * 1 *'],
    ['0 5 ? * 2-6 *', '0 0 5 * * 1-5 *'],
    ['0 5 ? * 1,7 *', '0 0 5 * * 0,6 *'],
    ['0 5 ? * MON-FRI *', '0 0 5 * * MON-FRI *'],
    ['0 5 ? * 6#3 *', '0 0 5 * * 5#3 *'],
    ['0 5 ? * 6L *', '0 0 5 * * 5#L *'],
    ['0 5 ? * L *', '0 0 5 * * SAT *'],
    ['0 5 ? * 2/2 *', '0 0 5 * * 1-6/2 *'],
    ['0 5 1 * ? *', '0 0 5 1 * * *'],
    ['0 5 L * ? *', '0 0 5 L * * *'],
    ['0 5 15W * ? *', '0 0 5 15W * * *'],
    ['0 5 * * ? 2027', '0 0 5 * * * 2027'],
    ['0 5 * * ? 2026-2030', '0 0 5 * * * 2026-2030'],
    ['0/15 * * * ? *', '0 0-59/15 * * * * *'],
    ['5/20 0/6 1/10 1/3 ? 2026/2', '0 5-59/20 0-23/6 1-31/10 1-12/3 * 2026-2199/2'],
    ['0,30/15 * * * ? *', '0 0,30-59/15 * * * * *'],
  ])('reads AWS-style %j as %j', (expr, pattern) => {
    // Prepare / Act
    const result = normalizeCron(expr);

    // Assess
    expect(result).toEqual({ pattern });
  });

  it('keeps AWS day-of-week numbers meaning the same day (2 = Monday)', () => {
    // Prepare
    const result = normalizeCron('0 5 ? * 2 *');

    // Act
    const firstRuns = 'pattern' in result ? runs(result.pattern, 2) : [];

    // Assess: 2026-01-05 and 2026-01-12 are Mondays
    expect(firstRuns).toEqual(['2026-01-05T05:00:00.000Z', '2026-01-12T05:00:00.000Z']);
  });

  it('turns ? into * so a day-of-week restriction is not ORed with "every day"', () => {
    // Prepare
    const result = normalizeCron('0 5 ? * MON *');

    // Act
    const firstRuns = 'pattern' in result ? runs(result.pattern, 2) : [];

    // Assess
    expect(firstRuns).toEqual(['2026-01-05T05:00:00.000Z', '2026-01-12T05:00:00.000Z']);
  });

  it('fires only in the given year', () => {
    // Prepare
    const result = normalizeCron('0 5 1 1 ? 2027');

    // Act
    const firstRuns = 'pattern' in result ? runs(result.pattern, 2) : [];

    // Assess
    expect(firstRuns).toEqual(['2027-01-01T05:00:00.000Z']);
  });

  it.each([
    ['0 3 * *', /expected 5 fields/],
    ['0 3 * * * * *', /got 7/],
    ['', /got 0/],
    ['0 25 * * *', /hour/],
    ['61 3 * * *', /minute/],
    ['0 3 * * fun', /.+/],
    ['0 3 31 2 *', /never matches/],
    ['0 5 1 * MON *', /put \? in one of them/],
    ['0 5 ? * 8 *', /1-7 = SUN-SAT/],
    ['0 5 ? * 0 *', /1-7 = SUN-SAT/],
    ['@reboot', /unknown nickname/],
  ])('rejects %j', (expr, message) => {
    // Prepare / Act
    const result = normalizeCron(expr);

    // Assess
    expect(result).toEqual({ error: expect.stringMatching(message) });
  });
});

describe('isValidTimeZone', () => {
  it.each([
    'UTC',
    'Europe/Berlin',
    'America/New_York',
    'Asia/Kolkata',
    'America/Argentina/Buenos_Aires',
    'Etc/GMT+5',
  ])('accepts %j', (timezone) => {
    expect(isValidTimeZone(timezone)).toBe(true);
  });

  it.each(['Mars/Olympus', '+01:00', 'Europe/Berlin ', '', 'Europe/', 'not a zone', '../etc/passwd'])(
    'rejects %j',
    (timezone) => {
      expect(isValidTimeZone(timezone)).toBe(false);
    },
  );
});

describe('latestCronTime / nextCronTime', () => {
  const daily = '0 0 3 * * * *';

  it('counts a slot exactly at the reference time as the latest', () => {
    // Prepare
    const at = Date.parse('2026-01-02T03:00:00Z');

    // Act
    const latest = latestCronTime(daily, 'UTC', at);

    // Assess
    expect(latest).toBe(at);
  });

  it('returns the previous day just before the slot', () => {
    // Prepare
    const at = Date.parse('2026-01-02T02:59:59.999Z');

    // Act
    const latest = latestCronTime(daily, 'UTC', at);

    // Assess
    expect(latest).toBe(Date.parse('2026-01-01T03:00:00Z'));
  });

  it('gives the next slot strictly after the reference', () => {
    // Prepare
    const at = Date.parse('2026-01-02T03:00:00Z');

    // Act
    const next = nextCronTime(daily, 'UTC', at);

    // Assess
    expect(next).toBe(Date.parse('2026-01-03T03:00:00Z'));
  });

  it('evaluates in the given time zone', () => {
    // Prepare: 03:00 in Berlin is 02:00 UTC in winter
    const at = Date.parse('2026-01-02T12:00:00Z');

    // Act
    const latest = latestCronTime(daily, 'Europe/Berlin', at);

    // Assess
    expect(latest).toBe(Date.parse('2026-01-02T02:00:00Z'));
  });

  it('returns undefined when a schedule has no slot before the reference', () => {
    // Prepare
    const onlyIn2027 = '0 0 5 * * * 2027';

    // Act
    const latest = latestCronTime(onlyIn2027, 'UTC', Date.parse('2026-06-01T00:00:00Z'));

    // Assess
    expect(latest).toBeUndefined();
  });
});
