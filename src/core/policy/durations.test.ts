import { describe, expect, it } from 'vitest';
import { DURATION_PATTERN, formatDuration, parseDuration } from './durations.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('parseDuration', () => {
  it.each([
    ['90m', 90 * MINUTE],
    ['36h', 36 * HOUR],
    ['1d12h', 36 * HOUR],
    ['2w', 14 * DAY],
    ['4 days', 4 * DAY],
    ['12 hours', 12 * HOUR],
    ['1 week', 7 * DAY],
    ['30 minutes', 30 * MINUTE],
    ['6 months', 180 * DAY],
    ['1 month', 30 * DAY],
    ['1 year', 365 * DAY],
    ['2 years', 730 * DAY],
    ['45s', 45 * SECOND],
    ['10 seconds', 10 * SECOND],
    ['1 second', SECOND],
    ['1 day', DAY],
    ['1 hour', HOUR],
    ['1 minute', MINUTE],
    ['5 mins', 5 * MINUTE],
    ['2 hrs', 2 * HOUR],
    ['6mo', 180 * DAY],
    ['1y', 365 * DAY],
    ['1d 12h', 36 * HOUR],
    ['1 day 12 hours', 36 * HOUR],
    ['1 week, 2 days', 9 * DAY],
    ['1 day and 2 hours', 26 * HOUR],
    ['  3d  ', 3 * DAY],
    ['12 Hours', 12 * HOUR],
    ['4 DAYS', 4 * DAY],
    ['1.5h', 90 * MINUTE],
    ['0 days', 0],
  ])('reads %j as %d ms', (text, expected) => {
    // Prepare / Act
    const ms = parseDuration(text);

    // Assess
    expect(ms).toBe(expected);
  });

  it.each([
    ['14', 'a bare number is ambiguous'],
    ['4 dayz', 'a misspelled unit'],
    ['', 'nothing'],
    ['days', 'a unit without a number'],
    ['-1d', 'a negative duration'],
    ['6M', 'an upper-case M (months or minutes?)'],
    ['1 fortnight', 'an unknown unit'],
    ['1d garbage', 'trailing text'],
    ['1..5h', 'a malformed number'],
    ['P1D', 'ISO 8601'],
  ])('rejects %j (%s)', (text) => {
    // Prepare / Act
    const ms = parseDuration(text);

    // Assess
    expect(ms).toBeUndefined();
    expect(DURATION_PATTERN.test(text)).toBe(false);
  });

  it('agrees with DURATION_PATTERN on every accepted spelling', () => {
    // Prepare
    const accepted = ['90m', '1d12h', '4 days', '1 week, 2 days', '1.5h'];

    // Act
    const matches = accepted.map((text) => DURATION_PATTERN.test(text));

    // Assess
    expect(matches).toEqual(accepted.map(() => true));
  });
});

describe('formatDuration', () => {
  it.each([
    [14 * DAY, '14d'],
    [12 * HOUR, '12h'],
    [36 * HOUR, '1d12h'],
    [90 * MINUTE, '1h30m'],
    [45 * SECOND, '45s'],
    [1500, '1s500ms'],
    [0, '0s'],
    [-2 * HOUR, '-2h'],
  ])('formats %d ms as %j', (ms, expected) => {
    // Prepare / Act
    const text = formatDuration(ms);

    // Assess
    expect(text).toBe(expected);
  });

  it('round-trips through parseDuration for whole units', () => {
    // Prepare
    const samples = [DAY, 36 * HOUR, 90 * MINUTE, 45 * SECOND, 14 * DAY + 5 * MINUTE];

    // Act
    const roundTripped = samples.map((ms) => parseDuration(formatDuration(ms)));

    // Assess
    expect(roundTripped).toEqual(samples);
  });
});
