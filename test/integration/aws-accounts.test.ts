/**
 * Accounts and regions against moto: STS GetCallerIdentity, AssumeRole into another account,
 * and DescribeRegions. Collection goes through the proxy, which answers DescribeLockedSnapshots
 * (moto does not).
 */
import { CreateVolumeCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { assumeRoleCredentials, createAwsClients, whoAmI } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/aws/ec2-inventory.js';
import { listEnabledRegions } from '../../src/aws/regions.js';
import { MOTO_ACCOUNT_ID } from '../support/moto/moto.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const region = 'eu-west-1';
const OTHER_ACCOUNT = '111111111111';
const keys = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('accounts and regions against moto', () => {
  const t = useMotoBehindProxy();

  it("tells the credentials' account", async () => {
    // Prepare
    const clients = createAwsClients({ region, endpoint: t.proxy.endpoint, credentials: keys });

    // Act
    const account = (await whoAmI(clients.sts)).account;

    // Assess
    expect(account).toBe(MOTO_ACCOUNT_ID);
  });

  it('works in another account through AssumeRole, whose resources are its own', async () => {
    // Prepare
    const credentials = assumeRoleCredentials(`arn:aws:iam::${OTHER_ACCOUNT}:role/x`, {
      region,
      endpoint: t.proxy.endpoint,
      masterCredentials: keys,
      sessionName: 'ebs-snapper-test',
    });
    const other = createAwsClients({ region, endpoint: t.proxy.endpoint, credentials });
    const home = createAwsClients({ region, endpoint: t.proxy.endpoint, credentials: keys });
    const created = await other.ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 1 }),
    );

    // Act
    const account = (await whoAmI(other.sts)).account;
    const there = await collectInventory(other, { account, region, policyIds: ['p'] });
    const here = await collectInventory(home, { account: MOTO_ACCOUNT_ID, region, policyIds: ['p'] });

    // Assess
    expect(account).toBe(OTHER_ACCOUNT);
    expect(there.volumes.map((v) => v.id)).toEqual([created.VolumeId]);
    expect(here.volumes).toEqual([]);
  });

  it('lists the enabled regions', async () => {
    // Prepare
    const clients = createAwsClients({ region: 'us-east-1', endpoint: t.proxy.endpoint, credentials: keys });

    // Act
    const regions = await listEnabledRegions(clients.ec2);

    // Assess
    expect(regions).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-southeast-2']));
    expect(regions).toEqual([...regions].sort());
    expect(new Set(regions).size).toBe(regions.length);
  });
});
