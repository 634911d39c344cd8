/**
 * `undo` (SPEC §14): bring back from the Recycle Bin exactly the snapshots one run deleted, each
 * in its own account × region, and name those that could not be — not in the bin (no rule kept
 * it, or its retention there has passed), no way into the account, or a restore EC2 refused. A
 * restored snapshot comes back with its id and its tags.
 */

import { type ErrorInfo, errorInfoOf } from '../../kit/classify-error.js';
import type { RunDeletes } from '../../serverless/ports.js';

/** The Recycle Bin of one account × region. */
export interface BinPort {
  /** Which of `ids` are in the bin now. */
  binned(ids: readonly string[]): Promise<ReadonlySet<string>>;
  restore(id: string): Promise<void>;
}

/** One snapshot the run deleted, and what undo did about it. */
export interface UndoOutcome {
  readonly account: string;
  readonly region: string;
  readonly snapshotId: string;
  readonly restored: boolean;
  /** Why it was not restored. */
  readonly error?: ErrorInfo;
}

export const NOT_IN_BIN: ErrorInfo = {
  code: 'NotInRecycleBin',
  message: 'not in the Recycle Bin: no rule kept it, or its retention there has passed',
};

/**
 * Restore every snapshot of `deletes` that is still in its bin; `binOf` gives the bin of an
 * account × region, or throws when the account cannot be reached (each of its snapshots is then
 * an outcome with that error). Outcomes come by account, region and snapshot id.
 *
 * @example const outcomes = await restoreRun(deletes, (account, region) => binPortFor(account, region));
 */
export async function restoreRun(
  deletes: readonly RunDeletes[],
  binOf: (account: string, region: string) => BinPort,
): Promise<UndoOutcome[]> {
  const sorted = [...deletes].sort((a, b) =>
    a.account === b.account ? (a.region < b.region ? -1 : 1) : a.account < b.account ? -1 : 1,
  );
  const outcomes = await Promise.all(sorted.map((d) => restoreTarget(d, binOf)));
  return outcomes.flat();
}

async function restoreTarget(
  deletes: RunDeletes,
  binOf: (account: string, region: string) => BinPort,
): Promise<UndoOutcome[]> {
  const { account, region } = deletes;
  const ids = [...new Set(deletes.snapshotIds)].sort();
  const outcome = (snapshotId: string, error?: ErrorInfo): UndoOutcome => ({
    account,
    region,
    snapshotId,
    restored: error === undefined,
    ...(error === undefined ? {} : { error }),
  });
  let bin: BinPort;
  let binned: ReadonlySet<string>;
  try {
    bin = binOf(account, region);
    binned = await bin.binned(ids);
  } catch (error) {
    const info = errorInfoOf(error);
    return ids.map((id) => outcome(id, info));
  }
  const results: UndoOutcome[] = [];
  for (const id of ids) {
    if (!binned.has(id)) {
      results.push(outcome(id, NOT_IN_BIN));
      continue;
    }
    try {
      await bin.restore(id);
      results.push(outcome(id));
    } catch (error) {
      results.push(outcome(id, errorInfoOf(error)));
    }
  }
  return results;
}
