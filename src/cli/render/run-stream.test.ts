import { describe, expect, it } from 'vitest';
import { createOf, planOf } from '../../../test/support/builders/actions.js';
import type { ActionResult, RunReport } from '../../app/run/results.js';
import { snapshotId, volumeId } from '../../core/model.js';
import { runStream } from './run-stream.js';

const plan = planOf([createOf('vol-1'), createOf('vol-2')]);
const done = (volume: string): ActionResult => ({
  action: 'create',
  policy: 'daily',
  account: plan.account,
  region: plan.region,
  volumeId: volumeId(volume),
  snapshotId: snapshotId(`snap-${volume}`),
  status: 'done',
});
const where = `${plan.account}/${plan.region}`;

describe('run output as it goes', () => {
  it('writes the plan at once, then one line per result naming its place, then the summary', () => {
    // Prepare
    const writes: string[] = [];
    const stream = runStream((text) => writes.push(text), { color: false, verbose: false });
    const report: RunReport = {
      plan,
      results: [done('vol-1'), done('vol-2')],
      summary: { created: 2, copied: 0, deleted: 0, failed: 0, deferred: 0, skipped: 0 },
      deadlineReached: false,
      dryRun: false,
    };

    // Act
    stream.plan(plan);
    for (const result of report.results) stream.result(result, where);
    stream.end([report], {});

    // Assess
    expect(writes).toHaveLength(4);
    expect(writes[0]).toMatch(
      new RegExp(
        `^${plan.account} ${plan.region} .*\\n  \\+ create .*vol-1.*\\n  \\+ create .*vol-2.*\\n\\n$`,
      ),
    );
    expect(writes[1]).toBe(`  done      ${where}  create daily snap-vol-1 vol-1\n`);
    expect(writes[2]).toBe(`  done      ${where}  create daily snap-vol-2 vol-2\n`);
    expect(writes[3]).toBe(
      '\nPlan: 2 to create, 0 to delete, 0 kept, 0 not due (1 account × region).\n' +
        'Run: 2 created, 0 deleted, 0 failed, 0 deferred, 0 skipped.\n',
    );
  });

  it('prints at the end the warnings the run added after printing the plan', () => {
    // Prepare
    const writes: string[] = [];
    const stream = runStream((text) => writes.push(text), { color: false, verbose: false });
    const early = { code: 'plan.unknown-policy' as const, message: 'seen at planning' };
    const late = { code: 'plan.unknown-policy' as const, message: 'the journal could not be written' };

    // Act
    stream.plan({ ...plan, warnings: [early] });
    stream.end(
      [
        {
          plan: { ...plan, warnings: [early, late] },
          results: [],
          summary: { created: 0, copied: 0, deleted: 0, failed: 0, deferred: 0, skipped: 0 },
          deadlineReached: false,
          dryRun: false,
        },
      ],
      {},
    );

    // Assess
    expect(writes[0]).toContain('  warning: seen at planning');
    expect(writes[1]).toContain(`  warning: the journal could not be written (in ${where})\n`);
    expect(writes[1]).not.toContain('seen at planning');
  });
});
