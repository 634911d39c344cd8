/**
 * `iam-policy -c FILE` through the built CLI: least privilege follows the config — each feature
 * (instance sets, stop_instance, copy_to, kms_key_id) adds its statements, and nothing else does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { allows, type PrintedStatement } from '../support/iam-match.js';
import { type CliEnv, runCli, workDir, writePolicy } from './cli.js';

const POLICY = (extra: string) =>
  `version: 1\npolicies:\n  - id: web\n    select: {instance_names: [web-*]}\n    schedule: {every: 1 day}\n    retention: {max_age: 7 days}\n${extra}`;

const CONFIGS = {
  plain: POLICY(''),
  sets: POLICY('    snapshot: {consistency: instance}\n'),
  stop: POLICY('    snapshot: {stop_instance: true}\n'),
  copies: POLICY('    copy_to: [{region: us-west-2, retention: {max_age: 30 days}}]\n'),
  keyed: POLICY(
    '    copy_to: [{region: us-west-2, retention: {max_age: 30 days}, kms_key_id: alias/backup}]\n',
  ),
} as const;

/** The actions only a feature needs, by the configs that use it. */
const FEATURE_ACTIONS: readonly { action: string; in: readonly (keyof typeof CONFIGS)[] }[] = [
  { action: 'ec2:CreateSnapshot', in: ['plain', 'stop', 'copies', 'keyed'] },
  { action: 'ec2:CreateSnapshots', in: ['sets'] },
  { action: 'ec2:StopInstances', in: ['stop'] },
  { action: 'ec2:StartInstances', in: ['stop'] },
  { action: 'ec2:DeleteTags', in: ['stop'] },
  { action: 'autoscaling:EnterStandby', in: ['stop'] },
  { action: 'autoscaling:ExitStandby', in: ['stop'] },
  { action: 'autoscaling:DescribeAutoScalingInstances', in: ['stop'] },
  { action: 'ec2:CopySnapshot', in: ['copies', 'keyed'] },
  { action: 'kms:CreateGrant', in: ['keyed'] },
  { action: 'kms:Decrypt', in: ['keyed'] },
];

const anyAllows = (statements: readonly PrintedStatement[], action: string) =>
  statements.some((s) => allows(s, action));

describe('iam-policy -c FILE', () => {
  let env: CliEnv;
  const printed = new Map<string, PrintedStatement[]>();

  beforeAll(async () => {
    env = { endpoint: 'http://127.0.0.1:9', workDir: workDir() };
    for (const [name, text] of Object.entries(CONFIGS)) {
      const file = writePolicy(env.workDir, text, `${name}.yaml`);
      const result = await runCli(['iam-policy', '-c', file], env);
      expect(result.code, result.stderr).toBe(0);
      printed.set(name, (JSON.parse(result.stdout) as { Statement: PrintedStatement[] }).Statement);
    }
  });

  it.each(FEATURE_ACTIONS)('grants $action only to configs that use it ($in)', ({ action, in: users }) => {
    for (const name of Object.keys(CONFIGS)) {
      expect(anyAllows(printed.get(name)!, action), `${name} and ${action}`).toBe(
        users.includes(name as never),
      );
    }
  });

  it('lets every config read, snapshot and delete only its own tagged snapshots', () => {
    for (const [name, statements] of printed) {
      for (const action of ['ec2:DescribeSnapshots', 'ec2:DescribeVolumes', 'ec2:DescribeInstances'])
        expect(anyAllows(statements, action), `${name} ${action}`).toBe(true);
      const deletes = statements.filter((s) => s.Action.includes('ec2:DeleteSnapshot'));
      expect(deletes.map((s) => s.Condition)).toEqual([
        { StringLike: { 'aws:ResourceTag/ebs-snapper:policy': '*' } },
      ]);
    }
  });

  it('allows tags only on the creates a config makes, and instance tags only with stop_instance', () => {
    // Act
    const createActions = (name: string) =>
      printed
        .get(name)!
        .filter((s) => s.Action.includes('ec2:CreateTags'))
        .map((s) => (s.Condition?.StringEquals as Record<string, string[]> | undefined)?.['ec2:CreateAction'])
        .filter((actions) => actions !== undefined);

    // Assess
    expect(createActions('plain')).toEqual([['CreateSnapshot']]);
    expect(createActions('sets')).toEqual([['CreateSnapshots']]);
    expect(createActions('copies')).toEqual([['CreateSnapshot', 'CopySnapshot']]);
    const instanceTagging = (name: string) =>
      printed.get(name)!.filter((s) => s.Action.includes('ec2:CreateTags') && s.Condition !== undefined)
        .length;
    expect(instanceTagging('plain')).toBe(1);
    expect(instanceTagging('stop')).toBe(2);
  });

  it('without -c prints the policy for any config, every feature included', async () => {
    // Act
    const result = await runCli(['iam-policy'], env);
    const statements = (JSON.parse(result.stdout) as { Statement: PrintedStatement[] }).Statement;

    // Assess
    for (const { action } of FEATURE_ACTIONS) expect(anyAllows(statements, action), action).toBe(true);
  });
});
