/**
 * Seeds a benchmark fleet into moto through the SDK: instances with three volumes each
 * (`/dev/sda1` mapped explicitly, or moto makes no root volume), and snapshots tagged as one
 * policy's series, made with `CreateSnapshot` + `TagSpecifications` several at a time.
 */
import { CreateSnapshotCommand, type EC2Client, RunInstancesCommand, type Tag } from '@aws-sdk/client-ec2';
import { runPool } from '../../src/app/pool.js';
import { TAG } from '../../src/core/model.js';

/** What to seed. */
export interface MotoFleetOptions {
  readonly instances: number;
  /** The policy id the snapshots are tagged with. */
  readonly policy: string;
  readonly snapshotsPerVolume: number;
  /** Tags on every instance and its volumes, e.g. the policy's selector. */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Instances per RunInstances call (one reservation). Default 4: moto answers DescribeInstances
   * with at most 100 reservations unless asked for more, and the proxy, which pages for it,
   * drops the request's MaxResults, so more than 100 reservations would be cut short.
   */
  readonly perReservation?: number;
  /** Calls in flight while seeding. Default 8. */
  readonly concurrency?: number;
}

/** What was seeded, and how long it took. */
export interface MotoFleet {
  readonly instanceIds: readonly string[];
  readonly volumeIds: readonly string[];
  readonly snapshotIds: readonly string[];
  readonly seedSeconds: number;
}

/** The devices of each instance: the boot volume and two data volumes. */
export const FLEET_DEVICES = ['/dev/sda1', '/dev/sdf', '/dev/sdg'] as const;

const toTags = (record: Readonly<Record<string, string>>): Tag[] =>
  Object.entries(record).map(([Key, Value]) => ({ Key, Value }));

/**
 * Seed the fleet; `ec2` should talk to moto directly (not through a counting proxy).
 *
 * @example const fleet = await seedMotoFleet(direct, { instances: 200, policy: 'bench', snapshotsPerVolume: 3, tags: { Bench: 'true' } });
 */
export async function seedMotoFleet(ec2: EC2Client, options: MotoFleetOptions): Promise<MotoFleet> {
  const started = performance.now();
  const concurrency = options.concurrency ?? 8;
  const perReservation = options.perReservation ?? 4;
  const batches = Array.from({ length: Math.ceil(options.instances / perReservation) }, (_, n) =>
    Math.min(perReservation, options.instances - n * perReservation),
  );
  const launched: Launched[][] = [];
  await runPool(batches, concurrency, async (count, n) => {
    launched[n] = await runInstances(ec2, count, `bench-${n}`, options.tags);
  });
  const instanceIds = launched.flat().map((i) => i.instanceId);
  const volumeIds = launched.flat().flatMap((i) => i.volumes);
  const snapshotIds: string[] = [];
  const jobs = volumeIds.flatMap((volume) =>
    Array.from({ length: options.snapshotsPerVolume }, () => volume),
  );
  await runPool(jobs, concurrency, async (volume, index) => {
    snapshotIds[index] = await createSeriesSnapshot(ec2, volume, options.policy);
  });
  return { instanceIds, volumeIds, snapshotIds, seedSeconds: (performance.now() - started) / 1000 };
}

interface Launched {
  readonly instanceId: string;
  /** In {@link FLEET_DEVICES} order. */
  readonly volumes: readonly string[];
}

async function runInstances(
  ec2: EC2Client,
  count: number,
  name: string,
  tags: Readonly<Record<string, string>>,
): Promise<Launched[]> {
  const out = await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-12c6146b',
      InstanceType: 't3.micro',
      MinCount: count,
      MaxCount: count,
      BlockDeviceMappings: FLEET_DEVICES.map((DeviceName) => ({
        DeviceName,
        Ebs: { VolumeSize: 8, VolumeType: 'gp3' },
      })),
      TagSpecifications: [
        { ResourceType: 'instance', Tags: toTags({ Name: name, ...tags }) },
        { ResourceType: 'volume', Tags: toTags({ Name: `${name}-disk`, ...tags }) },
      ],
    }),
  );
  const instances = out.Instances ?? [];
  if (instances.length !== count) throw new Error(`RunInstances made ${instances.length} of ${count}`);
  return instances.map((instance) => {
    const mappings = instance.BlockDeviceMappings ?? [];
    const byDevice = new Map(mappings.map((m) => [m.DeviceName, m.Ebs?.VolumeId]));
    const volumes = FLEET_DEVICES.map((device) => {
      const volume = byDevice.get(device);
      if (volume === undefined) throw new Error(`RunInstances made no volume at ${device}`);
      return volume;
    });
    return { instanceId: instance.InstanceId ?? '', volumes };
  });
}

async function createSeriesSnapshot(ec2: EC2Client, volume: string, policy: string): Promise<string> {
  const out = await ec2.send(
    new CreateSnapshotCommand({
      VolumeId: volume,
      Description: `seeded ${policy} ${volume}`,
      TagSpecifications: [
        { ResourceType: 'snapshot', Tags: toTags({ [TAG.policy]: policy, [TAG.volumeId]: volume }) },
      ],
    }),
  );
  if (out.SnapshotId === undefined) throw new Error('CreateSnapshot returned no snapshot id');
  return out.SnapshotId;
}
