/**
 * Test builders for inventories, written the way a test reads:
 *
 * @example
 * fleet()
 *   .instance('web-1', { tags: { Role: 'web' } })
 *   .volume({ device: '/dev/xvda' })
 *   .snapshots(series('web', daily(10, { from: now })))
 *   .build();
 */
import {
  type Image,
  type Instance,
  type InstanceState,
  type Inventory,
  imageId,
  instanceId,
  type Snapshot,
  type SnapshotState,
  type StorageTier,
  snapshotId,
  TAG,
  type Tags,
  type Volume,
  volumeId,
} from '../../../src/core/model.js';
import { DAY } from './policy.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

export interface InstanceInput {
  readonly id?: string;
  readonly tags?: Tags;
  readonly asg?: string;
  readonly state?: InstanceState;
  /** Default `/dev/xvda`. */
  readonly rootDevice?: string;
  readonly type?: string;
  readonly az?: string;
}

export interface VolumeInput {
  readonly id?: string;
  readonly device?: string;
  readonly tags?: Tags;
  readonly type?: string;
  readonly size?: number;
  readonly state?: string;
  readonly encrypted?: boolean;
  readonly az?: string;
}

/** A drill volume (`FleetBuilder.drillVolume`). */
export interface DrillVolumeInput {
  readonly id?: string;
  /** The drilled snapshot (`ebs-snapper:drill-of`). */
  readonly of: string;
  /** The snapshot EC2 says the volume was made from; default `of`. */
  readonly createdFrom?: string;
  readonly policy: string;
  readonly runId: string;
  readonly startedAt: number;
  readonly step?: string;
  readonly state?: string;
  readonly attachedTo?: string;
  readonly device?: string;
  readonly size?: number;
  readonly az?: string;
  readonly tags?: Tags;
}

/** One snapshot to add; the volume it is added to fills in `volumeId`. */
export interface SnapshotSpec {
  readonly startTime: number;
  readonly id?: string;
  readonly state?: SnapshotState;
  readonly tags?: Tags;
  readonly ownerId?: string;
  readonly locked?: boolean;
  readonly volumeId?: string;
  /** `FullSnapshotSizeInBytes`. */
  readonly fullSizeBytes?: number;
  readonly storageTier?: StorageTier;
  /** Epoch ms it reached the archive tier. */
  readonly archivedAt?: number;
  /** The source volume's size (`VolumeSize`). */
  readonly sizeGiB?: number;
}

/** `count` times one day apart, the newest at `from`. */
export const daily = (count: number, at: { from: number }): number[] => spaced(count, DAY, at);

/** `count` times `step` apart, the newest at `from`. */
export function spaced(count: number, step: number, at: { from: number }): number[] {
  return Array.from({ length: count }, (_, i) => at.from - i * step);
}

/** Snapshots the tool made for a policy (tagged `ebs-snapper:policy`, completed by default). */
export function series(
  policyId: string,
  times: readonly number[],
  extra: Partial<SnapshotSpec> = {},
): SnapshotSpec[] {
  return times.map((startTime) => ({ ...extra, startTime, tags: { [TAG.policy]: policyId, ...extra.tags } }));
}

/** Snapshots made by hand: no policy tag. */
export function manual(times: readonly number[], extra: Partial<SnapshotSpec> = {}): SnapshotSpec[] {
  return times.map((startTime) => ({ ...extra, startTime }));
}

/** Builds an Inventory; ids are deterministic (`vol-0001`, `snap-0001`). */
export class FleetBuilder {
  private readonly instances: Instance[] = [];
  private readonly volumes: Volume[] = [];
  private readonly snapshotList: Snapshot[] = [];
  private readonly images: Image[] = [];
  private currentInstance: Instance | undefined;
  private currentVolume: string | undefined;
  private counter = 0;

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  /** An instance named `name` (its `Name` tag; id `i-<name>` unless given); volumes attach to it. */
  instance(name: string, input: InstanceInput = {}): this {
    const instance: Instance = {
      id: instanceId(input.id ?? `i-${name}`),
      state: input.state ?? 'running',
      tags: { Name: name, ...input.tags },
      rootDeviceName: input.rootDevice ?? '/dev/xvda',
      ...(input.asg !== undefined ? { asg: input.asg } : {}),
      ...(input.type !== undefined ? { instanceType: input.type } : {}),
      ...(input.az !== undefined ? { availabilityZone: input.az } : {}),
    };
    this.instances.push(instance);
    this.currentInstance = instance;
    return this;
  }

  /** A volume attached to the current instance at `device` (default `/dev/xvda`). */
  volume(input: VolumeInput = {}): this {
    const at = this.currentInstance;
    const attachments = at ? [{ instanceId: at.id, device: input.device ?? '/dev/xvda' }] : [];
    return this.addVolume(input, attachments, at ? 'in-use' : 'available');
  }

  /** A volume attached to nothing. */
  detachedVolume(input: VolumeInput = {}): this {
    this.currentInstance = undefined;
    return this.addVolume(input, [], 'available');
  }

  /** Snapshots of the current volume. */
  snapshots(specs: readonly SnapshotSpec[]): this {
    const volume = this.currentVolume;
    for (const spec of specs) {
      const managed = spec.tags?.[TAG.policy] !== undefined;
      const tags = managed && volume ? { [TAG.volumeId]: volume, ...spec.tags } : (spec.tags ?? {});
      this.snapshot({ ...spec, tags, ...(volume && !spec.volumeId ? { volumeId: volume } : {}) });
    }
    return this;
  }

  /** One snapshot as given (no volume filled in). */
  snapshot(spec: SnapshotSpec): this {
    this.snapshotList.push({
      id: snapshotId(spec.id ?? `snap-${this.next()}`),
      ownerId: spec.ownerId ?? this.account,
      state: spec.state ?? 'completed',
      startTime: spec.startTime,
      tags: spec.tags ?? {},
      ...(spec.volumeId !== undefined ? { volumeId: volumeId(spec.volumeId) } : {}),
      ...(spec.locked !== undefined ? { locked: spec.locked } : {}),
      ...(spec.fullSizeBytes !== undefined ? { fullSizeBytes: spec.fullSizeBytes } : {}),
      ...(spec.storageTier !== undefined ? { storageTier: spec.storageTier } : {}),
      ...(spec.archivedAt !== undefined ? { archivedAt: spec.archivedAt } : {}),
      ...(spec.sizeGiB !== undefined ? { sizeGiB: spec.sizeGiB } : {}),
    });
    return this;
  }

  /**
   * A restore drill's volume as the tool makes it: created from `of`, with the drill tags
   * (override any with `tags`), attached to `attachedTo` when given.
   */
  drillVolume(input: DrillVolumeInput): this {
    const id = input.id ?? `vol-${this.next()}`;
    this.volumes.push({
      id: volumeId(id),
      tags: {
        'ebs-snapper:drill-of': input.of,
        [TAG.policy]: input.policy,
        [TAG.runId]: input.runId,
        'ebs-snapper:drill-started': new Date(input.startedAt).toISOString(),
        'ebs-snapper:drill-step': input.step ?? 'creating',
        ...input.tags,
      },
      type: 'gp3',
      sizeGiB: input.size ?? 8,
      state: input.state ?? (input.attachedTo === undefined ? 'available' : 'in-use'),
      attachments:
        input.attachedTo === undefined
          ? []
          : [{ instanceId: instanceId(input.attachedTo), device: input.device ?? '/dev/sdz' }],
      snapshotId: snapshotId(input.createdFrom ?? input.of),
      ...(input.az !== undefined ? { availabilityZone: input.az } : {}),
    });
    return this;
  }

  /** An AMI of the account referencing these snapshots. */
  image(id: string, snapshotIds: readonly string[]): this {
    this.images.push({ id: imageId(id), snapshotIds: snapshotIds.map(snapshotId) });
    return this;
  }

  build(): Inventory {
    return {
      account: this.account,
      region: this.region,
      instances: [...this.instances],
      volumes: [...this.volumes],
      snapshots: [...this.snapshotList],
      images: [...this.images],
    };
  }

  private addVolume(input: VolumeInput, attachments: Volume['attachments'], state: string): this {
    const id = input.id ?? `vol-${this.next()}`;
    this.volumes.push({
      id: volumeId(id),
      tags: input.tags ?? {},
      type: input.type ?? 'gp3',
      sizeGiB: input.size ?? 8,
      state: input.state ?? state,
      encrypted: input.encrypted ?? false,
      attachments,
      ...(input.az !== undefined ? { availabilityZone: input.az } : {}),
    });
    this.currentVolume = id;
    return this;
  }

  private next(): string {
    this.counter++;
    return String(this.counter).padStart(4, '0');
  }
}

/** Start building an inventory of one account × region. */
export const fleet = (at: { account?: string; region?: string } = {}): FleetBuilder =>
  new FleetBuilder(at.account ?? ACCOUNT, at.region ?? REGION);
