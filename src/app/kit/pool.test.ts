import { describe, expect, it } from 'vitest';
import { runPool } from './pool.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('runPool', () => {
  it('runs every item, never more than `concurrency` at once', async () => {
    // Prepare
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];

    // Act
    await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick();
      seen.push(item);
      inFlight -= 1;
    });

    // Assess
    expect(most).toBe(3);
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('finishes the other items before rejecting with a worker error', async () => {
    // Prepare
    const seen: number[] = [];

    // Act
    const run = runPool([1, 2, 3, 4], 2, async (item) => {
      await tick();
      if (item === 1) throw new Error('boom');
      seen.push(item);
    });

    // Assess
    await expect(run).rejects.toThrow('boom');
    expect(seen).toEqual([2, 3, 4]);
  });

  it('runs one at a time when given a concurrency below one', async () => {
    // Prepare
    let inFlight = 0;
    let most = 0;

    // Act
    await runPool([1, 2, 3], 0, async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick();
      inFlight -= 1;
    });

    // Assess
    expect(most).toBe(1);
  });
});
