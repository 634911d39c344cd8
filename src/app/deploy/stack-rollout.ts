/**
 * Getting one stack to a template and parameters (SPEC §11), for the hub and the member stacks:
 * read the stack (waiting out an operation in progress), decide what it takes — nothing, an
 * update, a create, or a delete and create after a failed create — and carry that out, showing
 * the stack's events as they come.
 */
import { isDeepStrictEqual } from 'node:util';
import { describeUpdate } from './change-sets.js';
import {
  DeployError,
  type StackChange,
  type StackPort,
  type StackRequest,
  type StackSummary,
} from './ports.js';
import {
  type DeployProgress,
  failuresOf,
  isInProgress,
  type ResourceFailure,
  type WaitOptions,
  waitForStack,
} from './stack-wait.js';

export type StackAction = 'create' | 'recreate' | 'update' | 'none';

export interface StackPlan {
  readonly action: StackAction;
  /** The stack as found (none for `create`). */
  readonly current?: StackSummary;
}

export interface RolloutResult {
  /** `unchanged` also when CloudFormation answered "No updates are to be performed". */
  readonly outcome: 'created' | 'recreated' | 'updated' | 'unchanged' | 'failed';
  readonly stack: StackSummary | undefined;
  readonly failures: readonly ResourceFailure[];
}

/** A create that failed was rolled back; CloudFormation can only delete such a stack. */
const RECREATE = new Set(['ROLLBACK_COMPLETE', 'REVIEW_IN_PROGRESS']);
/** States an update starts from: an update that rolled back left a working stack. */
const UPDATABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
]);
const SUCCEEDED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);

/** The stack of that name, once no operation is running on it; undefined when there is none. */
export async function readStack(
  port: StackPort,
  name: string,
  progress: DeployProgress,
  wait: WaitOptions = {},
): Promise<StackSummary | undefined> {
  const stack = await port.describe(name);
  if (stack === undefined || !isInProgress(stack.status)) return stack;
  progress.note(`stack ${name} is ${stack.status}: waiting for that to finish`);
  const { stack: settled } = await waitForStack(
    port,
    stack.id,
    await port.latestEventId(stack.id),
    progress,
    wait,
  );
  return settled === undefined || settled.status === 'DELETE_COMPLETE' ? undefined : settled;
}

/**
 * Why an update must not go ahead, given the changes its change set lists; undefined: it may.
 * An update checked this way goes through a change set instead of `UpdateStack`.
 */
export type UpdateCheck = (changes: readonly StackChange[]) => string | undefined;

/** True when a deploy makes the stack anew: there is none, or only a failed create is left. */
export const makesNewStack = (current: StackSummary | undefined): boolean =>
  current === undefined || RECREATE.has(current.status);

/** What it takes to bring `current` to `request`; reads the deployed template when it must compare. */
export async function planStack(
  port: StackPort,
  current: StackSummary | undefined,
  request: StackRequest,
): Promise<StackPlan> {
  if (current === undefined) return { action: 'create' };
  if (RECREATE.has(current.status)) return { action: 'recreate', current };
  if (!UPDATABLE.has(current.status)) {
    throw new DeployError(
      `stack ${current.name} is in ${current.status}, which a deploy cannot continue from: ` +
        'finish or roll back the failed operation in the CloudFormation console (or delete the stack), then deploy again',
    );
  }
  const same =
    isDeepStrictEqual(current.parameters, request.parameters) &&
    sameTemplate(await port.templateBody(current.id), request.templateBody);
  return { action: same ? 'none' : 'update', current };
}

function sameTemplate(deployed: string, wanted: string): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(deployed), JSON.parse(wanted));
  } catch {
    return false; // not JSON: someone deployed another template by hand
  }
}

/**
 * Carry out `plan`. A failed operation is a result with its failures, not an exception; an update
 * that `check` refuses is a `DeployError`, thrown before anything changed.
 */
export async function applyStackPlan(
  port: StackPort,
  plan: StackPlan,
  request: StackRequest,
  progress: DeployProgress,
  wait: WaitOptions = {},
  check?: UpdateCheck,
): Promise<RolloutResult> {
  const { current } = plan;
  if (plan.action === 'none') return { outcome: 'unchanged', stack: current, failures: [] };
  if (plan.action === 'update' && current !== undefined) {
    const mark = await port.latestEventId(current.id);
    const started =
      check === undefined ? await port.update(request) : await checkedUpdate(port, request, check, wait);
    if (started === 'no-updates') {
      return { outcome: 'unchanged', stack: current, failures: [] };
    }
    progress.note(`updating stack ${request.name}`);
    return finish('updated', await waitForStack(port, current.id, mark, progress, wait));
  }
  if (plan.action === 'recreate' && current !== undefined) {
    progress.note(
      `stack ${current.name} is in ${current.status} (a create that did not finish; nothing in it is used): ` +
        'deleting it, then creating it again',
    );
    const mark = await port.latestEventId(current.id);
    await port.delete(current.id);
    const deleted = await waitForStack(port, current.id, mark, progress, wait);
    if (deleted.stack !== undefined && deleted.stack.status !== 'DELETE_COMPLETE') {
      return { outcome: 'failed', stack: deleted.stack, failures: failuresOf(deleted.events, deleted.stack) };
    }
  }
  progress.note(`creating stack ${request.name}`);
  const id = await port.create(request);
  return finish(
    plan.action === 'recreate' ? 'recreated' : 'created',
    await waitForStack(port, id, undefined, progress, wait),
  );
}

/** An update through a change set: executed only when `check` finds nothing wrong with it. */
async function checkedUpdate(
  port: StackPort,
  request: StackRequest,
  check: UpdateCheck,
  wait: WaitOptions,
): Promise<'started' | 'no-updates'> {
  const clock = wait.clock ?? Date.now;
  const { id, changes } = await describeUpdate(port, request, `ebs-snapper-deploy-${clock()}`, wait);
  const refusal = changes === 'none' ? undefined : check(changes);
  if (changes === 'none' || refusal !== undefined) {
    await port.deleteChangeSet(id);
    if (refusal !== undefined) throw new DeployError(`${refusal}. Nothing was changed.`);
    return 'no-updates';
  }
  await port.executeChangeSet(id);
  return 'started';
}

function finish(
  outcome: 'created' | 'recreated' | 'updated',
  { stack, events }: Awaited<ReturnType<typeof waitForStack>>,
): RolloutResult {
  if (stack !== undefined && SUCCEEDED.has(stack.status)) return { outcome, stack, failures: [] };
  return { outcome: 'failed', stack, failures: failuresOf(events, stack) };
}
