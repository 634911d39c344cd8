/**
 * Instances in memory for the stop workflow's tests: EC2 states that move on as they are
 * described (running → stopping → stopped takes `stopPolls` describes; a stuck stop never ends),
 * Auto Scaling Standby with the group's desired capacity, and a crash switch: after `crashAfter`
 * more changing calls every call throws and changes nothing, as if the process had died there.
 */
import type { InstancePort, LiveInstance } from '../../../src/app/kit/ports.js';
import { PortError } from '../../../src/app/kit/ports.js';
import type { Instance, InstanceId, Inventory } from '../../../src/core/model.js';

interface SimInstance {
  state: string;
  tags: Record<string, string>;
  asg?: string;
  lifecycle?: string;
  /** Describes left before a transition ends. */
  pending: number;
}

export class InMemoryInstances implements InstancePort {
  /** Describes a stop takes to reach `stopped`; Infinity = stuck in `stopping`. */
  stopPolls = 1;
  startPolls = 1;
  /** Changing calls still allowed before the "process dies"; undefined = never. */
  crashAfter: number | undefined;
  readonly desired = new Map<string, number>();
  readonly log: string[] = [];
  private readonly sims = new Map<string, SimInstance>();

  constructor(inventory: Inventory) {
    for (const i of inventory.instances) {
      this.sims.set(i.id, {
        state: i.state,
        tags: { ...i.tags },
        ...(i.asg === undefined ? {} : { asg: i.asg, lifecycle: 'InService' }),
        pending: 0,
      });
      if (i.asg !== undefined) this.desired.set(i.asg, (this.desired.get(i.asg) ?? 0) + 1);
    }
  }

  /** An inventory instance with its state and tags as they are now. */
  current(instance: Instance): Instance {
    const sim = this.sims.get(instance.id);
    return sim === undefined
      ? instance
      : { ...instance, state: sim.state as Instance['state'], tags: { ...sim.tags } };
  }

  /**
   * The instances a DescribeInstances listing shows now, as the AWS port collects them: with
   * their current states and tags, and without the terminated and forgotten ones.
   */
  listed(instances: readonly Instance[]): Instance[] {
    return instances
      .filter((i) => this.sims.has(i.id) && this.sims.get(i.id)?.state !== 'terminated')
      .map((i) => this.current(i));
  }

  /** The simulated instance, for setting up and checking states. */
  sim(id: string): SimInstance {
    const sim = this.sims.get(id);
    if (sim === undefined) throw new Error(`no instance ${id}`);
    return sim;
  }

  /** The instance is gone for good: describes find nothing (EC2's InvalidInstanceID.NotFound). */
  forget(id: string): void {
    this.sims.delete(id);
  }

  async describe(id: InstanceId): Promise<LiveInstance | undefined> {
    this.alive('describe');
    const sim = this.sims.get(id);
    if (sim === undefined) return undefined;
    if (sim.pending > 0 && sim.pending !== Number.POSITIVE_INFINITY) sim.pending -= 1;
    if (sim.pending === 0 && sim.state === 'stopping') sim.state = 'stopped';
    if (sim.pending === 0 && sim.state === 'pending') sim.state = 'running';
    return {
      id,
      state: sim.state,
      tags: { ...sim.tags },
      ...(sim.lifecycle === undefined ? {} : { lifecycle: sim.lifecycle }),
    };
  }

  async tag(id: InstanceId, tags: Readonly<Record<string, string>>): Promise<void> {
    this.change(`tag ${Object.keys(tags).join(',')}`);
    Object.assign(this.sim(id).tags, tags);
  }

  async untag(id: InstanceId, keys: readonly string[]): Promise<void> {
    this.change(`untag ${keys.join(',')}`);
    const sim = this.sim(id);
    if (sim.state === 'terminated') throw refused('DeleteTags', 'instance is terminated');
    for (const key of keys) delete sim.tags[key];
  }

  async stop(id: InstanceId): Promise<void> {
    this.change('stop');
    const sim = this.sim(id);
    if (sim.state !== 'running') throw refused('StopInstances', `instance is ${sim.state}`);
    sim.state = 'stopping';
    sim.pending = this.stopPolls;
  }

  async start(id: InstanceId): Promise<void> {
    this.change('start');
    const sim = this.sim(id);
    if (sim.state === 'running' || sim.state === 'pending') return;
    if (sim.state !== 'stopped') throw refused('StartInstances', `instance is ${sim.state}`);
    sim.state = 'pending';
    sim.pending = this.startPolls;
  }

  async enterStandby(asg: string, id: InstanceId): Promise<void> {
    this.change('enter-standby');
    const sim = this.sim(id);
    if (sim.lifecycle !== 'InService') throw refused('EnterStandby', `instance is ${sim.lifecycle}`);
    sim.lifecycle = 'Standby';
    this.desired.set(asg, (this.desired.get(asg) ?? 0) - 1);
  }

  async exitStandby(asg: string, id: InstanceId): Promise<void> {
    this.change('exit-standby');
    const sim = this.sim(id);
    if (sim.lifecycle !== 'Standby') throw refused('ExitStandby', `instance is ${sim.lifecycle}`);
    sim.lifecycle = 'InService';
    this.desired.set(asg, (this.desired.get(asg) ?? 0) + 1);
  }

  private alive(what: string): void {
    if (this.crashAfter !== undefined && this.crashAfter < 0) throw new CrashedError(what);
  }

  /** A changing call elsewhere (a snapshot) counts toward the crash point too. */
  change(what: string): void {
    this.alive(what);
    if (this.crashAfter !== undefined) {
      this.crashAfter -= 1;
      if (this.crashAfter < 0) throw new CrashedError(what);
    }
    this.log.push(what);
  }
}

/** The "process" died: nothing after this point happens. */
export class CrashedError extends Error {
  constructor(what: string) {
    super(`crashed before ${what}`);
  }
}

const refused = (operation: string, message: string) =>
  new PortError(operation, { code: 'IncorrectInstanceState', message, transient: false });
