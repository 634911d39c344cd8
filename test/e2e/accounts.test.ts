/**
 * Two accounts through AssumeRole (`--role-arn` twice): each account × region planned and run on
 * its own. The CLI goes through the proxy, which answers DescribeLockedSnapshots (moto does not).
 */
import { DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { seedDemoFleet } from '../../scripts/demo-fleet.js';
import { motoClientConfig } from '../support/moto/moto.js';
import { type MotoBehindProxy, useMotoBehindProxy } from '../support/moto/use-moto.js';
import { runCliJson, workDir, writePolicy } from './cli.js';
import { tagsOf } from './fleet.js';

const ACCOUNTS = ['111111111111', '222222222222'] as const;
const REFUSED = '333333333333';
const roleArn = (account: string) => `arn:aws:iam::${account}:role/ebs-snapper`;

async function ec2InAccount(endpoint: string, account: string): Promise<EC2Client> {
  const sts = new STSClient(motoClientConfig(endpoint, 'us-east-1'));
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn(account), RoleSessionName: 'seed' }),
  );
  return new EC2Client({
    ...motoClientConfig(endpoint, 'us-east-1'),
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    },
  });
}

const POLICY =
  'version: 1\nsettings: {regions: [us-east-1]}\npolicies:\n  - id: web\n    select: {instance_names: ["web-*"]}\n' +
  '    schedule: {every: 1 day}\n    retention: {minimum: 2}\n';

/** The demo fleet in each of the two accounts, and a policy for its web servers. */
async function seedAccounts(t: MotoBehindProxy) {
  const clients = await Promise.all(ACCOUNTS.map((account) => ec2InAccount(t.moto.endpoint, account)));
  for (const client of clients) await seedDemoFleet(client);
  const env = { endpoint: t.proxy.endpoint, workDir: workDir() };
  return { clients, env, config: writePolicy(env.workDir, POLICY) };
}

describe('several accounts through AssumeRole', () => {
  const t = useMotoBehindProxy();

  it('runs every account × region and tags each snapshot in its own account', async () => {
    // Prepare
    const { clients, env, config } = await seedAccounts(t);

    // Act
    const result = await runCliJson(
      ['run', '-c', config, ...ACCOUNTS.flatMap((a) => ['--role-arn', roleArn(a)])],
      env,
    );

    // Assess
    expect(result.code).toBe(0);
    expect(result.json.account).toEqual([...ACCOUNTS]);
    expect(result.json.summary.created).toBe(6);
    for (const [index, account] of ACCOUNTS.entries()) {
      const response = await clients[index]!.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
      const ours = (response.Snapshots ?? []).filter((s) => tagsOf(s)['ebs-snapper:policy'] === 'web');
      expect(ours).toHaveLength(3);
      expect(ours.every((s) => s.OwnerId === account)).toBe(true);
      expect(result.json.actions.filter((a) => a.account === account && a.action === 'create')).toHaveLength(
        3,
      );
    }
  });

  it('reports a role that cannot be assumed as one failed account and runs the others', async () => {
    // Prepare: moto assumes any role, so the proxy refuses the third account's
    t.proxy.configure({
      errorsFor: {
        AssumeRole: {
          code: 'AccessDenied',
          status: 403,
          message: 'not authorized to perform sts:AssumeRole',
          when: { RoleArn: roleArn(REFUSED) },
        },
      },
    });
    const { env, config } = await seedAccounts(t);
    const roles = [...ACCOUNTS, REFUSED].flatMap((a) => ['--role-arn', roleArn(a)]);

    // Act
    const result = await runCliJson(['run', '-c', config, ...roles], env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.json.summary.created).toBe(6);
    expect(result.json.failures).toEqual([
      {
        account: REFUSED,
        region: null,
        error: { code: 'AccessDenied', message: expect.stringContaining('AssumeRole') },
      },
    ]);
    expect(result.stderr).toContain(`${REFUSED}/*: Error: AssumeRole failed: AccessDenied`);
    expect(result.stderr).not.toContain('GetCallerIdentity');
  });
});
