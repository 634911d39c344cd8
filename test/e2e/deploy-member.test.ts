/**
 * `deploy member` end to end: the member stack in two accounts through AssumeRole, a refused role
 * that fails only its own account, and `--template-out` for StackSets. `npm run build` first when
 * running it alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { memberTemplate } from '../../src/templates/member-template.js';
import { motoClientConfig } from '../support/moto/moto.js';
import { runCli } from './cli.js';
import { REGION, useDeployBehindProxy } from './deploy-harness.js';

const HUB = '123456789012';
const MEMBERS = ['111111111111', '222222222222'];
const deployer = (account: string) => `arn:aws:iam::${account}:role/deployer`;

interface MemberJson {
  accounts: {
    target: string;
    account: string | null;
    outcome: string;
    role_arn: string | null;
    error: unknown;
  }[];
}

describe('deploy member', () => {
  const t = useDeployBehindProxy();

  /** The member stack as the member account sees it (moto: credentials of an AssumeRole). */
  async function memberStack(account: string) {
    const sts = new STSClient(motoClientConfig(t.moto.endpoint, REGION));
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: deployer(account), RoleSessionName: 'check' }),
    );
    const cloudformation = new CloudFormationClient({
      ...motoClientConfig(t.moto.endpoint, REGION),
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      },
    });
    const { Stacks } = await cloudformation.send(
      new DescribeStacksCommand({ StackName: 'ebs-snapper-member' }),
    );
    return Stacks?.[0];
  }

  const memberArgs = [
    'deploy',
    'member',
    '--hub-account',
    HUB,
    ...MEMBERS.flatMap((a) => ['--role-arn', deployer(a)]),
  ];

  it('creates the member role stack in each account given, through AssumeRole', async () => {
    // Prepare / Act
    const { code, stdout, stderr } = await runCli([...memberArgs, '--output', 'json'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    const { accounts } = JSON.parse(stdout) as MemberJson;
    expect(accounts.map((a) => [a.account, a.outcome, a.role_arn])).toEqual(
      MEMBERS.map((account) => [account, 'created', `arn:aws:iam::${account}:role/ebs-snapper-member`]),
    );
    expect(t.proxy.counts()).toMatchObject({ AssumeRole: 2, CreateStack: 2 });
    for (const account of MEMBERS) {
      const stack = await memberStack(account);
      expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
      expect(stack?.Parameters).toContainEqual({ ParameterKey: 'HubAccountId', ParameterValue: HUB });
    }
  });

  it('a second run changes nothing and says "unchanged" for each account', async () => {
    // Prepare
    expect((await runCli(memberArgs, t.env)).code).toBe(0);
    t.proxy.resetCounts();

    // Act
    const { code, stdout } = await runCli(memberArgs, t.env);

    // Assess
    expect(code).toBe(0);
    for (const account of MEMBERS) expect(stdout).toContain(`${account}: unchanged`);
    expect(t.proxy.counts().CreateStack).toBeUndefined();
    expect(t.proxy.counts().UpdateStack).toBeUndefined();
  });

  it('a role that cannot be assumed fails its account only, and the exit code is 1', async () => {
    // Prepare
    t.proxy.configure({
      errorsFor: {
        AssumeRole: { code: 'AccessDenied', status: 403, when: { RoleArn: deployer(MEMBERS[1]!) } },
      },
    });

    // Act
    const { code, stdout, stderr } = await runCli([...memberArgs, '--output', 'json'], t.env);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain('1 of 2 member stacks failed');
    const { accounts } = JSON.parse(stdout) as MemberJson;
    expect(accounts.map((a) => a.outcome)).toEqual(['created', 'failed']);
    expect(accounts[1]).toMatchObject({ target: deployer(MEMBERS[1]!), error: { code: 'AccessDenied' } });
    expect((await memberStack(MEMBERS[0]!))?.StackStatus).toBe('CREATE_COMPLETE');
  });

  it('--template-out writes the StackSets template with the hub filled in, and calls no AWS', async () => {
    // Prepare
    const file = join(t.env.workDir, 'member.json');

    // Act
    const { code, stderr } = await runCli(
      ['deploy', 'member', '--hub-account', HUB, '--role-name', 'snapper', '--template-out', file],
      t.env,
    );

    // Assess
    expect(code, stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(
      JSON.parse(
        JSON.stringify(memberTemplate({ hubAccount: HUB, hubStackName: 'ebs-snapper', roleName: 'snapper' })),
      ),
    );
    expect(t.proxy.counts()).toEqual({});
  });
});
