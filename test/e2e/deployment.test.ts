/**
 * Finding the deployment (SPEC §11a), through the built CLI against moto: the hub stack in one
 * region, the targets in another. The stored config is found through the stack's outputs (or the
 * table's ARN); `--region` only limits the targets; a wrong stack or table is named with the fix.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO_POLICY, seedDemoFleet } from '../../scripts/demo-fleet.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { type CliEnv, runCli, runCliJson, workDir, writePolicy } from './cli.js';
import { ec2Client } from './fleet.js';

const HUB_REGION = 'us-west-2';
const TARGET_REGION = 'us-east-1';
/** The demo policy with a second target region, so that `--region` visibly limits the targets. */
const POLICY = DEMO_POLICY.replace('regions: [us-east-1]', 'regions: [us-east-1, eu-west-1]');

describe('finding the deployment: the hub in one region, the targets in another', () => {
  const t = useMotoBehindProxy();
  let env: CliEnv;
  let tableName: string;

  beforeEach(async () => {
    await seedDemoFleet(ec2Client(t.moto.endpoint, TARGET_REGION));
    env = { endpoint: t.proxy.endpoint, workDir: workDir(), region: TARGET_REGION };
    const config = writePolicy(env.workDir, POLICY);
    const deployed = await runCliJson<{ outcome: string; outputs: Record<string, string> }>(
      ['deploy', '--region', HUB_REGION, '--config', config],
      env,
    );
    expect(deployed.code, deployed.stderr).toBe(0);
    tableName = deployed.json.outputs.TableName!;
    t.proxy.resetCounts();
  });

  it('lists the stored config through the stack, with no table named', async () => {
    // Act
    const listed = await runCli(['config', 'list', '--stack-region', HUB_REGION], env);

    // Assess
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^default\t/);
  });

  it('plans the stored config through --stack, its table in the hub region, for the --region targets only', async () => {
    // Act
    const planned = await runCliJson(
      ['plan', '--stack', 'ebs-snapper', '--stack-region', HUB_REGION, '--region', TARGET_REGION],
      env,
    );

    // Assess
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.json.regions).toEqual([TARGET_REGION]);
    expect(planned.json.actions.some((a) => a.action === 'create' && a.policy === 'web-daily')).toBe(true);
    expect(t.proxy.counts().GetItem).toBeGreaterThan(0);
  });

  it('plans through --config-table given as an ARN, whose region wins over the default one', async () => {
    // Prepare
    const arn = `arn:aws:dynamodb:${HUB_REGION}:123456789012:table/${tableName}`;

    // Act
    const planned = await runCliJson(['plan', '--config-table', arn, '--region', TARGET_REGION], env);

    // Assess
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.json.actions.some((a) => a.action === 'create')).toBe(true);
  });

  it('names the stack, its region and the fix when there is no such stack; no EC2 call', async () => {
    // Act
    const result = await runCli(['plan', '--stack', 'backups', '--stack-region', HUB_REGION], env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the hub stack "backups" was not found in us-west-2/);
    expect(result.stderr).toMatch(/--stack NAME --stack-region REGION/);
    expect(
      Object.keys(t.proxy.counts()).filter(
        (action) => action.startsWith('Describe') && action !== 'DescribeStacks',
      ),
    ).toEqual([]);
  });

  it('names the table, the region looked in and the fix when a table name is not there', async () => {
    // Act: the table is in the hub region, but a bare name is looked for in the default region
    const result = await runCli(['plan', '--config-table', tableName], env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `table ${tableName} (--config-table): no such table in the default region`,
    );
    expect(result.stderr).toMatch(
      /--stack NAME --stack-region REGION, or --config-table with the table's ARN/,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
