import { EC2Client, paginateDescribeInstances, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { expect, it } from 'vitest';
import { motoClientConfig, startMoto } from '../moto/moto.js';
import { startFaultProxy } from './fault-proxy.js';

it('pages more than 100 reservations of DescribeInstances through the proxy', async () => {
  const moto = await startMoto();
  const proxy = await startFaultProxy({ target: moto.endpoint });
  try {
    const direct = new EC2Client(motoClientConfig(moto.endpoint, 'us-east-1'));
    await Promise.all(
      Array.from({ length: 130 }, () =>
        direct.send(new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1 })),
      ),
    );
    const ec2 = new EC2Client(motoClientConfig(proxy.endpoint, 'us-east-1'));
    let seen = 0;
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 50 }, {}))
      seen += (page.Reservations ?? []).length;
    expect(seen).toBe(130);
    expect(proxy.counts().DescribeInstances).toBe(3);
  } finally {
    await proxy.stop();
    await moto.stop();
  }
});
