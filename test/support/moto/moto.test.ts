import { CreateVolumeCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestText } from '../http.js';
import { MOTO_ACCOUNT_ID, type MotoServer, motoClientConfig, startMoto } from './moto.js';

describe('startMoto', () => {
  let moto: MotoServer;
  let ec2: EC2Client;

  beforeAll(async () => {
    moto = await startMoto();
    ec2 = new EC2Client(motoClientConfig(moto.endpoint, 'eu-west-1'));
  });

  afterAll(async () => {
    ec2.destroy();
    await moto.stop();
  });

  it('serves EC2 and STS through the SDK on a loopback endpoint', async () => {
    // Prepare
    const sts = new STSClient(motoClientConfig(moto.endpoint, 'eu-west-1'));

    // Act
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const created = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 8 }));

    // Assess
    expect(moto.endpoint).toBe(`http://127.0.0.1:${moto.port}`);
    expect(identity.Account).toBe(MOTO_ACCOUNT_ID);
    expect(created.VolumeId).toMatch(/^vol-/);
    sts.destroy();
  });

  it('forgets every resource on reset', async () => {
    // Prepare
    await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 8 }));

    // Act
    await moto.reset();
    const after = await ec2.send(new DescribeVolumesCommand({}));

    // Assess
    expect(after.Volumes).toEqual([]);
  });
});

describe('MotoServer.stop', () => {
  it('stops the server so its port no longer answers', async () => {
    // Prepare
    const moto = await startMoto();
    const before = await requestText('GET', `${moto.endpoint}/moto-api/`);

    // Act
    await moto.stop();
    await moto.stop();

    // Assess
    expect(before.status).toBe(200);
    await expect(requestText('GET', `${moto.endpoint}/moto-api/`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
