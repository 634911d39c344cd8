/**
 * An in-memory Ec2Port for the app layer's tests: it keeps snapshots, counts calls, tracks how
 * many calls are in flight at once, and fails calls with given EC2 error codes on request —
 * including "done server-side, response lost", which only a fake can produce on demand.
 */

import {
  type CollectInventoryOptions,
  type CopySnapshotRequest,
  type CreatedSnapshot,
  type CreateSnapshotRequest,
  type CreateSnapshotsRequest,
  type Ec2Port,
  PortError,
  type TargetGlance,
} from '../../../src/app/kit/ports.js';
import { isTransientCode } from '../../../src/aws/errors.js';
import { SNAPSHOT_PAGE, VOLUME_PAGE } from '../../../src/aws/target-glance.js';
import {
  type CopyDestination,
  type InstanceId,
  type Inventory,
  isManagedBy,
  type Snapshot,
  type SnapshotId,
  snapshotId,
  TAG,
  type Volume,
  type VolumeId,
} from '../../../src/core/model.js';
import { addSnapshotSize, emptySizes } from '../../../src/core/report/cost.js';
import { InMemoryInstances } from './in-memory-instances.js';
import { InMemorySsm } from './in-memory-ssm.js';
import { InMemoryVolumes } from './in-memory-volumes.js';

export type FakeOperation =
  | 'collectInventory'
  | 'createSnapshot'
  | 'createSnapshots'
  | 'deleteSnapshot'
  | 'findRunSnapshots'
  | 'listCopies'
  | 'copySnapshot'
  | 'glance';

const isDrillVolume = (v: Volume): boolean => v.tags['ebs-snapper:drill-of'] !== undefined;

/** A port failure as the AWS adapter would raise it, transient exactly when the adapter says so. */
export function fakePortError(operation: FakeOperation, code: string): PortError {
  return new PortError(operation, { code, message: `${code} (fake)`, transient: isTransientCode(code) });
}

interface Fault {
  readonly operation: FakeOperation;
  readonly code: string;
  remaining: number;
  readonly afterSuccess: boolean;
  readonly target?: string;
}

export interface FaultOptions {
  /** How many matching calls fail. Default 1. */
  readonly times?: number;
  /** Carry the call out, then throw: the server acted but the response was lost. */
  readonly afterSuccess?: boolean;
  /** Only calls about this volume (createSnapshot), instance (createSnapshots) or snapshot (deleteSnapshot). */
  readonly target?: string;
}

export class InMemoryEc2 implements Ec2Port {
  readonly account: string;
  readonly region: string;
  /** Every call, in order, with its request. */
  readonly calls: { readonly operation: FakeOperation; readonly request: unknown }[] = [];
  /** Snapshots that DeleteSnapshot refuses with InvalidSnapshot.InUse. */
  readonly inUse = new Set<string>();
  maxInFlight = 0;
  /**
   * How long a snapshot or copy this port made stays out of its listings (`collectInventory`,
   * `findRunSnapshots`, `listCopies`): EC2's listings lag its creates. Measured on this port's
   * clock, which the apply step's fake clock also drives.
   */
  listingLagMs = 0;
  /** New snapshots are `completed` at once (as moto makes them), so they may be copied in the same run. */
  completedAtOnce = false;
  /** `copy_to`: the copies made in each destination region, as they are now. */
  readonly copiesIn = new Map<string, Snapshot[]>();
  private inFlight = 0;
  private nextId = 1;
  /** When this port made each snapshot and copy, on its clock. */
  private readonly madeAt = new Map<string, number>();
  private snapshots: Snapshot[];
  /** The instances: states, Standby, and the crash switch of the stop workflow's tests. */
  readonly instances: InMemoryInstances;
  /** SSM in memory: `ssm.manage([...])`, `ssm.endWith(...)`; the unbounded port is the same fake. */
  readonly ssm = new InMemorySsm();
  get ssmUnbounded(): InMemorySsm {
    return this.ssm;
  }
  private readonly faults: Fault[] = [];
  /** The volumes of restore drills (those of the inventory carrying `ebs-snapper:drill-of`, and new ones). */
  readonly volumes: InMemoryVolumes;

  constructor(
    private readonly inventory: Inventory,
    private readonly clock: () => number = () => 0,
  ) {
    this.account = inventory.account;
    this.region = inventory.region;
    this.snapshots = [...inventory.snapshots];
    this.instances = new InMemoryInstances(inventory);
    this.volumes = new InMemoryVolumes(
      (id, tags) => this.updateSnapshotTags(id, tags),
      inventory.volumes.filter(isDrillVolume),
    );
    this.ssm.crash = this.volumes.crash;
  }

  /** Adds `tags` to a snapshot as CreateTags would; InvalidSnapshot.NotFound when it is gone. */
  updateSnapshotTags(id: SnapshotId, tags: Readonly<Record<string, string>>): void {
    const at = this.snapshots.findIndex((s) => s.id === id);
    if (at < 0) throw fakePortError('deleteSnapshot', 'InvalidSnapshot.NotFound');
    const found = this.snapshots[at]!;
    this.snapshots[at] = { ...found, tags: { ...found.tags, ...tags } };
  }

  /** Make the next matching call(s) of `operation` fail with `code`. */
  fail(operation: FakeOperation, code: string, options: FaultOptions = {}): this {
    const { times = 1, afterSuccess = false, target } = options;
    this.faults.push({
      operation,
      code,
      remaining: times,
      afterSuccess,
      ...(target === undefined ? {} : { target }),
    });
    return this;
  }

  count(operation: FakeOperation): number {
    return this.calls.filter((c) => c.operation === operation).length;
  }

  /** The snapshots as they are now. */
  listSnapshots(): readonly Snapshot[] {
    return this.snapshots;
  }

  /** As the AWS port's empty check: any volume (drill volumes included), any of the policies' snapshots. */
  async glance(policyIds: readonly string[]): Promise<TargetGlance> {
    return this.call('glance', policyIds, undefined, () => {
      const ids = new Set(policyIds);
      const volumes =
        this.inventory.volumes.filter((v) => !isDrillVolume(v)).length + this.volumes.listed().length;
      const managed = this.snapshots.filter((s) => isManagedBy(s, ids) && s.ownerId === this.account).length;
      // One page of each, as EC2 answers the AWS port's glance.
      return {
        volumes: { seen: Math.min(volumes, VOLUME_PAGE), more: volumes > VOLUME_PAGE },
        managedSnapshots: { seen: Math.min(managed, SNAPSHOT_PAGE), more: managed > SNAPSHOT_PAGE },
      };
    });
  }

  /** As the AWS port lists: the configured policies' snapshots; the account's others only counted when asked. */
  async collectInventory(options: CollectInventoryOptions): Promise<Inventory> {
    return this.call('collectInventory', options, undefined, () => {
      const policyIds = new Set(options.policyIds);
      const others = this.snapshots.filter((s) => !isManagedBy(s, policyIds) && s.ownerId === this.account);
      return {
        ...this.inventory,
        // Instances as they are now: their states and tags move with the stop workflow.
        instances: this.instances.listed(this.inventory.instances),
        // The drill volumes as they are now (each listing is a look at them).
        volumes: [...this.inventory.volumes.filter((v) => !isDrillVolume(v)), ...this.volumes.listed()],
        snapshots: this.snapshots.filter((s) => isManagedBy(s, policyIds) && this.isListed(s)),
        ...(options.unmanaged === 'count' && {
          unmanaged: others.reduce((totals, s) => {
            addSnapshotSize(totals, s);
            return totals;
          }, emptySizes()),
        }),
      };
    });
  }

  async createSnapshot(request: CreateSnapshotRequest): Promise<CreatedSnapshot> {
    return this.call('createSnapshot', request, request.volumeId, () => {
      this.instances.change('snapshot');
      return this.addSnapshot(request.volumeId, request.tags, request.description);
    });
  }

  async createSnapshots(request: CreateSnapshotsRequest): Promise<readonly CreatedSnapshot[]> {
    return this.call('createSnapshots', request, request.instanceId, () => {
      this.instances.change('snapshots');
      return this.setVolumes(request).map((v) =>
        this.addSnapshot(
          v,
          { ...(request.copyTagsFromSource ? this.volumeTags(v) : {}), ...request.tags },
          request.description,
        ),
      );
    });
  }

  async deleteSnapshot(id: SnapshotId): Promise<void> {
    return this.call('deleteSnapshot', id, id, () => {
      if (!this.snapshots.some((s) => s.id === id))
        throw fakePortError('deleteSnapshot', 'InvalidSnapshot.NotFound');
      if (this.inUse.has(id)) throw fakePortError('deleteSnapshot', 'InvalidSnapshot.InUse');
      this.snapshots = this.snapshots.filter((s) => s.id !== id);
    });
  }

  async findRunSnapshots(runId: string, policy: string): Promise<readonly Snapshot[]> {
    return this.call('findRunSnapshots', { runId, policy }, undefined, () =>
      this.snapshots.filter(
        (s) => s.tags[TAG.runId] === runId && s.tags[TAG.policy] === policy && this.isListed(s),
      ),
    );
  }

  async listCopies(destination: string): Promise<CopyDestination> {
    return this.call('listCopies', destination, destination, () => {
      const copies = (this.copiesIn.get(destination) ?? []).filter((c) => this.isListed(c));
      return {
        region: destination,
        copied: copies
          .filter((c) => c.tags[TAG.sourceRegion] === this.region && c.state !== 'error')
          .map((c) => c.tags[TAG.sourceSnapshotId]!),
        inFlight: copies.filter((c) => c.state === 'pending').length,
      };
    });
  }

  async copySnapshot(request: CopySnapshotRequest): Promise<SnapshotId> {
    return this.call('copySnapshot', request, request.sourceSnapshotId, () => {
      const source = this.snapshots.find((s) => s.id === request.sourceSnapshotId);
      if (source === undefined) throw fakePortError('copySnapshot', 'InvalidSnapshot.NotFound');
      if (source.state !== 'completed') throw fakePortError('copySnapshot', 'IncorrectState');
      const copies = this.copiesIn.get(request.destination) ?? [];
      this.copiesIn.set(request.destination, copies);
      const id = snapshotId(`snap-c${(this.nextId++).toString(16).padStart(16, '0')}`);
      this.madeAt.set(id, this.clock());
      copies.push({
        id,
        ...(source.volumeId === undefined ? {} : { volumeId: source.volumeId }),
        ownerId: this.account,
        state: 'pending',
        startTime: this.clock(),
        tags: request.tags,
        description: request.description,
      });
      return id;
    });
  }

  private async call<T>(
    operation: FakeOperation,
    request: unknown,
    target: string | undefined,
    act: () => T,
  ): Promise<T> {
    this.calls.push({ operation, request });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // Yield so that concurrent callers really overlap.
      await new Promise((resolve) => setImmediate(resolve));
      const fault = this.takeFault(operation, target);
      if (fault !== undefined && !fault.afterSuccess) throw fakePortError(operation, fault.code);
      const result = act();
      if (fault !== undefined) throw fakePortError(operation, fault.code);
      return result;
    } finally {
      this.inFlight -= 1;
    }
  }

  /** False while a snapshot this port made is still within the listing lag. */
  private isListed(snapshot: Snapshot): boolean {
    const made = this.madeAt.get(snapshot.id);
    return made === undefined || this.clock() - made >= this.listingLagMs;
  }

  private takeFault(operation: FakeOperation, target: string | undefined): Fault | undefined {
    const fault = this.faults.find(
      (f) => f.operation === operation && f.remaining > 0 && (f.target === undefined || f.target === target),
    );
    if (fault !== undefined) fault.remaining -= 1;
    return fault;
  }

  private addSnapshot(
    volumeId: VolumeId,
    tags: Readonly<Record<string, string>>,
    description: string,
  ): CreatedSnapshot {
    const id = snapshotId(`snap-${(this.nextId++).toString(16).padStart(17, '0')}`);
    this.madeAt.set(id, this.clock());
    this.snapshots.push({
      id,
      volumeId,
      ownerId: this.account,
      state: this.completedAtOnce ? 'completed' : 'pending',
      startTime: this.clock(),
      tags,
      description,
    });
    return { snapshotId: id, volumeId, ...(this.completedAtOnce && { completed: true }) };
  }

  /** Which volumes a CreateSnapshots call covers, refusing what EC2 refuses. */
  private setVolumes(request: CreateSnapshotsRequest): VolumeId[] {
    const instance = this.inventory.instances.find((i) => i.id === request.instanceId);
    if (instance === undefined) throw fakePortError('createSnapshots', 'InvalidInstanceID.NotFound');
    const attached = this.attachedTo(request.instanceId);
    const root = attached.find((a) => a.device === instance.rootDeviceName);
    for (const excluded of request.excludeDataVolumeIds) {
      if (!attached.some((a) => a.volumeId === excluded) || excluded === root?.volumeId) {
        throw new PortError('createSnapshots', {
          code: 'InvalidParameterValue',
          message: `${excluded} is not a data volume of ${request.instanceId}`,
          transient: false,
        });
      }
    }
    return attached
      .filter((a) => !(request.excludeBootVolume && a.volumeId === root?.volumeId))
      .filter((a) => !request.excludeDataVolumeIds.includes(a.volumeId))
      .map((a) => a.volumeId);
  }

  private volumeTags(id: VolumeId): Readonly<Record<string, string>> {
    return this.inventory.volumes.find((v) => v.id === id)?.tags ?? {};
  }

  private attachedTo(id: InstanceId): { volumeId: VolumeId; device: string }[] {
    return this.inventory.volumes.flatMap((v) =>
      v.attachments.filter((a) => a.instanceId === id).map((a) => ({ volumeId: v.id, device: a.device })),
    );
  }
}
