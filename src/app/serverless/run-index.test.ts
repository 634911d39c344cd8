import { describe, expect, it } from 'vitest';
import { givenRunIdProblem, scheduledRunId } from './run-index.js';

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

describe('scheduledRunId', () => {
  it('makes the same run id from the same scheduled time, whenever the invocation comes', () => {
    // Prepare
    const at = '2026-12-06T21:00:00Z';

    // Act
    const first = scheduledRunId(at, Date.parse('2026-12-06T21:00:01Z'));
    const retried = scheduledRunId(at, Date.parse('2026-12-06T21:03:30Z'));
    const next = scheduledRunId('2026-12-06T22:00:00Z', Date.parse('2026-12-06T22:00:01Z'));

    // Assess
    expect(first).toEqual(retried);
    expect(first).toEqual({ runId: expect.stringMatching(/^20261206T210000Z-[0-9a-f]{6}$/) });
    expect(next).not.toEqual(first);
    expect(
      givenRunIdProblem((first as { runId: string }).runId, Date.parse('2026-12-06T21:00:01Z')),
    ).toBeUndefined();
  });

  it('refuses what is not a UTC time, a time ahead of the clock and one more than a day old', () => {
    // Prepare
    const now = Date.parse('2026-12-06T21:00:00Z');

    // Act
    const refusals = ['<aws.scheduler.scheduled-time>', '2026-12-06T21:10:00Z', '2026-12-04T21:00:00Z'].map(
      (t) => scheduledRunId(t, now),
    );

    // Assess
    expect(refusals).toEqual([
      expect.stringContaining('not an ISO-8601 UTC time'),
      expect.stringContaining('ahead of the clock'),
      expect.stringContaining('more than a day ago'),
    ]);
  });
});
