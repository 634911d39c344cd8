import { describe, expect, it } from 'vitest';
import { type Clock, DEFAULT_BUCKET, DESCRIBE_BUCKET, ThrottleRegistry, TokenBucket } from './throttle.js';

/** A clock that moves only when told; `sleep` resolves when `advance` passes its deadline. */
function fakeClock() {
  let now = 0;
  const sleepers: { until: number; wake: () => void }[] = [];
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      return new Promise((wake) => sleepers.push({ until: now + ms, wake }));
    },
  };
  const advance = async (ms: number) => {
    now += ms;
    for (const s of sleepers.filter((x) => x.until <= now)) {
      sleepers.splice(sleepers.indexOf(s), 1);
      s.wake();
    }
    await Promise.resolve();
  };
  return { clock, advance, sleeps };
}

/** Resolves to true when `promise` settled before the microtask queue drained. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
  return done;
}

describe('TokenBucket', () => {
  it('serves the burst without waiting', async () => {
    // Prepare
    const { clock, sleeps } = fakeClock();
    const bucket = new TokenBucket({ capacity: 100, refillPerSecond: 5 }, clock);

    // Act
    for (let i = 0; i < 100; i += 1) await bucket.take();

    // Assess
    expect(sleeps).toEqual([]);
    expect(bucket.available()).toBe(0);
  });

  it('makes callers beyond the burst wait for the refill, in order, without polling', async () => {
    // Prepare
    const { clock, advance, sleeps } = fakeClock();
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 5 }, clock);
    await bucket.take();
    await bucket.take();

    // Act
    const third = bucket.take();
    const fourth = bucket.take();

    // Assess
    expect(sleeps).toEqual([200, 400]);
    expect(await settled(third)).toBe(false);
    await advance(200);
    expect(await settled(third)).toBe(true);
    expect(await settled(fourth)).toBe(false);
    await advance(200);
    expect(await settled(fourth)).toBe(true);
  });

  it('refills over time up to its capacity and no further', async () => {
    // Prepare
    const { clock, advance } = fakeClock();
    const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 2 }, clock);
    for (let i = 0; i < 10; i += 1) await bucket.take();

    // Act
    await advance(1500);
    const afterPartialRefill = bucket.available();
    await advance(60_000);

    // Assess
    expect(afterPartialRefill).toBeCloseTo(3);
    expect(bucket.available()).toBe(10);
  });

  it('rejects a bucket that could never give a token', () => {
    // Prepare / Act / Assess
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => new TokenBucket({ capacity: 1, refillPerSecond: 0 })).toThrow(RangeError);
  });
});

describe('ThrottleRegistry', () => {
  it("is seeded from EC2's published buckets", () => {
    // Prepare
    const registry = new ThrottleRegistry();

    // Act
    const specs = [
      'CreateSnapshot',
      'CreateSnapshots',
      'DeleteSnapshot',
      'DescribeSnapshots',
      'CopySnapshot',
    ].map((a) => registry.specFor(a));

    // Assess
    expect(specs).toEqual([
      { capacity: 100, refillPerSecond: 5 },
      { capacity: 100, refillPerSecond: 5 },
      { capacity: 100, refillPerSecond: 5 },
      DESCRIBE_BUCKET,
      DEFAULT_BUCKET,
    ]);
    expect(DESCRIBE_BUCKET).toEqual({ capacity: 100, refillPerSecond: 20 });
    expect(DEFAULT_BUCKET).toEqual({ capacity: 50, refillPerSecond: 5 });
  });

  it('lets overrides win', () => {
    // Prepare
    const fast = { capacity: 100, refillPerSecond: 50 };
    const registry = new ThrottleRegistry({
      buckets: { CreateSnapshot: fast },
      describe: fast,
      fallback: fast,
    });

    // Act / Assess
    expect(registry.specFor('CreateSnapshot')).toBe(fast);
    expect(registry.specFor('DeleteSnapshot')).toEqual({ capacity: 100, refillPerSecond: 5 });
    expect(registry.specFor('DescribeVolumes')).toBe(fast);
    expect(registry.specFor('StopInstances')).toBe(fast);
  });

  it('keeps one bucket per account × region × action', async () => {
    // Prepare
    const { clock, sleeps } = fakeClock();
    const registry = new ThrottleRegistry({ clock, fallback: { capacity: 1, refillPerSecond: 1 } });

    // Act
    await registry.take('111111111111', 'us-east-1', 'StopInstances');
    await registry.take('222222222222', 'us-east-1', 'StopInstances');
    await registry.take('111111111111', 'eu-west-1', 'StopInstances');
    await registry.take('111111111111', 'us-east-1', 'StartInstances');
    const again = registry.take('111111111111', 'us-east-1', 'StopInstances');

    // Assess
    expect(sleeps).toEqual([1000]);
    expect(registry.bucketFor('111111111111', 'us-east-1', 'StopInstances')).toBe(
      registry.bucketFor('111111111111', 'us-east-1', 'StopInstances'),
    );
    expect(await settled(again)).toBe(false);
  });
});
