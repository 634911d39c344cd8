/**
 * State shared by the create and delete steps of one `applyPlan` call, and the helpers that turn
 * an action and an outcome into an `ActionResult`.
 */
import type { CopyAction, CreateAction, DeleteAction } from '../../core/actions.js';
import type { SnapshotId } from '../../core/model.js';
import type { ErrorInfo } from '../kit/classify-error.js';
import { DEADLINE_CODE, type Ec2Port, PortError } from '../kit/ports.js';
import type { ActionResult, ResultStatus } from './results.js';

export interface ApplyContext {
  readonly ec2: Ec2Port;
  readonly runId: string;
  readonly clock: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly deadline?: number;
  /** Aborted when the run must end now (the deadline, or the process told to stop). */
  readonly signal?: AbortSignal;
  /** Set once an action was deferred because of the deadline. */
  deadlineReached: boolean;
  /** Set when EC2 answered ConcurrentSnapshotLimitExceeded: creates not yet started are deferred. */
  createsHalted: boolean;
  /** New snapshots EC2 reported `completed` at once: they may be copied in this run. */
  readonly completed: Set<SnapshotId>;
  /**
   * What to add to the result of the action at `position` when it is settled: the freeze workflow
   * says here which consistency a set was taken with, and why (SPEC §15).
   */
  readonly notes?: Map<number, Pick<ActionResult, 'consistency' | 'reason'>>;
  /** Record the outcome of the action at `position` (creates first, then deletes). */
  settle(position: number, result: ActionResult): void;
  isSettled(position: number): boolean;
}

/** The result of one action, with the outcome's snapshot id or error. */
export function resultFor(
  action: CreateAction | DeleteAction | CopyAction,
  status: ResultStatus,
  details: { readonly snapshotId?: SnapshotId; readonly error?: ErrorInfo } = {},
): ActionResult {
  const snapshotId = action.action === 'delete' ? action.snapshotId : details.snapshotId;
  const source =
    action.action === 'copy'
      ? { sourceSnapshotId: action.snapshotId, sourceRegion: action.sourceRegion }
      : {};
  return {
    action: action.action,
    policy: action.policy,
    account: action.account,
    region: action.region,
    ...(action.volumeId === undefined ? {} : { volumeId: action.volumeId }),
    ...(action.instanceId === undefined ? {} : { instanceId: action.instanceId }),
    ...(snapshotId === undefined ? {} : { snapshotId }),
    ...source,
    ...(action.action === 'copy' && action.vault !== undefined ? { vaultAccount: action.vault.account } : {}),
    ...(action.action === 'delete' && action.recycleBinDays !== undefined
      ? { recycleBinDays: action.recycleBinDays }
      : {}),
    status,
    ...(details.error === undefined ? {} : { error: details.error }),
  };
}

/** True (and remembered) when the deadline has come: the caller defers instead of starting. */
export function isPastDeadline(context: ApplyContext): boolean {
  const stopped = context.signal?.aborted === true;
  if (!stopped && (context.deadline === undefined || context.clock() < context.deadline)) return false;
  context.deadlineReached = true;
  return true;
}

/** True when waiting `ms` more still ends before the deadline; otherwise remembers the deadline. */
export function canWaitFor(context: ApplyContext, ms: number): boolean {
  if (context.deadline === undefined || context.clock() + ms < context.deadline) return true;
  context.deadlineReached = true;
  return false;
}

/** The error of an action deferred because the deadline came. */
/** True for a call the deadline cancelled in flight: its action is deferred, not failed. */
export function wasCancelled(error: unknown, context: ApplyContext): boolean {
  if (!(error instanceof PortError) || error.code !== DEADLINE_CODE) return false;
  context.deadlineReached = true;
  return true;
}

export const deadlineError = (): ErrorInfo => ({
  code: DEADLINE_CODE,
  message: 'not started: the run reached its deadline; the next run picks it up',
});
