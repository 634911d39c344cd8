import { describe, expect, it } from 'vitest';
import { clockAt, history, record, run } from '../../../../test/support/builders/run-history.js';
import { readDeploymentStatus } from './deployment-status.js';

const A = '111111111111/eu-west-1';
const B = '111111111111/us-east-1';
const C = '222222222222/eu-west-1';
const DAY_MS = 86_400_000;
const HOURLY = { expression: 'rate(1 hour)', timezone: 'UTC' };

const window = (now: string) => ({ now: clockAt(now), since: clockAt(now) - DAY_MS, schedule: HOURLY });
const states = (status: Awaited<ReturnType<typeof readDeploymentStatus>>) =>
  Object.fromEntries(status.targets.map((t) => [`${t.account}/${t.region}`, t.state]));

describe('readDeploymentStatus', () => {
  it('shows the latest run of every target and reads no older run when it says everything', async () => {
    // Prepare
    const older = run('10:00', [A, B]);
    const latest = run('11:00', [A, B]);
    const { deps, queried } = await history(
      [older, latest],
      [record(older, A, 'ok'), record(older, B, 'ok'), record(latest, A, 'ok'), record(latest, B, 'ok')],
    );

    // Act
    const status = await readDeploymentStatus(deps, window('11:30'));

    // Assess
    expect(states(status)).toEqual({ [A]: 'ok', [B]: 'ok' });
    expect(status.targets.every((t) => t.result?.runId === latest.runId)).toBe(true);
    expect(queried).toEqual([latest.runId]);
    expect(status.problems).toEqual([]);
    expect(status.latestRun?.runId).toBe(latest.runId);
  });

  it('calls a target that failed failed, and one without a record an hour after its run missing: problems both', async () => {
    // Prepare
    const latest = run('10:00', [A, B, C]);
    const { deps } = await history([latest], [record(latest, A, 'ok'), record(latest, B, 'failed')]);

    // Act
    const status = await readDeploymentStatus(deps, window('11:01'));

    // Assess
    expect(states(status)).toEqual({ [A]: 'ok', [B]: 'failed', [C]: 'missing' });
    expect(status.targets.filter((t) => t.problem).map((t) => `${t.account}/${t.region}`)).toEqual([B, C]);
    expect(status.problems).toEqual(['1 target failed', '1 target missing: no record where one was due']);
  });

  it('calls a target of a run younger than an hour running, and shows its last result from the run before', async () => {
    // Prepare
    const older = run('10:00', [A]);
    const latest = run('11:20', [A]);
    const { deps, queried } = await history([older, latest], [record(older, A, 'ok')]);

    // Act
    const status = await readDeploymentStatus(deps, window('11:30'));

    // Assess
    expect(status.targets).toMatchObject([
      {
        state: 'running',
        problem: false,
        result: { runId: older.runId },
        newest: { runId: latest.runId, state: 'running' },
      },
    ]);
    expect(queried).toEqual([latest.runId, older.runId]);
    expect(status.problems).toEqual([]);
  });

  it('shows the run before one that skipped a target (its lease was held by that run)', async () => {
    // Prepare: the 10:00 run worked on A until 11:10; the 11:00 run found the lease held
    const older = run('10:00', [A]);
    const latest = run('11:00', [A]);
    const { deps } = await history(
      [older, latest],
      [record(older, A, 'ok', { minutes: 70 }), record(latest, A, 'skipped')],
    );

    // Act
    const status = await readDeploymentStatus(deps, window('11:30'));

    // Assess
    expect(status.targets).toMatchObject([
      {
        state: 'ok',
        problem: false,
        result: { runId: older.runId },
        newest: { runId: latest.runId, state: 'skipped' },
      },
    ]);
  });

  it('follows continuations: running while one is due, missing when it never wrote, counts summed when done', async () => {
    // Prepare
    const latest = run('11:00', [A, B]);
    const records = [
      record(latest, A, 'continued', { minutes: 14, created: 3 }),
      record(latest, B, 'continued', { minutes: 14, created: 3 }),
      record(latest, B, 'ok', { continuation: 1, minutes: 20, created: 2 }),
    ];
    const { deps } = await history([latest], records);

    // Act
    const soon = await readDeploymentStatus(deps, window('11:30'));
    const late = await readDeploymentStatus(deps, window('12:30'));

    // Assess
    expect(states(soon)).toEqual({ [A]: 'running', [B]: 'ok' });
    expect(soon.targets.find((t) => t.region === 'us-east-1')?.result).toMatchObject({
      created: 5,
      continuations: 1,
      deferred: 0,
    });
    expect(states(late)).toEqual({ [A]: 'missing', [B]: 'ok' });
  });

  it('finds a deployment whose runs stopped overdue, and stalled, two scheduled starts later', async () => {
    // Prepare: the last run at 06:00 on an hourly schedule
    const last = run('06:00', [A]);
    const { deps } = await history([last], [record(last, A, 'ok')]);

    // Act
    const fine = await readDeploymentStatus(deps, window('08:30'));
    const stalled = await readDeploymentStatus(deps, window('10:00'));

    // Assess
    expect(fine.problems).toEqual([]);
    expect(stalled.targets).toMatchObject([{ state: 'ok', overdue: true, problem: true }]);
    expect(stalled.stalled).toMatch(
      /^no run since \S+ 2026-12-06T06:00:00.000Z, two scheduled starts ago \(rate\(1 hour\)\)/,
    );
    expect(stalled.problems).toHaveLength(2);
  });

  it('calls the targets of the latest run missing when none of them has a record in the window', async () => {
    // Prepare
    const last = run('06:00', [A]);
    const { deps } = await history([last], [record(last, A, 'ok')]);

    // Act
    const status = await readDeploymentStatus(deps, { now: clockAt('11:00'), since: clockAt('10:00') });

    // Assess
    expect(status.targets).toMatchObject([
      { state: 'missing', problem: true, result: { runId: last.runId } },
    ]);
    expect(status.latestRun?.runId).toBe(last.runId);
  });

  it('says nothing is wrong before the first run, and that the deployment stalled when it never came', async () => {
    // Prepare
    const { deps } = await history([], []);

    // Act
    const early = await readDeploymentStatus(deps, { ...window('11:00'), deployedAt: clockAt('10:30') });
    const never = await readDeploymentStatus(deps, { ...window('11:00'), deployedAt: clockAt('06:00') });

    // Assess
    expect(early).toMatchObject({ targets: [], problems: [] });
    expect(early.nextStart).toEqual({ at: clockAt('12:00'), exact: false });
    expect(never.problems).toEqual([
      'no run recorded since the stack was deployed 2026-12-06T06:00:00.000Z, two scheduled starts ago (rate(1 hour)): is the schedule enabled?',
    ]);
  });

  it('reports what the fan-out could not queue: regions, whole accounts, and the run as a whole', async () => {
    // Prepare
    const latest = run(
      '11:00',
      [A],
      [
        { account: '222222222222', regions: ['eu-west-1'], code: 'QueueDoesNotExist', message: 'gone' },
        { account: '333333333333', code: 'AccessDenied', message: 'role refused' },
      ],
    );
    const broken = run('11:10', [], [{ account: '*', code: 'ConfigError', message: 'bad config' }]);
    const { deps } = await history([latest, broken], [record(latest, A, 'ok')]);

    // Act
    const status = await readDeploymentStatus(deps, window('11:30'));

    // Assess
    expect(states(status)).toEqual({ [A]: 'ok', [C]: 'failed', '333333333333/*': 'failed' });
    expect(status.targets.find((t) => t.region === '*')?.notQueued).toEqual({
      code: 'AccessDenied',
      message: 'role refused',
    });
    expect(status.runFailures).toEqual([{ account: '*', code: 'ConfigError', message: 'bad config' }]);
    expect(status.problems[0]).toBe(`run ${broken.runId} failed: ConfigError: bad config`);
  });

  it('shows one run with runId: its targets only, a skipped one not a problem, no overdue', async () => {
    // Prepare
    const first = run('06:00', [A, B]);
    const second = run('07:00', [A]);
    const { deps, queried } = await history(
      [first, second],
      [record(first, A, 'ok'), record(first, B, 'skipped'), record(second, A, 'ok')],
    );

    // Act
    const status = await readDeploymentStatus(deps, { ...window('11:00'), runId: first.runId });

    // Assess
    expect(states(status)).toEqual({ [A]: 'ok', [B]: 'skipped' });
    expect(status.targets.every((t) => !t.problem && !t.overdue)).toBe(true);
    expect(status.stalled).toBeUndefined();
    expect(queried).toEqual([first.runId]);
  });
});
