/**
 * How croner evaluates a Europe/Berlin schedule across the 2026 DST changes. The planner relies on
 * this behaviour (documented in cron.ts), so a croner upgrade that changes it must fail here.
 */
import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { latestCronTime, nextCronTime, normalizeCron } from './cron.js';

const BERLIN = 'Europe/Berlin';

function patternOf(expr: string): string {
  const result = normalizeCron(expr);
  if (!('pattern' in result)) throw new Error(result.error);
  return result.pattern;
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

describe('0 2 * * * in Europe/Berlin', () => {
  const pattern = patternOf('0 2 * * *');

  it('fires at 02:00 CET (01:00 UTC) on an ordinary winter day', () => {
    // Prepare / Act
    const next = nextCronTime(pattern, BERLIN, Date.parse('2026-03-27T12:00:00Z'));

    // Assess
    expect(iso(next)).toBe('2026-03-28T01:00:00.000Z');
  });

  it('on spring-forward day (02:00 does not exist) fires once, right after the gap at 03:00 CEST', () => {
    // Prepare
    const cron = new Cron(pattern, { paused: true, timezone: BERLIN });

    // Act
    const nextRuns = cron.nextRuns(3, new Date('2026-03-28T12:00:00Z')).map((date) => date.toISOString());

    // Assess: 03-29 01:00 UTC is 03:00 CEST; from 03-30 on, 02:00 CEST is 00:00 UTC
    expect(nextRuns).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
    ]);
  });

  it('finds the shifted spring-forward slot as the latest one later that day', () => {
    // Prepare / Act
    const latest = latestCronTime(pattern, BERLIN, Date.parse('2026-03-29T12:00:00Z'));

    // Assess
    expect(iso(latest)).toBe('2026-03-29T01:00:00.000Z');
  });

  it('on fall-back day (02:00-03:00 happens twice) fires once, at the first 02:00 (CEST)', () => {
    // Prepare
    const cron = new Cron(pattern, { paused: true, timezone: BERLIN });

    // Act
    const nextRuns = cron.nextRuns(3, new Date('2026-10-24T12:00:00Z')).map((date) => date.toISOString());

    // Assess: 10-25 00:00 UTC is 02:00 CEST; afterwards 02:00 CET is 01:00 UTC
    expect(nextRuns).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-26T01:00:00.000Z',
      '2026-10-27T01:00:00.000Z',
    ]);
  });

  it('does not fire again at the second 02:00 (CET) of fall-back day', () => {
    // Prepare: 01:30 UTC on 10-25 is after the repeated 02:00 CET (01:00 UTC)
    const at = Date.parse('2026-10-25T01:30:00Z');

    // Act
    const latest = latestCronTime(pattern, BERLIN, at);

    // Assess
    expect(iso(latest)).toBe('2026-10-25T00:00:00.000Z');
  });

  it('lists the same slots backwards with previousRuns', () => {
    // Prepare
    const cron = new Cron(pattern, { paused: true, timezone: BERLIN });

    // Act
    const spring = cron.previousRuns(3, new Date('2026-03-30T12:00:00Z')).map((date) => date.toISOString());
    const autumn = cron.previousRuns(3, new Date('2026-10-26T12:00:00Z')).map((date) => date.toISOString());

    // Assess
    expect(spring).toEqual([
      '2026-03-30T00:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-28T01:00:00.000Z',
    ]);
    expect(autumn).toEqual([
      '2026-10-26T01:00:00.000Z',
      '2026-10-25T00:00:00.000Z',
      '2026-10-24T00:00:00.000Z',
    ]);
  });
});

describe('an hourly schedule in Europe/Berlin', () => {
  const pattern = patternOf('@hourly');

  it('has no slot in the repeated hour of fall-back day', () => {
    // Prepare
    const cron = new Cron(pattern, { paused: true, timezone: BERLIN });

    // Act
    const nextRuns = cron.nextRuns(3, new Date('2026-10-24T23:30:00Z')).map((date) => date.toISOString());

    // Assess: 00:00 UTC = 02:00 CEST, then 02:00 UTC = 03:00 CET; 01:00 UTC (02:00 CET) is skipped
    expect(nextRuns).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T03:00:00.000Z',
    ]);
  });

  it('lists the instant after the spring-forward gap twice, which is harmless for the latest slot', () => {
    // Prepare
    const cron = new Cron(pattern, { paused: true, timezone: BERLIN });

    // Act
    const nextRuns = cron.nextRuns(3, new Date('2026-03-28T23:30:00Z')).map((date) => date.toISOString());
    const latest = latestCronTime(pattern, BERLIN, Date.parse('2026-03-29T01:30:00Z'));

    // Assess
    expect(nextRuns).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
    ]);
    expect(iso(latest)).toBe('2026-03-29T01:00:00.000Z');
  });
});
