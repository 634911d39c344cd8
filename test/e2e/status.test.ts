/**
 * `ebs-snapper status` end to end: the hub deployed by the built CLI into moto, runs carried out by
 * the built handlers in the test (Lambda's part played), then `status` read through the stack:
 * a target that failed and a target whose message was lost (missing) exit 1; a healthy run exits 0;
 * text and JSON.
 */
import { describe, expect, it } from 'vitest';
import { seedWebFleet, webPolicy } from '../support/moto/member-accounts.js';
import { MOTO_ACCOUNT_ID } from '../support/moto/moto.js';
import { runCli, runCliJson } from './cli.js';
import { useDeployBehindProxy } from './deploy-harness.js';
import { deployForOperating, playRun, useHandlerEnvironment } from './operate-harness.js';

const MEMBER = '111111111111';
const HOURS = 3_600_000;

interface StatusJson {
  ok: boolean;
  problems: string[];
  latest_run: { run_id: string; targets: number; source: string } | null;
  summary: Record<string, number>;
  targets: {
    account: string;
    region: string;
    state: string;
    problem: boolean;
    run_id: string | null;
    created: number;
    failures: { code: string; message: string }[];
    newest_run: { run_id: string; state: string } | null;
  }[];
}

describe('status', () => {
  const t = useDeployBehindProxy();
  const handlerEnvironment = useHandlerEnvironment();

  it('exits 1 naming a target that failed and a target with no record, two hours after the run', async () => {
    // Prepare: the own account's web fleet in us-east-1; the member's role refused; one message lost
    await seedWebFleet(t.moto.endpoint, MOTO_ACCOUNT_ID, 'us-east-1');
    const { deployment } = await deployForOperating(
      t,
      webPolicy([MOTO_ACCOUNT_ID, MEMBER], ['us-east-1', 'eu-west-1']),
    );
    handlerEnvironment(deployment);
    t.proxy.configure({
      errorsFor: {
        AssumeRole: {
          code: 'AccessDenied',
          status: 403,
          message: 'not authorized to assume ebs-snapper-member',
        },
      },
    });
    const run = await playRun(deployment, {
      fanOutClock: () => Date.now() - 2 * HOURS,
      drop: (item) => item.account === MOTO_ACCOUNT_ID && item.region === 'eu-west-1',
    });
    t.proxy.configure({});

    // Act
    const text = await runCli(['status'], t.env);
    const json = await runCliJson<StatusJson>(['status'], t.env);

    // Assess
    expect(run.records.map((r) => `${r.account}/${r.region} ${r.outcome}`).sort()).toEqual([
      `${MEMBER}/eu-west-1 failed`,
      `${MEMBER}/us-east-1 failed`,
      `${MOTO_ACCOUNT_ID}/us-east-1 ok`,
    ]);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`✗ failed +${MEMBER}/us-east-1 +run ${run.runId}`));
    expect(text.stdout).toMatch(/\n {6}AccessDenied: .*not authorized to assume ebs-snapper-member\n/);
    expect(text.stdout).toMatch(
      new RegExp(`\\? missing +${MOTO_ACCOUNT_ID}/eu-west-1 +run ${run.runId} has no record`),
    );
    expect(text.stdout).toMatch(
      new RegExp(`✓ ok +${MOTO_ACCOUNT_ID}/us-east-1 +run ${run.runId}, ended \\d+m ago: created 2`),
    );
    expect(text.stdout).toMatch(/problems: 2 targets failed; 1 target missing/);
    expect(json.code).toBe(1);
    expect(json.json.ok).toBe(false);
    expect(json.json.latest_run).toMatchObject({ run_id: run.runId, targets: 4, source: 'schedule' });
    expect(json.json.summary).toMatchObject({ targets: 4, ok: 1, failed: 2, missing: 1, running: 0 });
    const own = json.json.targets.find((x) => x.account === MOTO_ACCOUNT_ID && x.region === 'us-east-1');
    expect(own).toMatchObject({ state: 'ok', problem: false, run_id: run.runId, created: 2 });
    const missing = json.json.targets.find((x) => x.state === 'missing');
    expect(missing).toMatchObject({
      account: MOTO_ACCOUNT_ID,
      region: 'eu-west-1',
      run_id: null,
      newest_run: { run_id: run.runId, state: 'missing' },
    });
  });

  it('calls a target of a run of minutes ago without a record running, not missing', async () => {
    // Prepare
    const { deployment } = await deployForOperating(
      t,
      webPolicy([MOTO_ACCOUNT_ID], ['us-east-1', 'eu-west-1']),
    );
    handlerEnvironment(deployment);
    const run = await playRun(deployment, { drop: (item) => item.region === 'eu-west-1' });

    // Act
    const json = await runCliJson<StatusJson>(['status'], t.env);

    // Assess
    expect(json.code, json.stderr).toBe(0);
    expect(json.json.summary).toMatchObject({ ok: 1, running: 1, missing: 0 });
    expect(json.json.targets.find((x) => x.region === 'eu-west-1')?.newest_run).toEqual({
      run_id: run.runId,
      started_at: expect.any(String),
      state: 'running',
    });
  });

  it('exits 0 when every target of the latest run did its work, and reads one run only', async () => {
    // Prepare: an older run, then the latest
    await seedWebFleet(t.moto.endpoint, MOTO_ACCOUNT_ID, 'us-east-1');
    const { deployment } = await deployForOperating(
      t,
      webPolicy([MOTO_ACCOUNT_ID], ['us-east-1', 'eu-west-1']),
    );
    handlerEnvironment(deployment);
    await playRun(deployment, { fanOutClock: () => Date.now() - HOURS });
    const latest = await playRun(deployment);
    t.proxy.resetCounts();

    // Act
    const text = await runCli(['status', '--since', '3h'], t.env);
    const queries = t.proxy.counts().Query;
    const json = await runCliJson<StatusJson>(['status'], t.env);

    // Assess
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`latest run ${latest.runId} (schedule) started`);
    expect(text.stdout).toMatch(/\n2 targets: 2 ok, 0 failed, 0 missing, 0 running, 0 skipped; 0 overdue/);
    expect(text.stdout).not.toContain('problems:');
    // One Query of the run index and one of the latest run's records: the older run is not read.
    expect(queries).toBe(2);
    expect(json.json).toMatchObject({ ok: true, problems: [], summary: { targets: 2, ok: 2 } });
    expect(json.json.targets.every((x) => x.run_id === latest.runId)).toBe(true);
  });

  it('shows one run with --run, and names a run the index does not have', async () => {
    // Prepare
    const { deployment } = await deployForOperating(t, webPolicy([MOTO_ACCOUNT_ID], ['us-east-1']));
    handlerEnvironment(deployment);
    const first = await playRun(deployment);
    await playRun(deployment);

    // Act
    const shown = await runCliJson<StatusJson & { run_id: string }>(['status', '--run', first.runId], t.env);
    const unknown = await runCli(['status', '--run', '20200101T000000Z-000000'], t.env);
    const bad = await runCli(['status', '--run', 'yesterday'], t.env);

    // Assess
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.json.run_id).toBe(first.runId);
    expect(shown.json.targets.map((x) => x.run_id)).toEqual([first.runId]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no run 20200101T000000Z-000000 in the run index of ebs-snapper-Table-/);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--run: "yesterday" is not a run id');
  });

  it('says no run is recorded yet after a deploy, and exits 0 until the schedule is overdue', async () => {
    // Prepare
    await deployForOperating(t, webPolicy([MOTO_ACCOUNT_ID], ['us-east-1']));

    // Act
    const result = await runCli(['status'], t.env);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('no run recorded yet');
    expect(result.stdout).toMatch(/schedule rate\(1 hour\) \(UTC\): next run by /);
  });
});
