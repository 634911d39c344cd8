/**
 * Creating instances, volumes' snapshots and their tags through the real SDK in a (local) AWS:
 * what the demo, the end-to-end tests and the API benchmarks all need to set up a fleet.
 */
import { CreateSnapshotCommand, type EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { recordToTags } from '../src/aws/ec2-mappers.js';

export interface LaunchOptions {
  readonly count: number;
  /** `Name` tag of the instances; their volumes are named `<name>-disk`. */
  readonly name: string;
  /** Tags on the instances and their volumes. */
  readonly tags: Readonly<Record<string, string>>;
  /** Devices to map. moto creates only mapped volumes, so the boot device must be among them. */
  readonly devices: readonly string[];
}

export interface Launched {
  readonly instanceId: string;
  /** Volume ids in `devices` order. */
  readonly volumes: readonly string[];
}

/** One RunInstances call (one reservation) of `count` instances with a gp3 volume per device. */
export async function launchInstances(ec2: EC2Client, options: LaunchOptions): Promise<Launched[]> {
  const { count, name, tags, devices } = options;
  const out = await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-12c6146b',
      InstanceType: 't3.micro',
      MinCount: count,
      MaxCount: count,
      BlockDeviceMappings: devices.map((DeviceName) => ({
        DeviceName,
        Ebs: { VolumeSize: 8, VolumeType: 'gp3' },
      })),
      TagSpecifications: [
        { ResourceType: 'instance', Tags: recordToTags({ Name: name, ...tags }) },
        { ResourceType: 'volume', Tags: recordToTags({ Name: `${name}-disk`, ...tags }) },
      ],
    }),
  );
  const instances = out.Instances ?? [];
  if (instances.length !== count) throw new Error(`RunInstances made ${instances.length} of ${count}`);
  return instances.map((instance) => {
    const byDevice = new Map(
      (instance.BlockDeviceMappings ?? []).map((m) => [m.DeviceName, m.Ebs?.VolumeId]),
    );
    const volumes = devices.map((device) => {
      const volume = byDevice.get(device);
      if (volume === undefined) throw new Error(`RunInstances made no volume at ${device}`);
      return volume;
    });
    return { instanceId: instance.InstanceId ?? '', volumes };
  });
}

/** One CreateSnapshot of `volumeId`, tagged at creation when `tags` has any. */
export async function snapshotVolume(
  ec2: EC2Client,
  volumeId: string,
  options: { description: string; tags?: Readonly<Record<string, string>> },
): Promise<string> {
  const tags = recordToTags(options.tags ?? {});
  const out = await ec2.send(
    new CreateSnapshotCommand({
      VolumeId: volumeId,
      Description: options.description,
      ...(tags.length === 0 ? {} : { TagSpecifications: [{ ResourceType: 'snapshot', Tags: tags }] }),
    }),
  );
  if (out.SnapshotId === undefined) throw new Error('CreateSnapshot returned no snapshot id');
  return out.SnapshotId;
}
