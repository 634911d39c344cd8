import { describe, expect, it } from 'vitest';
import { schedulerExpressionProblem } from './scheduler-expression.js';

describe('schedulerExpressionProblem', () => {
  it.each([
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 hour)',
    'rate(12 hours)',
    'rate(1 day)',
    'rate(7 days)',
    'cron(0 3 * * ? *)',
    'cron(0 3 ? * * *)',
    'cron(0/15 * * * ? *)',
    'cron(*/10 8-18 ? * MON-FRI *)',
    'cron(0 3 ? * 2-6 *)',
    'cron(30 2 1,15 * ? *)',
    'cron(0 3 L * ? *)',
    'cron(0 3 LW * ? *)',
    'cron(0 3 15W * ? *)',
    'cron(0 3 ? * 6L *)',
    'cron(0 3 ? * FRIL *)',
    'cron(0 3 ? * 2#1 *)',
    'cron(0 3 ? * L *)',
    'cron(0 3 1 JAN,jul ? 2026-2030)',
    'cron(0 3 * * ? 2026/2)',
  ])('accepts %j, as Scheduler does', (expression) => {
    // Prepare / Act
    const problem = schedulerExpressionProblem(expression);

    // Assess
    expect(problem).toBeUndefined();
  });

  it.each([
    ['cron(0 3 * * * *)', 'cannot both be *'],
    ['cron(0 3 ? * ? *)', 'cannot both be ?'],
    ['cron(0 3 1 * MON *)', 'must be ?'],
    ['cron(0 3 * * ?)', '6 fields'],
    ['cron(0 3 * * ? * *)', '6 fields'],
    ['cron(0 3 * * *)', '6 fields'],
    ['cron(60 3 * * ? *)', 'minutes "60"'],
    ['cron(0 24 * * ? *)', 'hours "24"'],
    ['cron(0 3 0 * ? *)', 'day-of-month "0"'],
    ['cron(0 3 32 * ? *)', 'day-of-month "32"'],
    ['cron(0 3 * 13 ? *)', 'month "13"'],
    ['cron(0 3 * FOO ? *)', 'month "FOO"'],
    ['cron(0 3 ? * 0 *)', 'day-of-week "0"'],
    ['cron(0 3 ? * 8 *)', 'day-of-week "8"'],
    ['cron(0 3 ? * 2#6 *)', 'day-of-week "2#6"'],
    ['cron(0 3 ? * XYZL *)', 'day-of-week "XYZL"'],
    ['cron(0 3 * * ? 1969)', 'year "1969"'],
    ['cron(0 3 * * ? 2200)', 'year "2200"'],
    ['cron(0/0 3 * * ? *)', 'step'],
    ['cron(0/60 3 * * ? *)', 'step'],
    ['cron(? 3 * * ? *)', 'minutes "?"'],
    ['cron(0 3 L * ? *) extra', 'expected'],
    ['cron(0 0 31 2 ? *)', 'never'],
    ['rate(0 minutes)', 'at least 1'],
    ['rate(1 hours)', 'singular'],
    ['rate(5 hour)', 'plural'],
    ['rate(2 weeks)', 'expected'],
    ['rate(-1 hours)', 'expected'],
    ['rate(1.5 hours)', 'expected'],
    ['RATE(1 hour)', 'expected'],
    ['at(2027-02-30T03:00:00)', 'real date'],
    ['at(2027-01-31T24:00:00)', 'real date'],
    ['at(2027-01-31 03:00:00)', 'expected'],
    // Scheduler takes these, but a backup schedule that runs once and stops is refused
    ['at(2027-01-31T03:00:00)', 'starts one run and never another'],
    ['at(2028-02-29T23:59:59)', 'starts one run and never another'],
    ['0 3 * * ? *', 'expected'],
    ['', 'expected'],
  ])('refuses %j (%s)', (expression, says) => {
    // Prepare / Act
    const problem = schedulerExpressionProblem(expression);

    // Assess
    expect(problem).toContain(says);
  });
});
