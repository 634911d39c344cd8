import { describe, expect, it } from 'vitest';
import { mapImage, mapInstance, mapSnapshot, mapVolume, recordToTags, tagsToRecord } from './ec2-mappers.js';

describe('EC2 shapes → inventory model', () => {
  it('maps an instance with its Auto Scaling group from the tag', () => {
    // Prepare
    const sdk = {
      InstanceId: 'i-1',
      State: { Name: 'running' as const },
      Tags: [
        { Key: 'Name', Value: 'web-1' },
        { Key: 'aws:autoscaling:groupName', Value: 'web-asg' },
      ],
      RootDeviceName: '/dev/xvda',
      InstanceType: 't3.micro' as const,
      Placement: { AvailabilityZone: 'eu-west-1a' },
    };

    // Act
    const instance = mapInstance(sdk);

    // Assess
    expect(instance).toEqual({
      id: 'i-1',
      state: 'running',
      tags: { Name: 'web-1', 'aws:autoscaling:groupName': 'web-asg' },
      asg: 'web-asg',
      rootDeviceName: '/dev/xvda',
      instanceType: 't3.micro',
      availabilityZone: 'eu-west-1a',
    });
  });

  it('maps a volume with its live attachments only', () => {
    // Prepare
    const sdk = {
      VolumeId: 'vol-1',
      VolumeType: 'gp3' as const,
      Size: 20,
      State: 'in-use' as const,
      Encrypted: true,
      Attachments: [
        { InstanceId: 'i-1', Device: '/dev/xvda', State: 'attached' as const },
        { InstanceId: 'i-2', Device: '/dev/sdf', State: 'detached' as const },
      ],
    };

    // Act
    const volume = mapVolume(sdk);

    // Assess
    expect(volume).toEqual({
      id: 'vol-1',
      tags: {},
      type: 'gp3',
      sizeGiB: 20,
      state: 'in-use',
      encrypted: true,
      attachments: [{ instanceId: 'i-1', device: '/dev/xvda' }],
    });
  });

  it('maps a restored volume with its snapshot, and an attachment that is changing with its state', () => {
    // Prepare
    const sdk = {
      VolumeId: 'vol-2',
      VolumeType: 'gp3' as const,
      Size: 8,
      SnapshotId: 'snap-1',
      Attachments: [{ InstanceId: 'i-1', Device: '/dev/sdz', State: 'detaching' as const }],
    };

    // Act
    const volume = mapVolume(sdk);

    // Assess
    expect(volume).toMatchObject({
      snapshotId: 'snap-1',
      attachments: [{ instanceId: 'i-1', device: '/dev/sdz', state: 'detaching' }],
    });
  });

  it('maps a snapshot with epoch milliseconds, owner, state and tags', () => {
    // Prepare
    const sdk = {
      SnapshotId: 'snap-1',
      VolumeId: 'vol-1',
      OwnerId: '123456789012',
      State: 'completed' as const,
      StartTime: new Date('2026-03-01T03:00:00Z'),
      VolumeSize: 8,
      Description: 'd',
      Tags: [{ Key: 'ebs-snapper:policy', Value: 'web' }],
    };

    // Act
    const snapshot = mapSnapshot(sdk);

    // Assess
    expect(snapshot).toEqual({
      id: 'snap-1',
      volumeId: 'vol-1',
      ownerId: '123456789012',
      state: 'completed',
      startTime: Date.UTC(2026, 2, 1, 3),
      tags: { 'ebs-snapper:policy': 'web' },
      sizeGiB: 8,
      description: 'd',
    });
  });

  it('reads an unknown snapshot state as pending, the state that is never deleted', () => {
    // Prepare / Act / Assess
    expect(mapSnapshot({ SnapshotId: 'snap-1' })?.state).toBe('pending');
  });

  it("collects an image's snapshot ids from its block device mappings", () => {
    // Prepare
    const sdk = {
      ImageId: 'ami-1',
      BlockDeviceMappings: [
        { DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-1' } },
        { DeviceName: '/dev/sdb', VirtualName: 'ephemeral0' },
        { DeviceName: '/dev/sdc', Ebs: { SnapshotId: 'snap-2' } },
      ],
    };

    // Act / Assess
    expect(mapImage(sdk)).toEqual({ id: 'ami-1', snapshotIds: ['snap-1', 'snap-2'] });
  });

  it('drops items without an id', () => {
    // Prepare / Act / Assess
    expect([mapInstance({}), mapVolume({}), mapSnapshot({}), mapImage({})]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('turns tags into a record and back, in key order', () => {
    // Prepare
    const tags = [{ Key: 'b', Value: '2' }, { Key: 'a' }];

    // Act
    const record = tagsToRecord(tags);

    // Assess
    expect(record).toEqual({ a: '', b: '2' });
    expect(recordToTags(record)).toEqual([
      { Key: 'a', Value: '' },
      { Key: 'b', Value: '2' },
    ]);
  });
});
