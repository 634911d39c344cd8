/**
 * One create call (a volume, or an instance set) with the retries EC2 asks for:
 * per-volume rate → wait 15 s; concurrent limit → defer the rest of the run's creates;
 * 5xx/timeout → look for the snapshot this run may already have made (for a while: listings lag),
 * then retry.
 */
import type { CreateAction } from '../../core/actions.js';
import type { InstanceId, Snapshot } from '../../core/model.js';
import { type ErrorInfo, errorCodeOf, errorInfoOf, isTransient } from '../kit/classify-error.js';
import type { CreatedSnapshot } from '../kit/ports.js';
import {
  type ApplyContext,
  canWaitFor,
  deadlineError,
  isPastDeadline,
  resultFor,
  wasCancelled,
} from './apply-context.js';
import { buildSetRequest, type CreateUnit, type InstanceLayout } from './instance-sets.js';
import { findSnapshotOf, type RunSnapshotLookup } from './run-lookup.js';

/** EC2 allows one snapshot per volume every 15 s or so; wait that long and try again. */
const RATE_WAIT_MS = 15_000;
const MAX_RATE_RETRIES = 3;
/** Creates made again after a 5xx or timeout, each after a lookup window that found nothing. */
export const MAX_TRANSIENT_RETRIES = 3;
/**
 * Waits before each look for a snapshot a failed create may have made: 30 s in all. EC2's
 * DescribeSnapshots can lag a create by a few seconds; only after the whole window found
 * nothing is the create made again (measured against a lagging proxy in test/integration).
 */
export const LOOKUP_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 15_000];
export const LOOKUP_WINDOW_MS = LOOKUP_DELAYS_MS.reduce((a, b) => a + b, 0);

const CONCURRENT_LIMIT = 'ConcurrentSnapshotLimitExceeded';
const PER_VOLUME_RATE = 'SnapshotCreationPerVolumeRateExceeded';

export interface CreateContext extends ApplyContext {
  readonly creates: readonly CreateAction[];
  readonly layouts: ReadonlyMap<InstanceId, InstanceLayout>;
  readonly lookup: RunSnapshotLookup;
}

/** Apply one create unit; every member action gets exactly one result. */
export async function applyCreateUnit(context: CreateContext, unit: CreateUnit): Promise<void> {
  let pending = [...unit.members];
  const settleAll = (status: 'failed' | 'deferred', error: ErrorInfo): void => {
    for (const index of pending)
      context.settle(index, resultFor(actionAt(context, index), status, { error }));
  };
  if (context.createsHalted) return settleAll('deferred', haltedError());
  if (isPastDeadline(context)) return settleAll('deferred', deadlineError());
  let rateRetries = 0;
  let transientRetries = 0;
  for (;;) {
    try {
      settleCreated(context, pending, await callCreate(context, unit, pending));
      return;
    } catch (error) {
      // Cancelled in flight: the snapshot may exist; the next run sees it through the due rule.
      if (wasCancelled(error, context)) return settleAll('deferred', deadlineError());
      const code = errorCodeOf(error);
      if (code === CONCURRENT_LIMIT) {
        context.createsHalted = true;
        return settleAll('deferred', errorInfoOf(error));
      }
      if (code === PER_VOLUME_RATE && rateRetries < MAX_RATE_RETRIES) {
        if (!canWaitFor(context, RATE_WAIT_MS)) return settleAll('deferred', deadlineError());
        rateRetries += 1;
        await context.sleep(RATE_WAIT_MS);
        continue;
      }
      if (!isTransient(error)) return settleAll('failed', errorInfoOf(error));
      // The create may have been carried out: look for its snapshot for a while before making
      // it again, since EC2's listings can lag a create by seconds.
      let found: LookOutcome;
      try {
        found = await lookForCreated(context, unit.policy, pending);
      } catch (lookupError) {
        const { code: lookupCode, message } = errorInfoOf(lookupError);
        const original = errorInfoOf(error);
        return settleAll('failed', {
          code: original.code,
          message: `${original.message} (looking for the snapshot before a retry failed: ${lookupCode}: ${message})`,
        });
      }
      pending = found.pending;
      if (pending.length === 0) return;
      // Not seen within the window: making it again could still duplicate it if the deadline cut
      // the window short, so leave it to the next run, which sees it through the due rule.
      if (found.cutShort) return settleAll('deferred', deadlineError());
      if (transientRetries >= MAX_TRANSIENT_RETRIES) return settleAll('failed', errorInfoOf(error));
      transientRetries += 1;
    }
  }
}

function actionAt(context: CreateContext, index: number): CreateAction {
  const action = context.creates[index];
  if (action === undefined) throw new RangeError(`no create action at ${index}`);
  return action;
}

async function callCreate(
  context: CreateContext,
  unit: CreateUnit,
  pending: readonly number[],
): Promise<readonly CreatedSnapshot[]> {
  const actions = pending.map((index) => actionAt(context, index));
  if (unit.instanceId === undefined) {
    const [action] = actions;
    if (action === undefined) return [];
    const { volumeId, description, tags } = action;
    return [await context.ec2.createSnapshot({ volumeId, description, tags })];
  }
  const request = buildSetRequest(unit.instanceId, actions, context.layouts.get(unit.instanceId));
  const tags = unit.tagsNow?.();
  return context.ec2.createSnapshots(
    tags === undefined ? request : { ...request, tags: { ...request.tags, ...tags } },
  );
}

function settleCreated(
  context: CreateContext,
  pending: readonly number[],
  created: readonly CreatedSnapshot[],
): void {
  const byVolume = new Map(created.map((c) => [c.volumeId as string, c.snapshotId]));
  for (const c of created) if (c.completed === true) context.completed.add(c.snapshotId);
  for (const index of pending) {
    const action = actionAt(context, index);
    const snapshotId = byVolume.get(action.volumeId);
    context.settle(
      index,
      snapshotId === undefined
        ? resultFor(action, 'failed', {
            error: { code: 'SnapshotMissing', message: `EC2 returned no snapshot of ${action.volumeId}` },
          })
        : resultFor(action, 'done', { snapshotId }),
    );
  }
}

interface LookOutcome {
  /** Actions whose snapshot was not found. */
  readonly pending: number[];
  /** The deadline ended the window before it was over. */
  readonly cutShort: boolean;
}

/** Look for the snapshots of `pending` with backoff for the lookup window; settle what is found. */
async function lookForCreated(
  context: CreateContext,
  policy: string,
  pending: number[],
): Promise<LookOutcome> {
  let left = pending;
  for (const delay of LOOKUP_DELAYS_MS) {
    if (!canWaitFor(context, delay)) return { pending: left, cutShort: true };
    const mark = context.lookup.markFailure();
    await context.sleep(delay);
    left = settleFound(context, left, await context.lookup.find(policy, mark));
    if (left.length === 0) break;
  }
  return { pending: left, cutShort: false };
}

/** Settle the actions whose snapshot the run already made; return those still to create. */
function settleFound(
  context: CreateContext,
  pending: readonly number[],
  snapshots: readonly Snapshot[],
): number[] {
  const rest: number[] = [];
  for (const index of pending) {
    const action = actionAt(context, index);
    const found = findSnapshotOf(snapshots, action.volumeId);
    if (found === undefined) {
      rest.push(index);
      continue;
    }
    if (found.state === 'completed') context.completed.add(found.id);
    context.settle(index, resultFor(action, 'done', { snapshotId: found.id }));
  }
  return rest;
}

const haltedError = (): ErrorInfo => ({
  code: CONCURRENT_LIMIT,
  message: "not started: EC2's concurrent snapshot limit was reached in this run; the next run picks it up",
});
