import { describe, expect, it } from 'vitest';
import { clockAt, record, run } from '../../../../test/support/builders/run-history.js';
import { RUN_GRACE_MS, resultOf, stateOf, stepTarget } from './target-status.js';

const T = '111111111111/eu-west-1';

describe('resultOf', () => {
  it('sums the counts of a run’s continuations and takes the outcome of the last, failed when any failed', () => {
    // Prepare
    const r = run('10:00', [T]);

    // Act
    const result = resultOf([
      record(r, T, 'ok', { continuation: 2, created: 1, minutes: 40 }),
      record(r, T, 'continued', { created: 4 }),
      record(r, T, 'failed', { continuation: 1, created: 0, minutes: 20 }),
    ]);

    // Assess
    expect(result).toMatchObject({ outcome: 'failed', continuations: 2, created: 5, failed: 1, deferred: 0 });
    expect(result?.endedAt).toBe(new Date(clockAt('10:40')).toISOString());
    expect(result?.failures).toEqual([{ code: 'AccessDenied', message: 'no' }]);
    expect(resultOf([])).toBeUndefined();
  });
});

describe('stepTarget', () => {
  it('shows a target a batch found empty as ok, long after its run, never missing', () => {
    // Prepare
    const r = run('10:00', [T]);
    const empty = { ...record(r, T, 'ok', { created: 0 }), empty: true as const };

    // Act
    const walk = stepTarget({}, r, [empty], clockAt('10:00') + 2 * RUN_GRACE_MS);

    // Assess
    expect(stateOf(walk)).toBe('ok');
    expect(walk.result).toMatchObject({ outcome: 'ok', created: 0, failed: 0 });
  });

  it('calls a run without a record running for an hour after it started, then missing', () => {
    // Prepare
    const r = run('10:00', [T]);

    // Act
    const young = stepTarget({}, r, [], clockAt('10:00') + RUN_GRACE_MS - 1);
    const old = stepTarget({}, r, [], clockAt('10:00') + RUN_GRACE_MS);

    // Assess
    expect(stateOf(young)).toBe('running');
    expect(stateOf(old)).toBe('missing');
  });

  it('keeps the newest run’s state when an older run has the result, unless the newest skipped', () => {
    // Prepare
    const older = run('09:00', [T]);
    const newer = run('10:00', [T]);
    const now = clockAt('12:00');

    // Act
    const missingThenOk = stepTarget(stepTarget({}, newer, [], now), older, [record(older, T, 'ok')], now);
    const skippedThenFailed = stepTarget(
      stepTarget({}, newer, [record(newer, T, 'skipped')], now),
      older,
      [record(older, T, 'failed')],
      now,
    );

    // Assess
    expect(stateOf(missingThenOk)).toBe('missing');
    expect(missingThenOk.result?.runId).toBe(older.runId);
    expect(stateOf(skippedThenFailed)).toBe('failed');
    expect(skippedThenFailed.newest).toMatchObject({ runId: newer.runId, state: 'skipped' });
  });

  it('takes a chain whose later continuation found the lease held as the work its earlier ones did', () => {
    // Prepare
    const r = run('10:00', [T]);

    // Act
    const walk = stepTarget(
      {},
      r,
      [record(r, T, 'continued', { created: 3 }), record(r, T, 'skipped', { continuation: 1 })],
      clockAt('12:00'),
    );

    // Assess
    expect(walk.result).toMatchObject({ outcome: 'skipped', created: 3, continuations: 1 });
    expect(stateOf(walk)).toBe('ok');
  });
});
