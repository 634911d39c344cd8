import { describe, expect, it } from 'vitest';
import { givenRunIdProblem } from './run-index.js';

const NOW = Date.parse('2026-12-06T21:00:00Z');

describe('givenRunIdProblem', () => {
  it('takes a run id of now, or of a few minutes ago (the event waited in Lambda’s queue)', () => {
    // Act / Assess
    expect(givenRunIdProblem('20261206T210000Z-3f9a2c', NOW)).toBeUndefined();
    expect(givenRunIdProblem('20261206T205000Z-3f9a2c', NOW)).toBeUndefined();
    expect(givenRunIdProblem('20261206T210030Z-3f9a2c', NOW)).toBeUndefined();
  });

  it('refuses what is not a run id, and a time far from the clock: the stop workflow trusts a run id’s time', () => {
    // Act / Assess
    expect(givenRunIdProblem('yesterday', NOW)).toBe('not a run id (yyyymmddThhmmssZ-xxxxxx)');
    expect(givenRunIdProblem('20261306T210000Z-3f9a2c', NOW)).toBe('not a run id (yyyymmddThhmmssZ-xxxxxx)');
    expect(givenRunIdProblem('20261206T210000Z-3F9A2C', NOW)).toBe('not a run id (yyyymmddThhmmssZ-xxxxxx)');
    expect(givenRunIdProblem('20261206T210500Z-3f9a2c', NOW)).toBe('its time is ahead of the clock');
    expect(givenRunIdProblem('20261206T200000Z-3f9a2c', NOW)).toBe('its time is more than 15 minutes ago');
  });
});
