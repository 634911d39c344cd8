/**
 * `deploy --dry-run`: what a deploy would change in a stack, and nothing changed. An update is
 * previewed through a change set, which is described and deleted again; a stack to be created
 * is previewed from its template alone, since a CREATE change set would leave an empty stack
 * (`REVIEW_IN_PROGRESS`) behind.
 */
import type { StackChange, StackPort, StackRequest } from './ports.js';
import { DeployError } from './ports.js';
import type { StackPlan } from './stack-rollout.js';
import type { WaitOptions } from './stack-wait.js';

const NO_CHANGES = /didn't contain changes|No updates are to be performed/;
const PENDING = new Set(['CREATE_PENDING', 'CREATE_IN_PROGRESS']);

/**
 * The changes `plan` would make; empty when there are none.
 *
 * @example for (const c of await previewStackPlan(port, plan, request)) console.log(c.action, c.logicalId);
 */
export async function previewStackPlan(
  port: StackPort,
  plan: StackPlan,
  request: StackRequest,
  wait: WaitOptions = {},
): Promise<readonly StackChange[]> {
  if (plan.action === 'none') return [];
  if (plan.action !== 'update') return resourcesOf(request.templateBody);
  const clock = wait.clock ?? Date.now;
  const id = await port.createChangeSet(request, `ebs-snapper-dry-run-${clock()}`);
  try {
    const started = clock();
    for (;;) {
      const state = await port.describeChangeSet(id);
      if (!PENDING.has(state.status)) {
        if (state.status === 'CREATE_COMPLETE') return state.changes;
        if (NO_CHANGES.test(state.reason ?? '')) return [];
        throw new DeployError(
          `change set of ${request.name} ${state.status}: ${state.reason ?? 'no reason given'}`,
        );
      }
      if (clock() - started > (wait.maxWaitMs ?? 10 * 60_000)) {
        throw new DeployError(`change set of ${request.name} is still ${state.status}`);
      }
      await (wait.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))))(wait.pollMs ?? 2_000);
    }
  } finally {
    await port.deleteChangeSet(id);
  }
}

/** Every resource of a template, as a change set would list them for a new stack. */
function resourcesOf(templateBody: string): StackChange[] {
  const { Resources } = JSON.parse(templateBody) as { Resources: Record<string, { Type: string }> };
  return Object.entries(Resources).map(([logicalId, { Type }]) => ({
    action: 'Add',
    logicalId,
    resourceType: Type,
  }));
}

/** A parameter whose value a deploy would change (`from` undefined: the stack does not have it yet). */
export interface ParameterChange {
  readonly name: string;
  readonly from?: string;
  readonly to: string;
}

/**
 * The parameters `request` gives other values than `current` has: shown beside the change set,
 * which names the resources a parameter reaches but not the parameter.
 */
export function parameterChanges(
  current: Readonly<Record<string, string>> | undefined,
  request: StackRequest,
): ParameterChange[] {
  return Object.entries(request.parameters)
    .filter(([name, value]) => current?.[name] !== value)
    .map(([name, to]) => ({ name, ...(current?.[name] === undefined ? {} : { from: current[name] }), to }));
}
