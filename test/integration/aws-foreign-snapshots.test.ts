/**
 * moto with its 1,177 public AMIs loaded: their snapshots belong to other accounts, and moto
 * (unlike AWS) returns them for `OwnerIds: ['self']`. The inventory must keep each snapshot's real
 * owner so the planner can leave foreign ones alone.
 */
import { CreateSnapshotCommand, CreateVolumeCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/aws/ec2-inventory.js';
import { MOTO_ACCOUNT_ID, type MotoServer, startMoto } from '../support/moto.js';

const region = 'us-east-1';

describe('snapshots of other accounts', () => {
  let moto: MotoServer;

  beforeAll(async () => {
    moto = await startMoto({ loadDefaultAmis: true });
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it('keeps the real owner of every snapshot and lists only our own images', async () => {
    // Prepare
    const clients = createAwsClients({
      region,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const volume = await clients.ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }),
    );
    const ours = await clients.ec2.send(new CreateSnapshotCommand({ VolumeId: volume.VolumeId }));

    // Act
    const inventory = await collectInventory(clients, { account: MOTO_ACCOUNT_ID, region });

    // Assess
    const owned = inventory.snapshots.filter((s) => s.ownerId === MOTO_ACCOUNT_ID);
    const foreign = inventory.snapshots.filter((s) => s.ownerId !== MOTO_ACCOUNT_ID);
    expect(owned.map((s) => s.id)).toEqual([ours.SnapshotId]);
    expect(foreign.length).toBeGreaterThan(100);
    expect(foreign.every((s) => /^\d{12}$/.test(s.ownerId))).toBe(true);
    expect(inventory.images).toEqual([]);
  });
});
