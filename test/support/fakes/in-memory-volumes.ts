/**
 * The volumes of restore drills in memory (a `VolumePort`), for the app layer's tests and the
 * drill state machine's property test: volumes that become available, initialize, attach and detach
 * after a number of looks each (or never), go to `error`, refuse a delete; tags on volumes and on
 * snapshots; and a crash switch shared with the SSM fake: after `remaining` more changing calls
 * every call throws, as if the process had died there (with `afterChange`, right after the change).
 */
import { PortError } from '../../../src/app/kit/ports.js';
import type {
  CreateDrillVolumeRequest,
  Initialization,
  VolumePort,
} from '../../../src/app/kit/volume-port.js';
import {
  type InstanceId,
  type SnapshotId,
  volumeId as toVolumeId,
  type Volume,
  type VolumeId,
} from '../../../src/core/model.js';

/** How one drill volume behaves; every count is looks at it (listings that include it). */
export interface VolumeBehaviour {
  /** Looks that still see `creating`; Infinity: never available. Default 0 (moto: available at once). */
  readonly availableAfter?: number;
  /** Ends in `error` instead of `available`. */
  readonly error?: boolean;
  /** DescribeVolumeStatus looks that see initialization pending; `unknown`: EC2 tells nothing. Default 0. */
  readonly initializedAfter?: number | 'unknown';
  /** Looks an attach takes. Default 0. */
  readonly attachLooks?: number;
  /** Looks a detach takes; Infinity: only a forced detach ends it. Default 0. */
  readonly detachLooks?: number;
  /** DeleteVolume calls refused (IncorrectState) before one works. Default 0. */
  readonly deleteRefusals?: number;
}

/** Where the "process" dies: shared by every fake of one simulated run. */
export class CrashSwitch {
  /** Changing calls still allowed; undefined = never crash. */
  remaining: number | undefined;
  /** The last allowed change is carried out before the crash (its answer is lost). */
  afterChange = false;
  /** What was done, in order. */
  readonly log: string[] = [];

  /** A read: fails once crashed. */
  alive(what: string): void {
    if (this.remaining !== undefined && this.remaining < 0) throw new CrashedError(what);
  }

  /** A change: runs `act` unless the process died before it (or dies right after it). */
  change<T>(what: string, act: () => T): T {
    this.alive(what);
    if (this.remaining !== undefined) {
      this.remaining -= 1;
      if (this.remaining < 0 && !this.afterChange) throw new CrashedError(what);
    }
    const result = act();
    this.log.push(what);
    if (this.remaining !== undefined && this.remaining < 0) throw new CrashedError(`after ${what}`);
    return result;
  }
}

/** The process died: nothing after this point happens. */
export class CrashedError extends Error {}

interface SimVolume {
  readonly id: VolumeId;
  readonly snapshotId: SnapshotId;
  readonly availabilityZone: string;
  readonly sizeGiB: number;
  readonly type: string;
  readonly tags: Record<string, string>;
  readonly behaviour: VolumeBehaviour;
  state: string;
  looks: number;
  initLooks: number;
  attachment?: { instanceId: InstanceId; device: string; state?: string; looks: number };
  deleteRefusals: number;
}

export class InMemoryVolumes implements VolumePort {
  readonly crash = new CrashSwitch();
  /** Behaviour of each new volume, by its snapshot; default as moto (at once). */
  behaviourOf: (snapshotId: string) => VolumeBehaviour = () => ({});
  /** Every result written on a snapshot: `{ snapshotId, volumeId, result }`. */
  readonly results: { snapshotId: string; volumeId: string; result: string }[] = [];
  /** Every volume ever made, by id. */
  readonly made: VolumeId[] = [];
  readonly calls: string[] = [];
  private readonly sims = new Map<string, SimVolume>();
  private readonly tokens = new Map<string, VolumeId>();
  private next = 1;

  constructor(
    /** Writes tags on a snapshot of the account; throws InvalidSnapshot.NotFound when it is gone. */
    private readonly tagSnapshotIn: (id: SnapshotId, tags: Readonly<Record<string, string>>) => void,
    seed: readonly Volume[] = [],
  ) {
    for (const v of seed) {
      this.sims.set(v.id, {
        id: v.id,
        snapshotId: v.snapshotId!,
        availabilityZone: v.availabilityZone ?? 'eu-west-1a',
        sizeGiB: v.sizeGiB,
        type: v.type,
        tags: { ...v.tags },
        behaviour: {},
        state: v.state ?? 'available',
        looks: 0,
        initLooks: 0,
        ...(v.attachments[0] === undefined ? {} : { attachment: { ...v.attachments[0], looks: 0 } }),
        deleteRefusals: 0,
      });
    }
  }

  /** The volumes as a DescribeVolumes listing shows them now (each listing is a look). */
  listed(ids?: readonly string[]): Volume[] {
    return [...this.sims.values()]
      .filter((v) => ids === undefined || ids.includes(v.id))
      .map((v) => this.look(v));
  }

  /** The volumes that exist now, unlooked. */
  get alive(): readonly string[] {
    return [...this.sims.keys()];
  }

  async createVolume(request: CreateDrillVolumeRequest): Promise<VolumeId> {
    this.calls.push('CreateVolume');
    return this.crash.change(`create ${request.snapshotId}`, () => {
      const known = this.tokens.get(request.clientToken);
      if (known !== undefined) return known;
      const id = toVolumeId(`vol-d${(this.next++).toString(16).padStart(16, '0')}`);
      const behaviour = this.behaviourOf(request.snapshotId);
      this.sims.set(id, {
        id,
        snapshotId: request.snapshotId,
        availabilityZone: request.availabilityZone,
        sizeGiB: request.sizeGiB ?? 8,
        type: request.volumeType,
        tags: { ...request.tags },
        behaviour,
        state: 'creating',
        looks: 0,
        initLooks: 0,
        deleteRefusals: behaviour.deleteRefusals ?? 0,
      });
      this.tokens.set(request.clientToken, id);
      this.made.push(id);
      return id;
    });
  }

  async listDrillVolumes(ids?: readonly VolumeId[]): Promise<readonly Volume[]> {
    this.calls.push('DescribeVolumes');
    this.crash.alive('DescribeVolumes');
    return this.listed(ids).filter((v) => v.tags['ebs-snapper:drill-of'] !== undefined);
  }

  async initialization(ids: readonly VolumeId[]): Promise<ReadonlyMap<string, Initialization>> {
    this.calls.push('DescribeVolumeStatus');
    this.crash.alive('DescribeVolumeStatus');
    const out = new Map<string, Initialization>();
    for (const id of ids) {
      const sim = this.sims.get(id);
      if (sim === undefined || sim.state === 'creating') continue;
      const after = sim.behaviour.initializedAfter ?? 0;
      if (after === 'unknown') out.set(id, 'unknown');
      else out.set(id, sim.initLooks++ >= after ? 'done' : 'pending');
    }
    return out;
  }

  async attach(volumeId: VolumeId, instanceId: InstanceId, device: string): Promise<void> {
    this.calls.push('AttachVolume');
    this.crash.change(`attach ${volumeId}`, () => {
      const sim = this.must('AttachVolume', volumeId);
      if (sim.state !== 'available' || sim.attachment !== undefined)
        throw refused('AttachVolume', 'VolumeInUse', `${volumeId} is ${sim.state}`);
      sim.attachment = { instanceId, device, state: 'attaching', looks: sim.behaviour.attachLooks ?? 0 };
      sim.state = 'in-use';
    });
  }

  async detach(volumeId: VolumeId, instanceId: InstanceId, force: boolean): Promise<void> {
    this.calls.push(force ? 'DetachVolume(force)' : 'DetachVolume');
    this.crash.change(`detach ${volumeId}`, () => {
      const sim = this.must('DetachVolume', volumeId);
      if (sim.attachment === undefined || sim.attachment.instanceId !== instanceId)
        throw refused('DetachVolume', 'IncorrectState', `${volumeId} is not attached to ${instanceId}`);
      const looks = force ? 0 : (sim.behaviour.detachLooks ?? 0);
      if (sim.attachment.state !== 'detaching' || force)
        sim.attachment = { ...sim.attachment, state: 'detaching', looks };
    });
  }

  async deleteVolume(volumeId: VolumeId): Promise<void> {
    this.calls.push('DeleteVolume');
    this.crash.change(`delete ${volumeId}`, () => {
      const sim = this.sims.get(volumeId);
      if (sim === undefined) return;
      if (sim.attachment !== undefined)
        throw refused('DeleteVolume', 'VolumeInUse', `${volumeId} is attached`);
      if (sim.deleteRefusals > 0) {
        sim.deleteRefusals -= 1;
        throw refused('DeleteVolume', 'IncorrectState', `${volumeId} cannot be deleted now`);
      }
      this.sims.delete(volumeId);
    });
  }

  async tagVolume(volumeId: VolumeId, tags: Readonly<Record<string, string>>): Promise<void> {
    this.calls.push('CreateTags(volume)');
    this.crash.change(`tag ${volumeId} ${Object.values(tags)[0] ?? ''}`, () => {
      Object.assign(this.must('CreateTags', volumeId).tags, tags);
    });
  }

  async tagSnapshot(snapshotId: SnapshotId, tags: Readonly<Record<string, string>>): Promise<void> {
    this.calls.push('CreateTags(snapshot)');
    this.crash.change(`record ${snapshotId}`, () => {
      this.tagSnapshotIn(snapshotId, tags);
      this.results.push({
        snapshotId,
        volumeId: tags['ebs-snapper:drill-volume'] ?? '',
        result: tags['ebs-snapper:drill-result'] ?? '',
      });
    });
  }

  /** One look: the volume moves on as EC2's would between two looks. */
  private look(sim: SimVolume): Volume {
    sim.looks += 1;
    const { behaviour } = sim;
    if (sim.state === 'creating' && sim.looks > (behaviour.availableAfter ?? 0))
      sim.state = behaviour.error === true ? 'error' : 'available';
    const a = sim.attachment;
    if (a !== undefined && a.state !== undefined) {
      if (a.looks > 0) a.looks -= 1;
      else if (a.state === 'attaching') delete a.state;
      else if (a.state === 'detaching') {
        delete sim.attachment;
        sim.state = 'available';
      }
    }
    return {
      id: sim.id,
      tags: { ...sim.tags },
      type: sim.type,
      sizeGiB: sim.sizeGiB,
      availabilityZone: sim.availabilityZone,
      state: sim.state,
      snapshotId: sim.snapshotId,
      attachments:
        sim.attachment === undefined
          ? []
          : [
              {
                instanceId: sim.attachment.instanceId,
                device: sim.attachment.device,
                ...(sim.attachment.state === undefined ? {} : { state: sim.attachment.state }),
              },
            ],
    };
  }

  private must(operation: string, id: VolumeId): SimVolume {
    const sim = this.sims.get(id);
    if (sim === undefined) throw refused(operation, 'InvalidVolume.NotFound', `${id} does not exist`);
    return sim;
  }
}

const refused = (operation: string, code: string, message: string) =>
  new PortError(operation, { code, message, transient: false });
