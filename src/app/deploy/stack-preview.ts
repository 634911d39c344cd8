/**
 * `deploy --dry-run`: what a deploy would change in a stack, and nothing changed. An update is
 * previewed through a change set, which is described and deleted again; a stack to be created
 * is previewed from its template alone, since a CREATE change set would leave an empty stack
 * (`REVIEW_IN_PROGRESS`) behind.
 */
import { describeUpdate } from './change-sets.js';
import type { StackChange, StackPort, StackRequest } from './ports.js';
import type { StackPlan } from './stack-rollout.js';
import type { WaitOptions } from './stack-wait.js';

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
  const { id, changes } = await describeUpdate(port, request, `ebs-snapper-dry-run-${clock()}`, wait);
  await port.deleteChangeSet(id);
  return changes === 'none' ? [] : changes;
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
