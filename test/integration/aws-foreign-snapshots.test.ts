/**
 * moto with its 1,177 public AMIs loaded: their snapshots belong to other accounts, and moto
 * (unlike AWS) returns them for `OwnerIds: ['self']`. The inventory must keep each snapshot's real
 * owner so the planner can leave foreign ones alone. Through the proxy, which answers
 * DescribeLockedSnapshots (moto does not).
 */
import {
  CreateSnapshotCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DescribeSnapshotsCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/aws/ec2-inventory.js';
import { MOTO_ACCOUNT_ID, type MotoServer, startMoto } from '../support/moto/moto.js';
import { type FaultProxy, startFaultProxy } from '../support/proxy/fault-proxy.js';

const region = 'us-east-1';

describe('snapshots of other accounts', () => {
  let moto: MotoServer;
  let proxy: FaultProxy;

  beforeAll(async () => {
    moto = await startMoto({ loadDefaultAmis: true });
    proxy = await startFaultProxy({ target: moto.endpoint });
  });
  afterAll(async () => {
    await proxy?.stop();
    await moto?.stop();
  });

  it('keeps the real owner of every snapshot, counts only our own as unmanaged, and lists only our own images', async () => {
    // Prepare: one snapshot of policy p, one by hand, and a foreign snapshot tagged p as well
    const clients = createAwsClients({
      region,
      endpoint: proxy.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const volume = await clients.ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }),
    );
    const tagged = [{ ResourceType: 'snapshot' as const, Tags: [{ Key: 'ebs-snapper:policy', Value: 'p' }] }];
    const ours = await clients.ec2.send(
      new CreateSnapshotCommand({ VolumeId: volume.VolumeId, TagSpecifications: tagged }),
    );
    await clients.ec2.send(new CreateSnapshotCommand({ VolumeId: volume.VolumeId }));
    const listed = await clients.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    const foreignId = listed.Snapshots?.find((s) => s.OwnerId !== MOTO_ACCOUNT_ID)?.SnapshotId;
    await clients.ec2.send(new CreateTagsCommand({ Resources: [foreignId!], Tags: tagged[0]!.Tags }));
    const options = { account: MOTO_ACCOUNT_ID, region, policyIds: ['p'] };

    // Act
    const inventory = await collectInventory(clients, options);
    const counted = await collectInventory(clients, { ...options, unmanaged: 'count' });

    // Assess
    expect(listed.Snapshots!.length).toBeGreaterThan(100);
    const owners = Object.fromEntries(inventory.snapshots.map((s) => [s.id, s.ownerId]));
    expect(Object.keys(owners).sort()).toEqual([ours.SnapshotId, foreignId].sort());
    expect(owners[foreignId!]).toMatch(/^\d{12}$/);
    expect(owners[foreignId!]).not.toBe(MOTO_ACCOUNT_ID);
    expect(counted.unmanaged?.count).toBe(1);
    expect(inventory.images).toEqual([]);
  });
});
