import { describe, expect, it } from 'vitest';
import type { TargetOutcome } from '../app/kit/notifications.js';
import type { ActionResult } from '../app/run/results.js';
import { perPolicy } from './telemetry.js';

const result = (
  action: ActionResult['action'],
  status: ActionResult['status'],
  policy = 'web',
): ActionResult => ({ action, status, policy, region: 'eu-west-1', volumeId: 'vol-1' }) as ActionResult;

describe('perPolicy', () => {
  it('counts creates and deletes done, and failures; a copy done is neither a create nor a delete', () => {
    // Prepare
    const outcome = {
      runId: 'r',
      account: '111111111111',
      region: 'eu-west-1',
      report: {
        results: [
          result('create', 'done'),
          result('delete', 'done'),
          result('copy', 'done'),
          result('copy', 'failed'),
          result('delete', 'done', 'db'),
        ],
      },
    } as unknown as TargetOutcome;

    // Act
    const counts = Object.fromEntries(perPolicy(outcome));

    // Assess
    expect(counts).toEqual({
      web: { created: 1, deleted: 1, failed: 1, overdue: 0 },
      db: { created: 0, deleted: 1, failed: 0, overdue: 0 },
    });
  });
});
