/**
 * `ebs-snapper trigger` end to end: the built CLI invokes the stack's fan-out asynchronously (moto
 * cannot run Lambda, so the proxy answers Invoke as Lambda does and records it — see
 * `test/support/proxy/lambda-invoke.ts`), with the run id it prints in the event; with `--wait` it
 * follows that run while the test plays the fan-out (given what the CLI sent) and the workers, and
 * ends with the run's status — the whole loop of a run started by hand.
 */
import { describe, expect, it } from 'vitest';
import { seedWebFleet, webPolicy } from '../support/moto/member-accounts.js';
import { MOTO_ACCOUNT_ID } from '../support/moto/moto.js';
import { createLambdaInvokeEmulator, type LambdaInvokeEmulator } from '../support/proxy/lambda-invoke.js';
import { type CliResult, runCli, runCliJson, startCli } from './cli.js';
import { useDeployBehindProxy } from './deploy-harness.js';
import { deployForOperating, playRun, useHandlerEnvironment } from './operate-harness.js';

const RUN_ID = /^started run (\d{8}T\d{6}Z-[0-9a-f]{6}) \(ebs-snapper-fanout, invoked asynchronously\)$/m;

describe('trigger', () => {
  const t = useDeployBehindProxy();
  const handlerEnvironment = useHandlerEnvironment();

  function emulateInvoke(): LambdaInvokeEmulator {
    const invoke = createLambdaInvokeEmulator();
    t.proxy.configure({ emulations: [invoke] });
    return invoke;
  }

  it('invokes the fan-out asynchronously with the run id it prints', async () => {
    // Prepare
    await deployForOperating(t, webPolicy([MOTO_ACCOUNT_ID], ['us-east-1']));
    const invoke = emulateInvoke();
    const before = Date.now();

    // Act
    const result = await runCli(['trigger'], t.env);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    const runId = RUN_ID.exec(result.stdout)?.[1];
    expect(runId).toBeDefined();
    expect(result.stdout).toContain(
      `watch it: ebs-snapper status --stack ebs-snapper --stack-region us-east-1 --run ${runId}`,
    );
    expect(invoke.invocations()).toEqual([
      {
        functionName: 'ebs-snapper-fanout',
        invocationType: 'Event',
        payload: JSON.stringify({ run_id: runId }),
      },
    ]);
    // The run id tells the time it was made (to the second).
    const stamp = runId!
      .slice(0, 16)
      .replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z');
    expect(Date.parse(stamp)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(t.proxy.iamActions()).toContain('lambda:InvokeFunction');
  });

  it('prints one JSON document with the run id', async () => {
    // Prepare
    await deployForOperating(t, webPolicy([MOTO_ACCOUNT_ID], ['us-east-1']));
    const invoke = emulateInvoke();

    // Act
    const result = await runCliJson<{ command: string; run_id: string; wait: boolean }>(['trigger'], t.env);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({ command: 'trigger', function: 'ebs-snapper-fanout', wait: false });
    expect(JSON.parse(invoke.invocations()[0]!.payload)).toEqual({ run_id: result.json.run_id });
  });

  it('--wait follows the run the fan-out and the workers carry out, then prints its status and exits 0', async () => {
    // Prepare
    await seedWebFleet(t.moto.endpoint, MOTO_ACCOUNT_ID, 'us-east-1');
    const { deployment } = await deployForOperating(
      t,
      webPolicy([MOTO_ACCOUNT_ID], ['us-east-1', 'eu-west-1']),
    );
    handlerEnvironment(deployment);
    const invoke = emulateInvoke();

    // Act: the CLI waits; Lambda's part is played once the invocation reached the proxy
    const waiting = collect(startCli(['trigger', '--wait', '--timeout', '5m'], t.env));
    const invocation = await until(() => invoke.invocations()[0], 'the fan-out to be invoked');
    const played = await playRun(deployment, { event: JSON.parse(invocation.payload) });
    const result = await waiting;

    // Assess
    const runId = (JSON.parse(invocation.payload) as { run_id: string }).run_id;
    expect(played.runId).toBe(runId);
    expect(played.records.map((r) => `${r.region} ${r.outcome}`).sort()).toEqual([
      'eu-west-1 ok',
      'us-east-1 ok',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`started run ${runId} (ebs-snapper-fanout); following it for up to 5m`);
    expect(result.stderr).toMatch(new RegExp(`run ${runId}: 2 of 2 targets done`));
    expect(result.stdout).toContain(
      `stack ebs-snapper in us-east-1 (table ${deployment.table}): run ${runId}`,
    );
    expect(result.stdout).toContain(`run ${runId} (trigger) started`);
    expect(result.stdout).toMatch(
      new RegExp(`✓ ok +${MOTO_ACCOUNT_ID}/us-east-1 +run ${runId}, ended .*: created 2`),
    );
    expect(result.stdout).toMatch(/\n2 targets: 2 ok, 0 failed, 0 missing, 0 running, 0 skipped/);
  });

  it('--wait exits 1 with the run still running when the timeout passes first', async () => {
    // Prepare: nobody plays the fan-out
    await deployForOperating(t, webPolicy([MOTO_ACCOUNT_ID], ['us-east-1']));
    emulateInvoke();

    // Act
    const result = await runCli(['trigger', '--wait', '--timeout', '2s'], t.env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/run \S+: waiting for the fan-out/);
    expect(result.stderr).toMatch(
      /Error: run \S+ is not in the run index after 2s: the fan-out did not start it \(see the log group \/aws\/lambda\/ebs-snapper-fanout\)/,
    );
  });
});

/** Everything a started CLI prints, and its exit code. */
function collect(child: ReturnType<typeof startCli>): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Wait for `look` to find something (what a spawned CLI does takes its own time). */
async function until<T>(look: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const found = look();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}
