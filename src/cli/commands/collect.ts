/**
 * The inventories of the commands that only read them (`report`, `forecast`): collected from
 * every target as `plan` does — a target that fails is reported on stderr and kept as an unread
 * target (its volumes are UNKNOWN), the others go on — or read from a saved inventory
 * (`--inventory FILE`, with the targets that could not be read when it was saved), with no AWS
 * call at all.
 */

import { errorInfoOf } from '../../app/kit/classify-error.js';
import type { UnmanagedMode } from '../../app/kit/ports.js';
import type { Inventory } from '../../core/model.js';
import type { Policy } from '../../core/policy/types.js';
import { type UnreadTarget, unreadLabel } from '../../core/report/types.js';
import { formatErrorForCli } from '../exit.js';
import { forEachTarget } from '../for-each-target.js';
import { loadInventories } from '../inventory-file.js';
import type { CliIo } from '../io.js';
import type { Progress } from '../progress.js';
import { safeText } from '../render/safe-text.js';
import type { TargetFailure } from '../targets.js';
import {
  type Prepared,
  type PrepareOptions,
  prepare,
  prepareConfig,
  reportTargetFailures,
} from './prepare.js';

interface Collected {
  readonly inventories: readonly Inventory[];
  /** The targets that could not be collected (or, from a saved inventory, were not then). */
  readonly unread: readonly UnreadTarget[];
  /** True when at least one target could not be collected. */
  readonly failed: boolean;
}

/** A target that failed, as a report shows it. */
export function unreadTarget(failure: TargetFailure): UnreadTarget {
  return {
    ...(failure.account === undefined ? {} : { account: failure.account }),
    ...(failure.region === undefined ? {} : { region: failure.region }),
    error: errorInfoOf(failure.error),
  };
}

/** `count` (report): the account's snapshots outside the policies are counted too; `skip` (forecast). */
async function collectInventories(
  prepared: Prepared,
  verbose: boolean,
  unmanaged: UnmanagedMode,
): Promise<Collected> {
  const { targets, progress, config } = prepared;
  const policyIds = config.policies.map((p) => p.id);
  const { values, failures } = await forEachTarget(targets, prepared.failures, (target) =>
    target.ec2.collectInventory({
      policyIds,
      unmanaged,
      // report: what the Recycle Bin holds now, for its storage and cost (SPEC §14)
      ...(unmanaged === 'count' ? { binContents: true } : {}),
      onProgress: (p) => progress.collect(p),
    }),
  );
  progress.done();
  reportTargetFailures(failures, progress, (e) => formatErrorForCli(e, verbose));
  return { inventories: values, unread: failures.map(unreadTarget), failed: failures.length > 0 };
}

export interface Inventories extends Collected {
  /** As of when: `--now`, else when the saved inventory was saved, else the clock. */
  readonly now: number;
  readonly policies: readonly Policy[];
  readonly progress: Progress;
}

/**
 * The saved inventory (as of when it was saved, unless `--now` says otherwise: its snapshots'
 * ages are as of then) or the live one.
 */
export async function inventoriesFor(
  options: PrepareOptions & { readonly inventory?: string; readonly unmanaged: UnmanagedMode },
  io: CliIo,
): Promise<Inventories> {
  if (options.inventory !== undefined) {
    const { config, now, progress } = await prepareConfig(options, io);
    const saved = await loadInventories(options.inventory);
    const start = options.now === undefined ? (saved.savedAt ?? now) : now;
    for (const u of saved.unread)
      progress.log(
        safeText(
          `${unreadLabel(u)}: could not be read when ${options.inventory} was saved: ${u.error.code}: ${u.error.message}`,
        ),
      );
    return {
      inventories: saved.inventories,
      unread: saved.unread,
      now: start,
      // A target that could not be read is a failure, live or saved: its volumes are unknown.
      failed: saved.unread.length > 0,
      policies: config.policies,
      progress,
    };
  }
  const prepared = await prepare(options, io);
  const { inventories, unread, failed } = await collectInventories(
    prepared,
    options.verbose === true,
    options.unmanaged,
  );
  return {
    inventories,
    unread,
    now: prepared.now,
    failed,
    policies: prepared.config.policies,
    progress: prepared.progress,
  };
}
