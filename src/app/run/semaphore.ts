/**
 * The stop slots of one run in one account × region (SPEC §6): how many instances may be stopped
 * at once. A stop takes every slot that bounds it:
 *
 * - `policy:<id>` — `max_stopped` instances of that policy, when the policy sets it;
 * - `asg:<name>` — one member of an Auto Scaling group, shared by **all** policies of the run, so a
 *   group never loses more than one member at a time, whatever selects its members and whatever
 *   their `max_stopped` (it bounds the policy; it never lets a group lose two);
 * - `instance:<id>` — one workflow per instance, should two policies select the same one.
 *
 * A stop takes all its slots at once or none (it waits holding nothing), so no stop ever holds a
 * slot while it waits for another: no slot idles, and no two stops can each wait for the other.
 *
 * An instance that could not be given back is still down: its slots are lost for the rest of the
 * run (a group that has a member stuck in Standby loses no other), and a stop that can never get
 * a lost slot is refused with `SlotLostError` instead of waiting for ever.
 */
import type { StopWorkflow } from '../../core/actions.js';
import { EbsSnapperError } from '../../core/errors.js';
import type { InstanceId } from '../../core/model.js';

/** The slot's holders that were never given back fill it: no stop of it can start in this run. */
export class SlotLostError extends EbsSnapperError {
  readonly key: string;
  constructor(key: string) {
    super(`${key} has an instance that could not be given back in this run`);
    this.key = key;
  }
}

/** How a stop gives its slots back. */
export type ReleaseSlots = (how?: { readonly lost?: boolean }) => void;

/** A slot to take: at most `limit` holders of `key` at once. */
export interface Slot {
  readonly key: string;
  readonly limit: number;
}

/**
 * The slots an instance's stop takes, in the order they are taken.
 *
 * @example stopSlotsOf('db', instanceId('i-1'), { timeoutMs: 600_000, asg: 'db-asg' }) // asg:db-asg, instance:i-1
 */
export function stopSlotsOf(policy: string, instance: InstanceId, workflow: StopWorkflow): Slot[] {
  return [
    ...(workflow.maxStopped === undefined ? [] : [{ key: `policy:${policy}`, limit: workflow.maxStopped }]),
    ...(workflow.asg === undefined ? [] : [{ key: `asg:${workflow.asg}`, limit: 1 }]),
    { key: `instance:${instance}`, limit: 1 },
  ];
}

/** Slots per key, shared by the stops of one apply. */
export class KeyedSlots {
  private readonly held = new Map<string, number>();
  /** Slots of instances that were not given back: taken for the rest of the run. */
  private readonly lost = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  /**
   * Wait until every slot has room, then take them all; the returned function gives them all
   * back (`{ lost: true }`: the instance is still down, its slots stay taken). Throws
   * `SlotLostError` when a slot can never have room again in this run.
   */
  async acquireAll(slots: readonly Slot[]): Promise<ReleaseSlots> {
    for (;;) {
      const full = slots.find((s) => this.taken(s.key) >= s.limit);
      if (full === undefined) break;
      if ((this.lost.get(full.key) ?? 0) >= full.limit) throw new SlotLostError(full.key);
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(full.key) ?? [];
        queue.push(resolve);
        this.waiting.set(full.key, queue);
      });
    }
    for (const { key } of slots) this.held.set(key, (this.held.get(key) ?? 0) + 1);
    let released = false;
    return (how = {}) => {
      if (released) return;
      released = true;
      for (const { key } of slots) {
        this.held.set(key, (this.held.get(key) ?? 1) - 1);
        if (how.lost === true) this.lost.set(key, (this.lost.get(key) ?? 0) + 1);
        // Everyone waiting on the key looks again: each may still wait on another of its slots.
        const queue = this.waiting.get(key) ?? [];
        this.waiting.delete(key);
        for (const wake of queue) wake();
      }
    };
  }

  private taken(key: string): number {
    return (this.held.get(key) ?? 0) + (this.lost.get(key) ?? 0);
  }
}
