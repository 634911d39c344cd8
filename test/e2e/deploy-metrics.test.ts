/**
 * `deploy --metrics target|deployment` end to end against moto: the stack's `MetricDimensions`
 * parameter reaches the worker's environment (`EBS_SNAPPER_METRICS`, set only for `deployment`),
 * a deploy without the option keeps the stack's and stays "unchanged", a dry run names the
 * parameter it would change, and a mode that is none is refused before any AWS call.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { deployJson, liveEnvironment, useDeployBehindProxy } from './deploy-harness.js';

const WORKER = 'ebs-snapper-worker';
const FANOUT = 'ebs-snapper-fanout';

describe('deploy --metrics', () => {
  const t = useDeployBehindProxy();

  it('deployment: the worker gets EBS_SNAPPER_METRICS=deployment, the fan-out nothing', async () => {
    // Prepare / Act
    const { code, json, stderr } = await deployJson(['deploy', '--metrics', 'deployment'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.parameters.MetricDimensions).toBe('deployment');
    expect((await liveEnvironment(t, WORKER)).EBS_SNAPPER_METRICS).toBe('deployment');
    expect(await liveEnvironment(t, FANOUT)).not.toHaveProperty('EBS_SNAPPER_METRICS');
  });

  it('a deploy without the option keeps the stack’s mode and is "unchanged"; --metrics target takes it back', async () => {
    // Prepare
    expect((await deployJson(['deploy', '--metrics', 'deployment'], t.env)).code).toBe(0);

    // Act
    const again = await runCli(['deploy'], t.env);
    const back = await deployJson(['deploy', '--metrics', 'target'], t.env);

    // Assess
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(': unchanged');
    expect(again.stdout).toContain('metrics   deployment-wide');
    expect(back.code, back.stderr).toBe(0);
    expect(back.json.outcome).toBe('updated');
    expect(back.json.parameters.MetricDimensions).toBe('target');
    expect(await liveEnvironment(t, WORKER)).not.toHaveProperty('EBS_SNAPPER_METRICS');
  });

  it('by default the worker publishes per target: no EBS_SNAPPER_METRICS, MetricDimensions target', async () => {
    // Prepare / Act
    const { code, json, stderr } = await deployJson(['deploy'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.parameters.MetricDimensions).toBe('target');
    expect(await liveEnvironment(t, WORKER)).not.toHaveProperty('EBS_SNAPPER_METRICS');
  });

  it('--dry-run names the parameter it would change, and changes nothing', async () => {
    // Prepare
    expect((await deployJson(['deploy'], t.env)).code).toBe(0);

    // Act
    const { code, stdout, stderr } = await runCli(['deploy', '--metrics', 'deployment', '--dry-run'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('~ parameter MetricDimensions: target → deployment');
    expect(await liveEnvironment(t, WORKER)).not.toHaveProperty('EBS_SNAPPER_METRICS');
  });

  it('refuses a mode that is none before any AWS call, naming the option and the choices', async () => {
    // Prepare / Act
    const { code, stderr } = await runCli(['deploy', '--metrics', 'account'], t.env);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain('--metrics');
    expect(stderr).toContain('target, deployment');
    expect(t.proxy.counts()).toEqual({});
  });
});
