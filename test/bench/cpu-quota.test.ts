import { describe, expect, it } from 'vitest';
import {
  lambdaCpuShare,
  lambdaHeapFlags,
  type QuotaState,
  startQuota,
  stepQuota,
} from '../../bench/support/cpu-quota.js';

/** A child that burns one CPU whenever it runs, polled every `pollMs` and seen `lagMs` late. */
function simulate(share: number, seconds: number, pollMs: number, lagMs: number) {
  const shape = { periodMs: 100, quotaMs: share * 100 };
  let state: QuotaState = startQuota(0, 0);
  let cpu = 0;
  const seen: number[] = [0];
  let stops = 0;
  for (let now = pollMs; now <= seconds * 1000; now += pollMs) {
    if (!state.stopped) cpu += pollMs;
    seen.push(cpu);
    const lagged = seen[Math.max(0, seen.length - 1 - Math.round(lagMs / pollMs))]!;
    const next = stepQuota(state, now, lagged, shape);
    if (next.signal === 'SIGSTOP') stops += 1;
    state = next.state;
  }
  return { share: cpu / (seconds * 1000), stops };
}

describe('the CPU quota', () => {
  it('holds a busy child to its share over a run, even when its CPU time is seen late', () => {
    // Prepare
    const shares = [0.579, 0.868, 0.3];

    // Act
    const held = shares.map((share) => simulate(share, 60, 2, 10));

    // Assess
    held.forEach(({ share, stops }, i) => {
      expect(Math.abs(share - shares[i]!)).toBeLessThan(0.01);
      expect(stops).toBeGreaterThan(500);
    });
  });

  it('banks no unused quota: a child idle for a second gets no burst after it', () => {
    // Prepare
    const shape = { periodMs: 100, quotaMs: 50 };
    const idle = startQuota(0, 0);

    // Act: a second passes with no CPU used, then the child has used 60 ms of its new period.
    const after = stepQuota(idle, 1000, 0, shape);
    const busy = stepQuota(after.state, 1030, 60, shape);

    // Assess
    expect(after.signal).toBeUndefined();
    expect(busy.signal).toBe('SIGSTOP');
  });

  it('gives Lambda’s share and heap flags for a memory size', () => {
    // Prepare
    const sizes = [1024, 1769, 2048];

    // Act
    const shares = sizes.map(lambdaCpuShare);
    const flags = lambdaHeapFlags(1024);

    // Assess
    expect(shares.map((s) => Math.round(s * 1000) / 1000)).toEqual([0.579, 1, 1.158]);
    expect(flags).toEqual(['--max-semi-space-size=51', '--max-old-space-size=922']);
  });
});
