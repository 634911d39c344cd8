/**
 * Apply a plan: creates, deletes and copies side by side, each with bounded concurrency, since they
 * spend different EC2 buckets (a run at the API's limits needs them at once). That is safe: the
 * keep rules count only completed snapshots, so no delete ever depends on this run's new (pending)
 * ones, and a copy is only planned of a snapshot the plan keeps. Every create, delete and copy
 * action gets one result; one failure never stops the others; the deadline is checked before each
 * action starts.
 */
import type {
  CopyAction,
  CreateAction,
  DeleteAction,
  LockAction,
  Plan,
  UnshareAction,
} from '../../core/actions.js';
import { type CompletedCreate, copiesOfCreated } from '../../core/copy-plan.js';
import type { Inventory, SnapshotId } from '../../core/model.js';
import { errorCodeOf, errorInfoOf, isTransient } from '../kit/classify-error.js';
import { runPool } from '../kit/pool.js';
import type { Ec2Port } from '../kit/ports.js';
import {
  type ApplyContext,
  deadlineError,
  isPastDeadline,
  resultFor,
  wasCancelled,
} from './apply-context.js';
import { applyCopy, type CopyApplyContext } from './apply-copies.js';
import { applyCreateUnit } from './apply-creates.js';
import { applyFreezeUnit, type FreezeApplyContext, NO_FREEZES, prepareFreezes } from './apply-freezes.js';
import { applyStopUnit, STOP_POLL_MS, type StopApplyContext } from './apply-stops.js';
import { groupCreates, indexInstanceLayouts } from './instance-sets.js';
import { LockLane } from './locks/apply-locks.js';
import type { ActionResult } from './results.js';
import { RunSnapshotLookup } from './run-lookup.js';
import { KeyedSlots } from './semaphore.js';
import { applyUnshare } from './vault-copies/apply-unshare.js';
import { applyVaultCopy, type VaultApplyContext } from './vault-copies/apply-vault-copy.js';
import type { FreezeRecord } from './workflows/freeze-records.js';

/** Progress after each settled action. */
export interface ApplyProgress {
  readonly account: string;
  readonly region: string;
  /** Actions settled so far (any status). */
  readonly done: number;
  readonly total: number;
  readonly failed: number;
}

export interface ApplyOptions {
  /** `snapshot`: creates only; `clean`: deletes only. Default both. */
  readonly only?: 'snapshot' | 'clean';
  /** Calls in flight at once. Default 8. */
  readonly concurrency?: number;
  /** Epoch ms; actions not started by then are deferred with error code `Deadline`. */
  readonly deadline?: number;
  /** Aborted when the run must end now: no action starts after, calls in flight are deferred. */
  readonly signal?: AbortSignal;
  /** Default `Date.now`. */
  readonly clock?: () => number;
  /** Default a `setTimeout` promise. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onProgress?: (event: ApplyProgress) => void;
  /** Each result as it is settled (the journal of recent creates records creates as they land). */
  readonly onResult?: (result: ActionResult) => void;
  /** No calls at all; the results are empty. */
  readonly dryRun?: boolean;
  /** How often a stopping or starting instance is looked at; default 5 s. */
  readonly pollMs?: number;
}

export interface ApplyOutcome {
  /**
   * Creates, deletes, copies (plan order each), then the copies of new snapshots, then the
   * give-backs of the stop workflow that failed (or found the instance terminated).
   */
  readonly results: ActionResult[];
  /** True when the deadline deferred at least one action. */
  readonly deadlineReached: boolean;
  /** The freeze → snapshot → thaw workflows (`consistency: application`), one per instance. */
  readonly freezes?: readonly FreezeRecord[];
}

export const DEFAULT_CONCURRENCY = 8;

/** Milliseconds as a promise; the real clock's sleep. */
export const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Carry out the plan's create and delete actions against EC2. `inventory` is the one the plan
 * was made from: `consistency: instance` needs each instance's root device and attached volumes.
 *
 * @example
 * const { results, deadlineReached } = await applyPlan(plan, ec2, { concurrency: 8, deadline }, inventory);
 */
export async function applyPlan(
  plan: Plan,
  ec2: Ec2Port,
  options: ApplyOptions,
  inventory: Inventory,
): Promise<ApplyOutcome> {
  if (options.dryRun === true) return { results: [], deadlineReached: false };
  const creates = options.only === 'clean' ? [] : plan.actions.filter(isCreate);
  const deletes = options.only === 'snapshot' ? [] : plan.actions.filter(isDelete);
  const copies = options.only === 'clean' ? [] : plan.actions.filter(isCopy);
  // SPEC §14: locks and unshares protect whatever --only says.
  const locks = plan.actions.filter(isLock);
  const unshares = plan.actions.filter(isUnshare);
  const positioned: (CreateAction | DeleteAction | CopyAction)[] = [...creates, ...deletes, ...copies];
  const results: ActionResult[] = new Array(creates.length + deletes.length + copies.length);
  let total = results.length;
  let settled = 0;
  let failed = 0;
  const notes: NonNullable<CopyApplyContext['notes']> = new Map();
  const base: CopyApplyContext = {
    ec2,
    runId: plan.runId,
    clock: options.clock ?? Date.now,
    sleep: options.sleep ?? sleepFor,
    ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    deadlineReached: false,
    createsHalted: false,
    copiesHalted: new Set(),
    completed: new Set(),
    notes,
    settle(position, noteless) {
      const note = notes.get(position);
      const result = note === undefined ? noteless : { ...noteless, ...note };
      results[position] = result;
      settled += 1;
      if (result.status === 'failed') failed += 1;
      options.onResult?.(result);
      options.onProgress?.({ account: plan.account, region: plan.region, done: settled, total, failed });
      const action = positioned[position];
      if (action !== undefined && action.action !== 'delete') lane.landed(action, result);
    },
    isSettled: (position) => results[position] !== undefined,
  };
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const copiesAt = creates.length + deletes.length;
  const giveBacks: ActionResult[] = [];
  const freezes: FreezeRecord[] = [];
  const report = (result: ActionResult): void => {
    giveBacks.push(result);
    total += 1;
    settled += 1;
    if (result.status === 'failed') failed += 1;
    options.onResult?.(result);
    options.onProgress?.({ account: plan.account, region: plan.region, done: settled, total, failed });
  };
  const extras: ActionResult[] = [];
  const reportExtra = (result: ActionResult): void => {
    options.onResult?.(result);
    total += 1;
    settled += 1;
    if (result.status === 'failed') failed += 1;
    options.onProgress?.({ account: plan.account, region: plan.region, done: settled, total, failed });
  };
  const lane = new LockLane(base, reportExtra);
  const vaultContext: VaultApplyContext = Object.assign(base, {
    locks: lane,
    extra: (result: ActionResult) => {
      extras.push(result);
      reportExtra(result);
    },
  });
  const copyOne = (action: CopyAction, position: number): Promise<void> =>
    action.vault === undefined
      ? applyCopy(base, action, position)
      : applyVaultCopy(vaultContext, { ...action, vault: action.vault }, position);
  await Promise.all([
    applyCreates(base, creates, inventory, {
      concurrency,
      pollMs: options.pollMs ?? STOP_POLL_MS,
      report,
      recordFreeze: (record) => freezes.push(record),
    }),
    runPool(deletes, concurrency, (action, index) => applyDelete(base, action, creates.length + index)),
    runPool(copies, concurrency, (action, index) => copyOne(action, copiesAt + index)),
    lane.planned(locks, concurrency),
    runPool(unshares, concurrency, (action) => applyUnshare(base, action, vaultContext.extra)),
  ]);
  // SPEC §6a: a snapshot created this run is copied too, once EC2 says it is completed; in AWS
  // that takes minutes, so it is usually the next run that copies it.
  const more = copiesOfCreated(
    inventory,
    plan.actions,
    completedCreates(creates, results, base.completed),
    plan.runId,
  );
  const moreAt = results.length;
  total += more.length;
  positioned.push(...more);
  await runPool(more, concurrency, (action, index) => applyCopy(base, action, moreAt + index));
  const locked = await lane.drain();
  return {
    results: [...results, ...giveBacks, ...extras, ...locked],
    deadlineReached: base.deadlineReached,
    ...(freezes.length === 0 ? {} : { freezes }),
  };
}

function completedCreates(
  creates: readonly CreateAction[],
  results: readonly ActionResult[],
  completed: ReadonlySet<SnapshotId>,
): CompletedCreate[] {
  return creates.flatMap((action, index) => {
    const { status, snapshotId } = results[index] ?? {};
    return status === 'done' && snapshotId !== undefined && completed.has(snapshotId) && action.copyTo
      ? [{ action, snapshotId }]
      : [];
  });
}

const isCreate = (action: Plan['actions'][number]): action is CreateAction => action.action === 'create';
const isDelete = (action: Plan['actions'][number]): action is DeleteAction => action.action === 'delete';
const isCopy = (action: Plan['actions'][number]): action is CopyAction => action.action === 'copy';
const isLock = (action: Plan['actions'][number]): action is LockAction => action.action === 'lock';
const isUnshare = (action: Plan['actions'][number]): action is UnshareAction => action.action === 'unshare';

async function applyCreates(
  base: ApplyContext,
  creates: readonly CreateAction[],
  inventory: Inventory,
  lanes: {
    concurrency: number;
    pollMs: number;
    report: StopApplyContext['report'];
    recordFreeze: FreezeApplyContext['recordFreeze'];
  },
): Promise<void> {
  if (creates.length === 0) return;
  const { concurrency, pollMs, report, recordFreeze } = lanes;
  const units = groupCreates(creates);
  // The context object is shared so that the halt and deadline flags reach every lane.
  const context: FreezeApplyContext = Object.assign(base, {
    creates,
    layouts: indexInstanceLayouts(inventory),
    lookup: new RunSnapshotLookup(base.ec2, base.runId),
    stopSlots: new KeyedSlots(),
    pollMs,
    report,
    recordFreeze,
    // Awaited only when there is a freeze: creates start in the same tick as deletes otherwise.
    ...(units.some((u) => u.freeze !== undefined)
      ? await prepareFreezes(base.ec2.ssm, inventory, units)
      : NO_FREEZES),
  });
  await runPool(units, concurrency, async (unit) => {
    try {
      await (unit.stop !== undefined
        ? applyStopUnit(context, unit)
        : unit.freeze !== undefined
          ? applyFreezeUnit(context, unit)
          : applyCreateUnit(context, unit));
    } catch (error) {
      // A bug, not an EC2 answer: still one result per action, and the others go on.
      for (const index of unit.members) {
        const action = creates[index];
        if (action !== undefined && !base.isSettled(index))
          base.settle(index, resultFor(action, 'failed', { error: errorInfoOf(error) }));
      }
    }
  });
}

/**
 * How many times a delete is asked for when it keeps failing in ways that may pass (each time with
 * the SDK's own retries): DeleteSnapshot is idempotent — a snapshot already gone counts as done — so
 * a second round costs nothing, and under heavy throttling with lost answers it turns a failure in a
 * hundred into one in thousands.
 */
const DELETE_ROUNDS = 2;

/**
 * EC2's refusal to delete a snapshot under a lock (one taken after the plan's listing): the lock
 * protects it, which is not a failure. `SnapshotLocked` is what the fault proxy's emulation
 * answers; EC2's documentation does not name the code, so its likely spellings are all read so.
 */
const LOCKED_CODES: ReadonlySet<string> = new Set(['SnapshotLocked', 'InvalidSnapshot.Locked']);

/** Delete one snapshot: gone already counts as done; in use (by an AMI, say) is skipped. */
async function applyDelete(context: ApplyContext, action: DeleteAction, position: number): Promise<void> {
  for (let round = 1; ; round++) {
    if (isPastDeadline(context)) {
      context.settle(position, resultFor(action, 'deferred', { error: deadlineError() }));
      return;
    }
    try {
      await context.ec2.deleteSnapshot(action.snapshotId);
      context.settle(position, resultFor(action, 'done'));
      return;
    } catch (error) {
      if (round < DELETE_ROUNDS && isTransient(error) && !wasCancelled(error, context)) continue;
      settleFailedDelete(context, action, position, error);
      return;
    }
  }
}

function settleFailedDelete(
  context: ApplyContext,
  action: DeleteAction,
  position: number,
  error: unknown,
): void {
  if (wasCancelled(error, context)) {
    context.settle(position, resultFor(action, 'deferred', { error: deadlineError() }));
    return;
  }
  const code = errorCodeOf(error);
  const status =
    code === 'InvalidSnapshot.NotFound'
      ? 'done'
      : code === 'InvalidSnapshot.InUse' || LOCKED_CODES.has(code)
        ? 'skipped'
        : 'failed';
  context.settle(position, resultFor(action, status, status === 'done' ? {} : { error: errorInfoOf(error) }));
}
