/**
 * The instance port (stop → snapshot → start) against moto over HTTP: an instance that is gone
 * is seen as gone — terminated, or not found at all — never as an error that a wait retries.
 */
import { EC2Client, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import type { InstancePort } from '../../src/app/kit/ports.js';
import { createAwsClients } from '../../src/aws/clients.js';
import { createInstancePort } from '../../src/aws/instances.js';
import { instanceId } from '../../src/core/model.js';
import { motoClientConfig } from '../support/moto/moto.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const region = 'us-east-1';

describe('the instance port against moto', () => {
  const t = useMotoBehindProxy();
  let direct: EC2Client;
  let port: InstancePort;

  beforeEach(() => {
    direct = new EC2Client(motoClientConfig(t.moto.endpoint, region));
    port = createInstancePort(
      createAwsClients({
        region,
        endpoint: t.proxy.endpoint,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        retry: { throttlingBaseDelayMs: 20, baseDelayMs: 20 },
      }),
    );
  });

  it('describes an instance EC2 no longer knows (InvalidInstanceID.NotFound) as gone', async () => {
    // Prepare: the proxy answers as EC2 does for an instance terminated long ago
    t.proxy.configure({
      errorsFor: { DescribeInstances: { code: 'InvalidInstanceID.NotFound', status: 400 } },
    });

    // Act
    const live = await port.describe(instanceId('i-0123456789abcdef0'));

    // Assess
    expect(live).toBeUndefined();
  });

  it('describes a terminated instance with its state', async () => {
    // Prepare
    const out = await direct.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
      }),
    );
    const id = out.Instances?.[0]?.InstanceId ?? '';
    await direct.send(new TerminateInstancesCommand({ InstanceIds: [id] }));

    // Act
    const live = await port.describe(instanceId(id));

    // Assess
    expect(live?.state).toBe('terminated');
  });
});
