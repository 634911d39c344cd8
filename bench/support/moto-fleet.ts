/**
 * Seeds a benchmark fleet into moto through the SDK: instances with three volumes each
 * (`/dev/sda1` mapped explicitly, or moto makes no root volume), and snapshots tagged as one
 * policy's series, made with `CreateSnapshot` + `TagSpecifications` several at a time.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { type Launched, launchInstances, snapshotVolume } from '../../scripts/seed-ec2.js';
import { runPool } from '../../src/app/kit/pool.js';
import { TAG } from '../../src/core/model.js';

/** What to seed. */
export interface MotoFleetOptions {
  readonly instances: number;
  /** The policy id the snapshots are tagged with. */
  readonly policy: string;
  readonly snapshotsPerVolume: number;
  /** Tags on every instance and its volumes, e.g. the policy's selector. */
  readonly tags: Readonly<Record<string, string>>;
  /** Instances per RunInstances call (one reservation). Default 4: fewer calls while seeding. */
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
    launched[n] = await launchInstances(ec2, {
      count,
      name: `bench-${n}`,
      tags: options.tags,
      devices: FLEET_DEVICES,
    });
  });
  const instanceIds = launched.flat().map((i) => i.instanceId);
  const volumeIds = launched.flat().flatMap((i) => i.volumes);
  const snapshotIds: string[] = [];
  const jobs = volumeIds.flatMap((volume) =>
    Array.from({ length: options.snapshotsPerVolume }, () => volume),
  );
  await runPool(jobs, concurrency, async (volume, index) => {
    snapshotIds[index] = await snapshotVolume(ec2, volume, {
      description: `seeded ${options.policy} ${volume}`,
      tags: { [TAG.policy]: options.policy, [TAG.volumeId]: volume },
    });
  });
  return { instanceIds, volumeIds, snapshotIds, seedSeconds: (performance.now() - started) / 1000 };
}
