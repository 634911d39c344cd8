/**
 * Member accounts in moto for the serverless tests: EC2 clients acting as another account
 * (moto scopes AssumeRole credentials to the role's account), a small fleet in each, the config
 * pushed to the table, and reads of what the workers made.
 */
import { DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { launchInstances } from '../../../scripts/seed-ec2.js';
import { pushConfig } from '../../../src/app/serverless/stored-config.js';
import { createDeployedClients } from '../../../src/aws/serverless-clients.js';
import { createConfigStore } from '../../../src/aws/table/config-store.js';
import { MOTO_ACCOUNT_ID, motoClientConfig } from './moto.js';

export const MEMBER_ROLE = 'ebs-snapper-member';
export const memberRoleArn = (account: string) => `arn:aws:iam::${account}:role/${MEMBER_ROLE}`;

/** An EC2 client in `account` and `region` (the hub's own account needs no role). */
export async function ec2As(endpoint: string, account: string, region: string): Promise<EC2Client> {
  const config = motoClientConfig(endpoint, region);
  if (account === MOTO_ACCOUNT_ID) return new EC2Client(config);
  const sts = new STSClient(config);
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: memberRoleArn(account), RoleSessionName: 'seed' }),
  );
  return new EC2Client({
    ...config,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    },
  });
}

/** `count` web instances with a root volume each, in one account and region. */
export async function seedWebFleet(
  endpoint: string,
  account: string,
  region: string,
  count = 2,
): Promise<string[]> {
  const ec2 = await ec2As(endpoint, account, region);
  const launched = await launchInstances(ec2, {
    count,
    name: 'web',
    tags: { Role: 'web' },
    devices: ['/dev/sda1'],
  });
  return launched.flatMap((l) => l.volumes);
}

/** The snapshots a policy made in an account and region, by volume. */
export async function snapshotsOf(endpoint: string, account: string, region: string, policy: string) {
  const ec2 = await ec2As(endpoint, account, region);
  const { Snapshots } = await ec2.send(
    new DescribeSnapshotsCommand({
      OwnerIds: ['self'],
      Filters: [{ Name: 'tag:ebs-snapper:policy', Values: [policy] }],
    }),
  );
  return (Snapshots ?? []).filter((s) => s.OwnerId === account);
}

/** Write a config into the deployment's table as `config push` would (validated first). */
export async function pushTestConfig(
  endpoint: string,
  region: string,
  table: string,
  text: string,
  name = 'default',
) {
  const { dynamo } = createDeployedClients({
    region,
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await pushConfig(createConfigStore(dynamo, table), name, text, { source: 'test', now: Date.now() });
}

/** A policy file for web instances, due daily, in the given accounts and regions. */
export function webPolicy(accounts: readonly string[], regions: readonly string[], extra = ''): string {
  return `version: 1
settings:
  accounts: [${accounts.map((a) => `"${a}"`).join(', ')}]
  regions: [${regions.join(', ')}]
${extra}policies:
  - id: web
    select: {instance_names: ["web*"]}
    schedule: {every: 1 day}
    retention: {minimum: 2}
`;
}
