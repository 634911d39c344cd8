/**
 * Following a stack operation to its end: poll the stack, hand each new event to the caller as
 * it comes, stop at the first state that is not `*_IN_PROGRESS`.
 */
import type { StackEvent, StackPort, StackSummary } from './ports.js';
import { DeployError } from './ports.js';

/** Where a deploy says what it does (stderr in the CLI). */
export interface DeployProgress {
  /** A sentence: "creating bucket ...", "stack X is in ROLLBACK_COMPLETE: ...". */
  note(text: string): void;
  /** A stack event, as soon as it is seen. */
  event(event: StackEvent, stackName: string): void;
}

export interface WaitOptions {
  /** Between two polls. Default 3 s. */
  readonly pollMs?: number;
  /** Give up after this long. Default 1 hour. */
  readonly maxWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly clock?: () => number;
}

export interface WaitResult {
  /** The stack at its end state; undefined when it is gone. */
  readonly stack: StackSummary | undefined;
  /** Every event of the operation, oldest first. */
  readonly events: readonly StackEvent[];
}

/** `REVIEW_IN_PROGRESS` (a change set never executed) waits for nobody: it is an end state here. */
export const isInProgress = (status: string): boolean =>
  status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Poll `id` (a stack id: a deleted stack is still found by it) until its operation ends.
 *
 * @example const { stack, events } = await waitForStack(port, stackId, lastEventId, progress);
 */
export async function waitForStack(
  port: StackPort,
  id: string,
  afterEventId: string | undefined,
  progress: DeployProgress,
  options: WaitOptions = {},
): Promise<WaitResult> {
  const clock = options.clock ?? Date.now;
  const started = clock();
  const maxWaitMs = options.maxWaitMs ?? 60 * 60_000;
  const events: StackEvent[] = [];
  let after = afterEventId;
  for (;;) {
    // The state first, then the events: every event up to that state is shown before returning.
    const stack = await port.describe(id);
    for (const event of await port.eventsAfter(id, after)) {
      progress.event(event, stack?.name ?? id);
      events.push(event);
      after = event.id;
    }
    if (stack === undefined || !isInProgress(stack.status)) return { stack, events };
    if (clock() - started > maxWaitMs) {
      throw new DeployError(
        `stack ${stack.name} is still ${stack.status} after ${Math.round(maxWaitMs / 60_000)} minutes; deploy again once it has finished`,
      );
    }
    await (options.sleep ?? sleepFor)(options.pollMs ?? 3_000);
  }
}

/** A resource that failed, and why (CloudFormation's `ResourceStatusReason`). */
export interface ResourceFailure {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly status: string;
  readonly reason: string;
}

/** Cancelled resources only follow another's failure: they would hide the reason that matters. */
const CONSEQUENCE = /^Resource (creation|update) cancelled/;

/**
 * Why an operation failed: its failed resources with their reasons, else the stack's own reason.
 *
 * @example failuresOf(events, stack) // [{ logicalId: 'Worker', reason: 'Resource handler returned ...' }]
 */
export function failuresOf(
  events: readonly StackEvent[],
  stack: StackSummary | undefined,
): ResourceFailure[] {
  const failed = events
    .filter((e) => e.status.endsWith('_FAILED') && e.reason !== undefined && !CONSEQUENCE.test(e.reason))
    .map((e) => ({
      logicalId: e.logicalId,
      resourceType: e.resourceType,
      status: e.status,
      reason: e.reason!,
    }));
  if (failed.length > 0 || stack === undefined) return failed;
  return [
    {
      logicalId: stack.name,
      resourceType: 'AWS::CloudFormation::Stack',
      status: stack.status,
      reason: stack.statusReason ?? 'no reason given',
    },
  ];
}
