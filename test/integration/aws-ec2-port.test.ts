/**
 * The EC2 port against moto over HTTP, behind the counting, fault-injecting proxy.
 */
import {
  CreateImageCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RunInstancesCommand,
  type Tag,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Ec2Port } from '../../src/app/kit/ports.js';
import { createAwsClients } from '../../src/aws/clients.js';
import { createEc2Port } from '../../src/aws/ec2-port.js';
import { AwsCallError } from '../../src/aws/errors.js';
import { ThrottleRegistry } from '../../src/aws/throttle.js';
import { instanceId, snapshotId, TAG, volumeId } from '../../src/core/model.js';
import { MOTO_ACCOUNT_ID, motoClientConfig } from '../support/moto/moto.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const region = 'us-east-1';
const FAST = { capacity: 100, refillPerSecond: 50 };

interface Host {
  instanceId: string;
  /** Device → volume id. */
  volumes: Record<string, string>;
}

async function runInstance(ec2: EC2Client, devices: readonly string[]): Promise<Host> {
  const out = await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-12c6146b',
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      BlockDeviceMappings: devices.map((DeviceName) => ({ DeviceName, Ebs: { VolumeSize: 8 } })),
    }),
  );
  const instance = out.Instances?.[0];
  const volumes: Record<string, string> = {};
  for (const m of instance?.BlockDeviceMappings ?? []) volumes[m.DeviceName ?? ''] = m.Ebs?.VolumeId ?? '';
  return { instanceId: instance?.InstanceId ?? '', volumes };
}

function tagRecord(tags: readonly Tag[] | undefined) {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

describe('the EC2 port against moto', () => {
  const t = useMotoBehindProxy();
  let direct: EC2Client;
  let port: Ec2Port;
  let host: Host;

  beforeEach(async () => {
    direct = new EC2Client(motoClientConfig(t.moto.endpoint, region));
    host = await runInstance(direct, ['/dev/sda1', '/dev/sdf', '/dev/sdg']);
    const clients = createAwsClients({
      region,
      endpoint: t.proxy.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      retry: { throttlingBaseDelayMs: 20, baseDelayMs: 20 },
    });
    const throttle = new ThrottleRegistry({
      buckets: { CreateSnapshot: FAST, DeleteSnapshot: FAST },
      describe: FAST,
    });
    port = createEc2Port(clients, { account: MOTO_ACCOUNT_ID, region, throttle });
    t.proxy.resetCounts();
  });

  it('creates a snapshot with every tag in one call, never create-then-tag', async () => {
    // Prepare
    const tags = {
      [TAG.policy]: 'web-daily',
      [TAG.runId]: 'run-1',
      [TAG.volumeId]: host.volumes['/dev/sdf'] ?? '',
    };

    // Act
    const created = await port.createSnapshot({
      volumeId: volumeId(host.volumes['/dev/sdf'] ?? ''),
      description: 'web-daily from test',
      tags,
    });

    // Assess
    expect(t.proxy.counts()).toEqual({ CreateSnapshot: 1 });
    expect(created.volumeId).toBe(host.volumes['/dev/sdf']);
    const seen = await direct.send(new DescribeSnapshotsCommand({ SnapshotIds: [created.snapshotId] }));
    expect(tagRecord(seen.Snapshots?.[0]?.Tags)).toEqual(tags);
    expect(seen.Snapshots?.[0]?.Description).toBe('web-daily from test');
  });

  it('snapshots an instance set in one CreateSnapshots call per instance', async () => {
    // Prepare
    const other = await runInstance(direct, ['/dev/sda1', '/dev/sdf']);
    t.proxy.resetCounts();

    // Act
    const first = await port.createSnapshots({
      instanceId: instanceId(host.instanceId),
      excludeBootVolume: true,
      // moto 5.2.1 ignores ExcludeDataVolumeIds (the unit test checks the request carries it).
      excludeDataVolumeIds: [],
      description: 'set',
      tags: { [TAG.policy]: 'db', [TAG.runId]: 'run-2' },
      copyTagsFromSource: false,
    });
    const second = await port.createSnapshots({
      instanceId: instanceId(other.instanceId),
      excludeBootVolume: false,
      excludeDataVolumeIds: [],
      description: 'set',
      tags: { [TAG.policy]: 'db', [TAG.runId]: 'run-2' },
      copyTagsFromSource: false,
    });

    // Assess
    expect(t.proxy.counts()).toEqual({ CreateSnapshots: 2 });
    expect(first.map((s) => s.volumeId).sort()).toEqual(
      [host.volumes['/dev/sdf'], host.volumes['/dev/sdg']].sort(),
    );
    expect(second.map((s) => s.volumeId).sort()).toEqual(Object.values(other.volumes).sort());
    const found = await port.findRunSnapshots('run-2', 'db');
    expect(found.map((s) => s.id).sort()).toEqual([...first, ...second].map((s) => s.snapshotId).sort());
  });

  it('finds the snapshots of one run and policy by their tags', async () => {
    // Prepare
    const make = (runId: string, policy: string) =>
      port.createSnapshot({
        volumeId: volumeId(host.volumes['/dev/sda1'] ?? ''),
        description: '',
        tags: { [TAG.policy]: policy, [TAG.runId]: runId },
      });
    const wanted = await make('run-1', 'web');
    await make('run-2', 'web');
    await make('run-1', 'db');

    // Act
    const found = await port.findRunSnapshots('run-1', 'web');
    const none = await port.findRunSnapshots('run-9', 'web');

    // Assess
    expect(found.map((s) => s.id)).toEqual([wanted.snapshotId]);
    expect(found[0]).toMatchObject({
      ownerId: MOTO_ACCOUNT_ID,
      state: 'completed',
      volumeId: host.volumes['/dev/sda1'],
    });
    expect(none).toEqual([]);
  });

  it('deletes a snapshot in one call', async () => {
    // Prepare
    const created = await port.createSnapshot({
      volumeId: volumeId(host.volumes['/dev/sda1'] ?? ''),
      description: '',
      tags: { [TAG.policy]: 'web' },
    });
    t.proxy.resetCounts();

    // Act
    await port.deleteSnapshot(created.snapshotId);

    // Assess
    expect(t.proxy.counts()).toEqual({ DeleteSnapshot: 1 });
    await expect(
      direct.send(new DescribeSnapshotsCommand({ SnapshotIds: [created.snapshotId] })),
    ).rejects.toThrow();
  });

  it('reports a missing snapshot as InvalidSnapshot.NotFound', async () => {
    // Prepare / Act
    const failure = await port.deleteSnapshot(snapshotId('snap-0123456789abcdef0')).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AwsCallError);
    expect(failure).toMatchObject({
      code: 'InvalidSnapshot.NotFound',
      operation: 'DeleteSnapshot',
      transient: false,
    });
  });

  it('reports a snapshot that backs an AMI as InvalidSnapshot.InUse', async () => {
    // Prepare
    const image = await direct.send(new CreateImageCommand({ InstanceId: host.instanceId, Name: 'backing' }));
    const described = await direct.send(new DescribeImagesCommand({ ImageIds: [image.ImageId ?? ''] }));
    const backing = described.Images?.[0]?.BlockDeviceMappings?.find((m) => m.Ebs?.SnapshotId)?.Ebs
      ?.SnapshotId;

    // Act
    const failure = await port.deleteSnapshot(snapshotId(backing ?? '')).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AwsCallError);
    expect(failure).toMatchObject({ code: 'InvalidSnapshot.InUse', operation: 'DeleteSnapshot' });
  });

  it('gets 300 creates and deletes through 30% injected RequestLimitExceeded', async () => {
    // Prepare
    t.proxy.configure({ throttleRate: 0.3, seed: 11 });
    const volumes = Object.values(host.volumes);

    // Act
    const created = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        port.createSnapshot({
          volumeId: volumeId(volumes[i % volumes.length] ?? ''),
          description: `n${i}`,
          tags: { [TAG.policy]: 'load', [TAG.runId]: 'run-load' },
        }),
      ),
    );
    const found = await port.findRunSnapshots('run-load', 'load');
    await Promise.all(created.slice(0, 100).map((c) => port.deleteSnapshot(c.snapshotId)));
    const left = await port.findRunSnapshots('run-load', 'load');

    // Assess
    expect(found).toHaveLength(200);
    expect(left).toHaveLength(100);
    expect(t.proxy.faultCounts().CreateSnapshot ?? 0).toBeGreaterThan(30);
    expect(t.proxy.counts().CreateSnapshot).toBe(200 + (t.proxy.faultCounts().CreateSnapshot ?? 0));
  });

  it('does not retry a create that failed with a 5xx: it may have happened', async () => {
    // Prepare
    t.proxy.configure({ errorsFor: { CreateSnapshot: { code: 'InternalError', status: 500, times: 1 } } });

    // Act
    const failure = await port
      .createSnapshot({ volumeId: volumeId(host.volumes['/dev/sda1'] ?? ''), description: '', tags: {} })
      .catch((e: unknown) => e);

    // Assess
    expect(failure).toMatchObject({ code: 'InternalError', operation: 'CreateSnapshot', transient: true });
    expect(t.proxy.counts()).toEqual({ CreateSnapshot: 1 });
  });
});
