import { describe, expect, it } from 'vitest';
import { createFaultInjector } from './faults.js';

/** A clock the test moves by hand, in ms. */
function manualClock() {
  let time = 0;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

function decideMany(decide: (action: string) => unknown, action: string, times: number) {
  return Array.from({ length: times }, () => decide(action) === undefined);
}

describe('createFaultInjector', () => {
  it('lets a bucket of capacity 3 pass 3 requests, then refuses with RequestLimitExceeded', () => {
    // Prepare
    const clock = manualClock();
    const injector = createFaultInjector(
      { buckets: { CreateSnapshot: { capacity: 3, refillPerSecond: 2 } } },
      clock.now,
    );

    // Act
    const passed = decideMany(injector.decide, 'CreateSnapshot', 3);
    const refused = injector.decide('CreateSnapshot');

    // Assess
    expect(passed).toEqual([true, true, true]);
    expect(refused).toMatchObject({ code: 'RequestLimitExceeded', status: 503, throttle: true });
  });

  it('refills a bucket at its rate and never above its capacity', () => {
    // Prepare
    const clock = manualClock();
    const injector = createFaultInjector(
      { buckets: { CreateSnapshot: { capacity: 3, refillPerSecond: 2 } } },
      clock.now,
    );
    decideMany(injector.decide, 'CreateSnapshot', 3);

    // Act
    clock.advance(500);
    const afterHalfSecond = decideMany(injector.decide, 'CreateSnapshot', 2);
    clock.advance(60_000);
    const afterMinute = decideMany(injector.decide, 'CreateSnapshot', 4);

    // Assess
    expect(afterHalfSecond).toEqual([true, false]);
    expect(afterMinute).toEqual([true, true, true, false]);
  });

  it("gives each action its own bucket of the '*' size and leaves actions without a bucket alone", () => {
    // Prepare
    const clock = manualClock();
    const injector = createFaultInjector(
      { buckets: { '*': { capacity: 1, refillPerSecond: 0 } } },
      clock.now,
    );

    // Act
    const outcomes = ['DeleteSnapshot', 'DeleteSnapshot', 'CreateSnapshot'].map(
      (a) => injector.decide(a)?.code,
    );

    // Assess
    expect(outcomes).toEqual([undefined, 'RequestLimitExceeded', undefined]);
  });

  it('forces an error code the given number of times, then lets requests through', () => {
    // Prepare
    const forced = { code: 'SnapshotCreationPerVolumeRateExceeded', status: 400, times: 2 };
    const injector = createFaultInjector({ errorsFor: { CreateSnapshot: forced } });

    // Act
    const codes = ['CreateSnapshot', 'DeleteSnapshot', 'CreateSnapshot', 'CreateSnapshot'].map(
      (action) => injector.decide(action)?.code,
    );

    // Assess
    expect(codes).toEqual([
      'SnapshotCreationPerVolumeRateExceeded',
      undefined,
      'SnapshotCreationPerVolumeRateExceeded',
      undefined,
    ]);
  });

  it('throttles and fails about the configured shares, the same way for the same seed', () => {
    // Prepare
    const config = { throttleRate: 0.3, errorRate: 0.1, seed: 42 };
    const first = createFaultInjector(config);
    const second = createFaultInjector(config);

    // Act
    const codes = Array.from({ length: 2_000 }, () => first.decide('DescribeVolumes')?.code ?? 'ok');
    const again = Array.from({ length: 2_000 }, () => second.decide('DescribeVolumes')?.code ?? 'ok');
    const share = (code: string) => codes.filter((c) => c === code).length / codes.length;

    // Assess
    expect(again).toEqual(codes);
    expect(share('RequestLimitExceeded')).toBeCloseTo(0.3, 1);
    // 10% of the 70% not throttled.
    expect(share('InternalError')).toBeCloseTo(0.07, 1);
  });

  it("loses about the configured share of an action's answers, after the request was carried out", () => {
    // Prepare
    const injector = createFaultInjector({ loseAnswers: { DeleteSnapshot: 0.5 }, seed: 5 });

    // Act
    const faults = Array.from({ length: 2_000 }, () => injector.decide('DeleteSnapshot'));
    const others = Array.from({ length: 100 }, () => injector.decide('CreateSnapshot'));

    // Assess
    expect(faults.filter((f) => f?.lost === true).length / faults.length).toBeCloseTo(0.5, 1);
    expect(faults.filter((f) => f !== undefined && f.lost !== true)).toEqual([]);
    expect(others.filter((f) => f !== undefined)).toEqual([]);
  });

  it("draws each action's faults from its own stream: other actions side by side change nothing", () => {
    // Prepare
    const config = { throttleRate: 0.3, errorRate: 0.05, loseAnswers: { DeleteSnapshot: 0.5 }, seed: 9 };
    const alone = createFaultInjector(config);
    const crowded = createFaultInjector(config);

    // Act
    const deletesAlone = Array.from({ length: 200 }, () => alone.decide('DeleteSnapshot')?.code);
    const deletesCrowded = Array.from({ length: 200 }, (_, i) => {
      for (let j = 0; j < i % 3; j++) crowded.decide('CreateSnapshot');
      return crowded.decide('DeleteSnapshot')?.code;
    });

    // Assess
    expect(deletesCrowded).toEqual(deletesAlone);
  });
});
