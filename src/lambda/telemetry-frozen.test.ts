/**
 * `FrozenMs` (SPEC §15): the worker emits one value per instance a target froze, with the target's
 * dimensions, and nothing when no instance was frozen.
 */
import { describe, expect, it } from 'vitest';
import type { TargetOutcome } from '../app/kit/notifications.js';
import type { RunRecord, WorkItem } from '../app/serverless/ports.js';
import { createTelemetry, workTelemetry } from './telemetry.js';

const item = { run_id: 'r', account: '111122223333', region: 'eu-west-1', continuation: 0 } as WorkItem;
const record = { created: 2, deleted: 0, failed: 0, deferred: 0, failures: [] } as unknown as RunRecord;

/** The EMF documents the worker's telemetry writes for one target. */
function emitted(outcome: TargetOutcome): Record<string, unknown>[] {
  const original = process.stdout.write.bind(process.stdout);
  let text = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    const { logger, metrics } = createTelemetry();
    workTelemetry(logger, metrics).finished(item, outcome, record);
  } finally {
    process.stdout.write = original;
  }
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => '_aws' in l);
}

describe('FrozenMs', () => {
  it('is one value per frozen instance, in the target’s metrics', () => {
    // Prepare
    const freezes = [
      {
        policy: 'db',
        instanceId: 'i-1',
        consistency: 'application',
        preSent: 1,
        frozenMs: 812.4,
        thawed: true,
      },
      { policy: 'db', instanceId: 'i-2', consistency: 'crash', preSent: 1, thawed: true },
      {
        policy: 'db',
        instanceId: 'i-3',
        consistency: 'application',
        preSent: 2,
        frozenMs: 1204,
        thawed: true,
      },
    ];
    const outcome = {
      runId: 'r',
      account: item.account,
      region: item.region,
      report: { results: [], freezes },
    };

    // Act
    const [target] = emitted(outcome as unknown as TargetOutcome);

    // Assess
    expect(target).toMatchObject({ Account: item.account, Region: item.region, FrozenMs: [812, 1204] });
  });

  it('is absent when nothing was frozen', () => {
    // Prepare
    const outcome = { runId: 'r', account: item.account, region: item.region, report: { results: [] } };

    // Act
    const [target] = emitted(outcome as unknown as TargetOutcome);

    // Assess
    expect(target).toBeDefined();
    expect(target).not.toHaveProperty('FrozenMs');
  });
});
