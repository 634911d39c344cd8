import { describe, expect, it } from 'vitest';
import type { RunIndexEntry } from '../../app/serverless/run-index.js';
import { MAX_PART_BYTES, partsOf } from './run-index.js';

const REGIONS = Array.from({ length: 17 }, (_, i) => `ap-southeast-${i + 1}`);

function entry(accounts: number, failures = 0): RunIndexEntry {
  const ids = Array.from({ length: accounts }, (_, i) => String(100_000_000_000 + i));
  return {
    runId: '20261206T210000Z-3f9a2c',
    startedAt: '2026-12-06T21:00:00.000Z',
    source: 'schedule',
    targets: ids.flatMap((account) => REGIONS.map((region) => ({ account, region }))),
    failures: Array.from({ length: failures }, (_, i) => ({
      account: String(200_000_000_000 + i),
      code: 'AccessDenied',
      message: `User is not authorized to perform sts:AssumeRole ${'.'.repeat(600)}`,
    })),
  };
}

const bytesOf = (part: ReturnType<typeof partsOf>[number]) =>
  Buffer.byteLength(JSON.stringify(part.targets)) + Buffer.byteLength(JSON.stringify(part.failures));

describe('partsOf', () => {
  it('keeps a run of 1,000 accounts × 17 regions in one item', () => {
    // Act
    const parts = partsOf(entry(1000));

    // Assess
    expect(parts).toHaveLength(1);
    expect(Object.keys(parts[0]!.targets)).toHaveLength(1000);
    expect(bytesOf(parts[0]!)).toBeLessThan(MAX_PART_BYTES);
  });

  it('cuts 10,000 accounts and 2,000 failures into parts of at most 300 KB, losing nothing', () => {
    // Act
    const parts = partsOf(entry(10_000, 2000));

    // Assess
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(bytesOf(part)).toBeLessThanOrEqual(MAX_PART_BYTES + 1000);
    const targets = parts.flatMap((p) => Object.values(p.targets).flatMap((regions) => regions.split(',')));
    expect(targets).toHaveLength(170_000);
    expect(parts.flatMap((p) => p.failures)).toHaveLength(2000);
    expect(
      parts[0]!.failures[0]?.message.length ?? parts.at(-1)!.failures[0]!.message.length,
    ).toBeLessThanOrEqual(500);
  });

  it('writes one item for a run with nothing to do', () => {
    // Act / Assess
    expect(partsOf(entry(0))).toEqual([{ targets: {}, failures: [], bytes: 0 }]);
  });
});
