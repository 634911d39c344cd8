/**
 * Copies to other regions (`copy_to`, SPEC §6a). CopySnapshot has no client token, so a call is
 * never made twice in a run: a failure is reported, and the next run — which lists the
 * destination's copies by their source tags first — makes it again only if EC2 did not.
 * `ResourceLimitExceeded` (too many copies in flight to a destination) defers the rest of that
 * destination's copies to the next run.
 */
import type { CopyAction } from '../../core/actions.js';
import { type ErrorInfo, errorCodeOf, errorInfoOf, isTransient } from '../kit/classify-error.js';
import {
  type ApplyContext,
  deadlineError,
  isPastDeadline,
  resultFor,
  wasCancelled,
} from './apply-context.js';

const COPY_LIMIT = 'ResourceLimitExceeded';

export interface CopyApplyContext extends ApplyContext {
  /** Destinations that answered ResourceLimitExceeded in this run. */
  readonly copiesHalted: Set<string>;
}

/** Make one copy; its action gets exactly one result. */
export async function applyCopy(
  context: CopyApplyContext,
  action: CopyAction,
  position: number,
): Promise<void> {
  if (isPastDeadline(context)) {
    context.settle(position, resultFor(action, 'deferred', { error: deadlineError() }));
    return;
  }
  if (context.copiesHalted.has(action.region)) {
    context.settle(position, resultFor(action, 'deferred', { error: haltedError(action.region) }));
    return;
  }
  try {
    const copy = await context.ec2.copySnapshot({
      destination: action.region,
      sourceRegion: action.sourceRegion,
      sourceSnapshotId: action.snapshotId,
      description: action.description,
      tags: action.tags,
      ...(action.kmsKeyId === undefined ? {} : { kmsKeyId: action.kmsKeyId }),
    });
    context.settle(position, resultFor(action, 'done', { snapshotId: copy }));
  } catch (error) {
    if (wasCancelled(error, context)) {
      context.settle(position, resultFor(action, 'deferred', { error: deadlineError() }));
      return;
    }
    if (errorCodeOf(error) === COPY_LIMIT) {
      context.copiesHalted.add(action.region);
      context.settle(position, resultFor(action, 'deferred', { error: errorInfoOf(error) }));
      return;
    }
    context.settle(position, resultFor(action, 'failed', { error: failedCopyError(error) }));
  }
}

/** A 5xx or timeout may hide a copy that was made: say so, since it is not retried in this run. */
function failedCopyError(error: unknown): ErrorInfo {
  const info = errorInfoOf(error);
  if (!isTransient(error)) return info;
  return {
    code: info.code,
    message: `${info.message} (not retried in this run: the copy may have been made; the next run looks before it copies)`,
  };
}

const haltedError = (region: string): ErrorInfo => ({
  code: COPY_LIMIT,
  message: `not started: ${region} has too many copies in flight; the next run picks it up`,
});
