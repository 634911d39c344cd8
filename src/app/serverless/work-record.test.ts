import { describe, expect, it } from 'vitest';
import type { RunReport } from '../run/results.js';
import { emptyReportOf } from './empty-target.js';
import type { WorkItem } from './ports.js';
import { recordOf } from './work-telemetry.js';

const ITEM: WorkItem = { account: '111111111111', region: 'eu-west-1', run_id: 'r-1', continuation: 0 };
const NOW = Date.parse('2026-12-01T10:00:00Z');

/** A run that created its snapshot and had no action fail, with `change` applied to its report. */
function reportWith(change: (report: RunReport) => RunReport): RunReport {
  const report = emptyReportOf(ITEM, NOW);
  return change({ ...report, summary: { ...report.summary, created: 1 } });
}

describe('recordOf', () => {
  it.each([
    [
      'deletes held: a listing delete safety needs could not be read',
      reportWith((r) => ({
        ...r,
        plan: { ...r.plan, deletesHeld: ['DescribeLockedSnapshots (InvalidAction)'] },
      })),
      { code: 'deletes.held', message: 'could not read DescribeLockedSnapshots (InvalidAction)' },
    ],
    [
      'the guard tripped',
      reportWith((r) => ({ ...r, plan: { ...r.plan, guard: { tripped: true, wanted: 40, limit: 10 } } })),
      { code: 'guard.tripped', message: '40 deletes wanted, limit 10; nothing deleted' },
    ],
    [
      'copies held',
      reportWith((r) => ({ ...r, plan: { ...r.plan, copiesHeld: ['us-west-2 (UnauthorizedOperation)'] } })),
      { code: 'copies.held', message: 'could not list us-west-2 (UnauthorizedOperation)' },
    ],
    [
      'an instance a crashed run left stopped could not be started',
      reportWith((r) => ({
        ...r,
        givenBack: [
          { instanceId: 'i-1', done: [], error: { code: 'IncorrectInstanceState', message: 'no' } },
        ],
      })),
      { code: 'IncorrectInstanceState', message: 'no', subject: 'give back i-1' },
    ],
  ])('says why a run failed with no action failed: %s', (_, report, failure) => {
    // Prepare / Act
    const record = recordOf(ITEM, NOW, NOW + 50, { report }, false);

    // Assess: failed, and never with nothing to say why
    expect(record.outcome).toBe('failed');
    expect(record.failures).toEqual([failure]);
  });
});
