import { describe, expect, it } from 'vitest';
import { createOf, planOf } from '../../../test/support/builders/actions.js';
import type { RunReport } from '../../app/run/results.js';
import { toAwsCallError } from '../../aws/errors.js';
import type { TargetFailure } from '../targets.js';
import { planSummaryLine, runSummaryLine } from './summary-lines.js';

const plan = planOf([createOf('vol-1')]);
const reportOf = (extra: Partial<RunReport> = {}): RunReport => ({
  plan,
  results: [],
  summary: { created: 1, copied: 0, deleted: 0, failed: 0, deferred: 0, skipped: 0 },
  deadlineReached: false,
  dryRun: false,
  ...extra,
});
const refused = (label: string, region?: string): TargetFailure => ({
  label,
  account: label.slice(0, 12),
  ...(region === undefined ? {} : { region }),
  error: toAwsCallError('DescribeVolumes', { name: 'UnauthorizedOperation', message: 'no' }),
});

describe('the Plan: line', () => {
  it.each([
    [0, '(0 accounts × regions)'],
    [1, '(1 account × region)'],
    [2, '(2 accounts × regions)'],
  ])('counts %i planned accounts × regions in words', (n, words) => {
    // Act
    const line = planSummaryLine(Array.from({ length: n }, () => plan));

    // Assess
    expect(line).toBe(`Plan: ${n} to create, 0 to delete, 0 kept, 0 not due ${words}.`);
  });

  it('names what could not be planned after the totals of what was', () => {
    // Act
    const line = planSummaryLine([plan], [refused('111111111111/eu-west-1', 'eu-west-1')]);

    // Assess
    expect(line).toBe(
      'Plan: 1 to create, 0 to delete, 0 kept, 0 not due (1 account × region); ' +
        '1 account × region could not be planned: 111111111111/eu-west-1 (UnauthorizedOperation).',
    );
  });

  it('never reads as "0 to create" when nothing could be planned', () => {
    // Act
    const line = planSummaryLine([], [refused('111111111111/*'), refused('222222222222/*')]);

    // Assess
    expect(line).toBe(
      'Plan: nothing planned; 2 accounts could not be planned: 111111111111/* (UnauthorizedOperation), ' +
        '222222222222/* (UnauthorizedOperation).',
    );
  });

  it('names at most three places, and says how many more', () => {
    // Prepare
    const failures = ['a', 'b', 'c', 'd', 'e'].map((r) => refused(`111111111111/${r}`, r));

    // Act
    const line = planSummaryLine([], [refused('999999999999/*'), ...failures]);

    // Assess
    expect(line).toMatch(/^Plan: nothing planned; 1 account and 5 accounts × regions could not be planned: /);
    expect(line).toMatch(/111111111111\/b \(UnauthorizedOperation\), and 3 more\.$/);
  });
});

describe('the Run: line', () => {
  it.each([
    [0, '0 created'],
    [1, '1 created'],
    [2, '2 created'],
  ])('adds up %i reports', (n, created) => {
    // Act
    const line = runSummaryLine(Array.from({ length: n }, () => reportOf()));

    // Assess
    expect(line).toBe(`Run: ${created}, 0 deleted, 0 failed, 0 deferred, 0 skipped.`);
  });

  it('says what could not be planned, and "nothing done" when nothing could', () => {
    // Act
    const some = runSummaryLine([reportOf()], { failures: [refused('111111111111/*')] });
    const none = runSummaryLine([], { failures: [refused('111111111111/*')] });

    // Assess
    expect(some).toBe(
      'Run: 1 created, 0 deleted, 0 failed, 0 deferred, 0 skipped; 1 account could not be planned.',
    );
    expect(none).toBe('Run: nothing done; 1 account could not be planned.');
  });

  it('says an interrupt stopped the run, never that it reached its deadline', () => {
    // Act
    const interrupted = runSummaryLine([reportOf({ deadlineReached: true })], { interrupted: 'SIGINT' });
    const deadline = runSummaryLine([reportOf({ deadlineReached: true })]);

    // Assess
    expect(interrupted).toMatch(
      /\. Interrupted \(SIGINT\): the run stopped early; the next run picks up the rest\.$/,
    );
    expect(interrupted).not.toMatch(/deadline/i);
    expect(deadline).toMatch(/\. Deadline reached: the next run picks up the rest\.$/);
  });
});
