/**
 * Change sets: what an update of a stack would do, known before anything is done. `--dry-run`
 * shows one and deletes it; a hub update is made through one, so that an update that would
 * replace the table is refused before it starts (`data-table.ts`).
 */
import type { StackChange, StackPort, StackRequest } from './ports.js';
import { DeployError } from './ports.js';
import type { WaitOptions } from './stack-wait.js';

const NO_CHANGES = /didn't contain changes|No updates are to be performed/;
const PENDING = new Set(['CREATE_PENDING', 'CREATE_IN_PROGRESS']);

/** A change set made and described: its id, and its changes (`none` when it has nothing to do). */
export interface DescribedChangeSet {
  readonly id: string;
  readonly changes: readonly StackChange[] | 'none';
}

/**
 * Create an UPDATE change set of `request` and wait until CloudFormation has worked it out. The
 * change set is left in place (execute or delete it); it is deleted here only when this fails.
 *
 * @example const { id, changes } = await describeUpdate(port, request, 'ebs-snapper-1700000000000');
 */
export async function describeUpdate(
  port: StackPort,
  request: StackRequest,
  changeSetName: string,
  wait: WaitOptions = {},
): Promise<DescribedChangeSet> {
  const id = await port.createChangeSet(request, changeSetName);
  try {
    return { id, changes: await changesOf(port, id, request.name, wait) };
  } catch (error) {
    await port.deleteChangeSet(id);
    throw error;
  }
}

async function changesOf(
  port: StackPort,
  id: string,
  stackName: string,
  wait: WaitOptions,
): Promise<readonly StackChange[] | 'none'> {
  const clock = wait.clock ?? Date.now;
  const started = clock();
  for (;;) {
    const state = await port.describeChangeSet(id);
    if (!PENDING.has(state.status)) {
      if (state.status === 'CREATE_COMPLETE') return state.changes;
      if (NO_CHANGES.test(state.reason ?? '')) return 'none';
      throw new DeployError(
        `change set of ${stackName} ${state.status}: ${state.reason ?? 'no reason given'}`,
      );
    }
    if (clock() - started > (wait.maxWaitMs ?? 10 * 60_000)) {
      throw new DeployError(`change set of ${stackName} is still ${state.status}`);
    }
    await (wait.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))))(wait.pollMs ?? 2_000);
  }
}
