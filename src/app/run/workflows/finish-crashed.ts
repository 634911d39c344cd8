/**
 * Every run first finishes what a crashed run left (SPEC §6): each instance still carrying the
 * tool's tags is given back — started if the tool stopped it, returned to its group, untagged.
 */
import { type Inventory, TAG } from '../../../core/model.js';
import { type ErrorInfo, errorInfoOf } from '../../kit/classify-error.js';
import type { InstancePort } from '../../kit/ports.js';
import { giveBack, type Waiting } from './give-back.js';

/** One instance a crashed run left, and what this run did about it. */
export interface GivenBack {
  readonly instanceId: string;
  /** `started`, `exited-standby`, `untagged`. */
  readonly done: readonly string[];
  /** Set when it could not be given back: the tags stay, the next run tries again. */
  readonly error?: ErrorInfo;
}

/** @example const left = await finishCrashedRuns(ec2.instances, inventory, { clock, sleep, pollMs: 5000 }); */
export async function finishCrashedRuns(
  instances: InstancePort,
  inventory: Inventory,
  waiting: Waiting,
): Promise<GivenBack[]> {
  const tagged = inventory.instances.filter((i) => TAG.stoppedBy in i.tags || TAG.standbyBy in i.tags);
  return Promise.all(
    tagged.map(async (instance) => {
      try {
        return {
          instanceId: instance.id,
          done: await giveBack(instances, instance.id, instance.asg, waiting),
        };
      } catch (error) {
        return { instanceId: instance.id, done: [], error: errorInfoOf(error) };
      }
    }),
  );
}
