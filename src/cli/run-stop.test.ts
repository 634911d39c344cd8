import { describe, expect, it } from 'vitest';
import { planOf } from '../../test/support/builders/actions.js';
import type { ActionResult } from '../app/run/results.js';
import { toAwsCallError } from '../aws/errors.js';
import { Interrupt, InterruptedError, interruptOf } from './interrupt.js';
import type { CliIo } from './io.js';
import { watchStop } from './run-stop.js';

const deferred: ActionResult = {
  action: 'create',
  policy: 'daily',
  account: '111111111111',
  region: 'eu-west-1',
  status: 'deferred',
  error: { code: 'Deadline', message: 'not started: the run reached its deadline; the next run picks it up' },
};
const cancelled = {
  label: '111111111111/eu-west-1',
  account: '111111111111',
  region: 'eu-west-1',
  error: toAwsCallError('DescribeVolumes', Object.assign(new Error('aborted'), { name: 'AbortError' })),
};

function ioAt(time: { now: number }) {
  const controller = new AbortController();
  const io = { clock: () => time.now, signal: controller.signal } as unknown as CliIo;
  return { io, controller };
}

describe('what stopped a run', () => {
  it('an interrupt before the deadline: deferred work and cancelled pairs are named as interrupted', () => {
    // Prepare
    const time = { now: 1_000 };
    const { io, controller } = ioAt(time);
    const stop = watchStop(io, 5_000);

    // Act
    controller.abort(new Interrupt('SIGINT'));
    const result = stop.result(deferred);
    const report = stop.report({
      plan: planOf([]),
      results: [deferred],
      summary: { created: 0, copied: 0, deleted: 0, failed: 0, deferred: 1, skipped: 0 },
      deadlineReached: true,
      dryRun: false,
    });
    const failure = stop.failure(cancelled);

    // Assess
    expect(stop.interrupted()).toBe('SIGINT');
    expect(result.error).toEqual({
      code: 'Interrupted',
      message: 'stopped by SIGINT before it was done; the next run picks it up',
    });
    expect(report.deadlineReached).toBe(false);
    expect(report.results[0]?.error?.code).toBe('Interrupted');
    expect(failure.error).toBeInstanceOf(InterruptedError);
  });

  it('an interrupt after the deadline only hurried its end: it stays a deadline', () => {
    // Prepare
    const time = { now: 1_000 };
    const { io, controller } = ioAt(time);
    const stop = watchStop(io, 5_000);

    // Act
    time.now = 6_000;
    controller.abort(new Interrupt('SIGTERM'));

    // Assess
    expect(stop.interrupted()).toBeUndefined();
    expect(stop.result(deferred)).toBe(deferred);
    expect(stop.failure(cancelled)).toBe(cancelled);
  });

  it('without an interrupt nothing is renamed, and another failure stays a failure', () => {
    // Prepare
    const { io, controller } = ioAt({ now: 0 });
    const stop = watchStop(io, undefined);
    const refused = {
      ...cancelled,
      error: toAwsCallError('DescribeVolumes', { name: 'UnauthorizedOperation' }),
    };

    // Act
    const before = stop.result(deferred);
    controller.abort(new Interrupt('SIGINT'));

    // Assess
    expect(before).toBe(deferred);
    expect(stop.failure(refused)).toBe(refused);
    expect(interruptOf(io.signal)).toBe('SIGINT');
  });

  it('an abort that is not an interrupt (a deadline of its own) is not one', () => {
    // Prepare
    const controller = new AbortController();

    // Act
    controller.abort();

    // Assess
    expect(interruptOf(controller.signal)).toBeUndefined();
  });
});
