import { describe, expect, it } from 'vitest';
import {
  blend,
  type FanOutFigures,
  type Fleet,
  IDLE_POLLING_REQUESTS,
  metricCharge,
  monthlyBill,
  PRICES,
  type TargetFigures,
} from '../../bench/support/cost-model.js';

const NOTHING: TargetFigures = {
  invocations: 0,
  billedMs: 0,
  sqsRequests: 0,
  dynamoWriteUnits: 0,
  dynamoReadUnits: 0,
  storedBytes: 0,
  logBytes: 0,
  metricSeries: 0,
};
const NO_FANOUT: FanOutFigures = { memoryMb: 256, baseMs: 0, msPerAccount: 0, logBytesPerAccount: 0 };
const FLEET: Fleet = {
  accounts: 1000,
  regions: 17,
  runsPerMonth: 730,
  nonEmptyShare: 0.1,
  workerMemoryMb: 1024,
  retentionDays: 30.4,
};

describe('the cost model', () => {
  it('charges custom metrics through the tiers', () => {
    // Prepare
    const counts = [0, 10_000, 20_000, 1_250_000];

    // Act
    const charges = counts.map((n) => metricCharge(n));

    // Assess
    expect(charges[0]).toBe(0);
    expect(charges[1]).toBeCloseTo(3_000, 6);
    expect(charges[2]).toBeCloseTo(4_000, 6);
    expect(charges[3]).toBeCloseTo(3_000 + 24_000 + 37_500 + 5_000, 6);
  });

  it('charges a gigabyte-second of a 1,024 MB worker per second of billed duration, and every request', () => {
    // Prepare
    const perTarget = { ...NOTHING, invocations: 1, billedMs: 1000 };

    // Act
    const bill = monthlyBill(FLEET, perTarget, NO_FANOUT);

    // Assess: 17,000 targets × 730 runs, 1 GB-s and one request each, plus the fan-out's request per run.
    const runsOfTargets = 17_000 * 730;
    expect(bill.lambda).toBeCloseTo(
      runsOfTargets * PRICES.lambdaGbSecond + (runsOfTargets + 730) * PRICES.lambdaRequest,
      6,
    );
  });

  it('bills a metric only for the hours it gets data: a daily run pays one hour in 24', () => {
    // Prepare
    const perTarget = { ...NOTHING, metricSeries: 1 };
    const daily = { ...FLEET, accounts: 10, runsPerMonth: 30.4 };

    // Act
    const hourly = monthlyBill({ ...FLEET, accounts: 10 }, perTarget, NO_FANOUT).metrics;
    const once = monthlyBill(daily, perTarget, NO_FANOUT).metrics;

    // Assess: 170 metrics all month, or 170 × 30.4 hours of 730.
    expect(hourly).toBeCloseTo(170 * 0.3, 6);
    expect(once).toBeCloseTo(((170 * 30.4) / 730) * 0.3, 6);
  });

  it('keeps run records for their retention: storage grows with the days they stay', () => {
    // Prepare
    const perTarget = { ...NOTHING, storedBytes: 1000 };

    // Act
    const month = monthlyBill(FLEET, perTarget, NO_FANOUT).dynamo;
    const quarter = monthlyBill({ ...FLEET, retentionDays: 91.2 }, perTarget, NO_FANOUT).dynamo;

    // Assess: 17,000 × 730 × 1 kB = 12.41 GB kept a month.
    expect(month).toBeCloseTo(12.41 * PRICES.dynamoStorageGbMonth, 6);
    expect(quarter).toBeCloseTo(3 * month, 6);
  });

  it('pays the queue’s idle polling even with no target, and blends empty and non-empty targets by share', () => {
    // Prepare
    const busy = { ...NOTHING, sqsRequests: 3, logBytes: 1000 };

    // Act
    const idle = monthlyBill({ ...FLEET, accounts: 0 }, NOTHING, NO_FANOUT);
    const mixed = blend(NOTHING, busy, 0.25);

    // Assess
    expect(idle.sqs).toBeCloseTo(IDLE_POLLING_REQUESTS * PRICES.sqsRequest, 9);
    expect(idle.total).toBeCloseTo(
      idle.sqs + 730 * PRICES.lambdaRequest + 730 * PRICES.schedulerInvocation,
      9,
    );
    expect(mixed).toEqual({ ...NOTHING, sqsRequests: 0.75, logBytes: 250 });
  });
});
