/**
 * Every run first finishes what a crashed run left (SPEC §6): each instance still carrying the
 * tool's tags of a run that is over is given back — started if the tool stopped it, returned to
 * its group, untagged. Only tags provably a finished run's are acted on (`stop-tags.ts`); the
 * others are left alone and said as warnings. A give-back that fails is a failed result of this
 * run (exit 1, the run record, the failure notification), and the tags stay for the next run.
 */

import type { Inventory } from '../../../core/model.js';
import { TAG } from '../../../core/model.js';
import type { Warning } from '../../../core/warnings.js';
import type { ErrorInfo } from '../../kit/classify-error.js';
import type { InstancePort } from '../../kit/ports.js';
import type { ActionResult } from '../results.js';
import { giveBack, type Waiting } from './give-back.js';
import { judgeStopTags } from './stop-tags.js';

/** One instance a crashed run left, and what this run did about it. */
export interface GivenBack {
  readonly instanceId: string;
  /**
   * `started`, `exited-standby`, `untagged`; or the instance's end when it is gone
   * (`terminated`, `shutting-down`, `not-found`): nothing to give back, and no failure.
   */
  readonly done: readonly string[];
  /** Set when it could not be given back: the tags stay, the next run tries again. */
  readonly error?: ErrorInfo;
}

/** What crash recovery did, for the run's report. */
export interface CrashRecovery {
  readonly givenBack: GivenBack[];
  /** A failed result per instance that could not be given back. */
  readonly results: ActionResult[];
  /** Tags left alone: a person's, this run's own, a run that may still be live. */
  readonly warnings: Warning[];
}

export interface RecoveryOptions {
  /** This run's id: its own tags, and those of runs that started later, are never acted on. */
  readonly runId: string;
  /** Judge the tags (warnings) and change nothing. */
  readonly dryRun?: boolean;
}

/** @example const recovery = await finishCrashedRuns(ec2.instances, inventory, { clock, sleep, pollMs: 5000 }, { runId }); */
export async function finishCrashedRuns(
  instances: InstancePort,
  inventory: Inventory,
  waiting: Waiting,
  options: RecoveryOptions,
): Promise<CrashRecovery> {
  const { recover, warnings } = judgeStopTags(inventory.instances, options.runId);
  if (options.dryRun === true) return { givenBack: [], results: [], warnings };
  const results: ActionResult[] = [];
  const givenBack = await Promise.all(
    recover.map(async ({ instance, trusted }): Promise<GivenBack> => {
      const held = { stopped: TAG.stoppedBy in trusted, standby: TAG.standbyBy in trusted };
      const back = await giveBack(instances, instance.id, instance.asg, waiting, held);
      const done = back.gone === undefined ? back.done : [...back.done, back.gone];
      if (back.error === undefined) return { instanceId: instance.id, done };
      results.push({
        action: 'give-back',
        policy: '*',
        account: inventory.account,
        region: inventory.region,
        instanceId: instance.id,
        status: 'failed',
        error: notGivenBack(instance.id, 'a crashed run had stopped it', back.error),
      });
      return { instanceId: instance.id, done, error: back.error };
    }),
  );
  // One order whatever order the give-backs ended in.
  results.sort((a, b) => (a.instanceId ?? '').localeCompare(b.instanceId ?? ''));
  return { givenBack, results, warnings };
}

/**
 * The error of a give-back that failed: its code (StartInstances' or ExitStandby's), and a message
 * that names the instance and says what happens next.
 */
export function notGivenBack(instanceId: string, why: string, error: ErrorInfo): ErrorInfo {
  return {
    code: error.code,
    message: `${instanceId} was not given back (${why}): ${error.message}; it keeps its ebs-snapper tags and the next run gives it back first`,
  };
}
