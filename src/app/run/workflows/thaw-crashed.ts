/**
 * Every run first thaws what a crashed run left frozen (SPEC §15), like it gives back what one
 * left stopped: each instance still carrying `ebs-snapper:frozen-by` of a run that is over gets
 * the post script of the policy that froze it (`ebs-snapper:frozen-policy`; the built-in thaw
 * when that policy is no longer configured), through SSM calls the deadline does not cancel, then
 * loses its tags. Only tags provably a finished run's are acted on (the trust rules of
 * `stop-tags.ts`); the others are left alone and said as warnings. A thaw that fails is a failed
 * result of this run (exit 1, the run record, the failure notification), and the tags stay.
 */
import { type Instance, type Inventory, TAG } from '../../../core/model.js';
import { BUILTIN_FSFREEZE, type FreezeScripts, type Policy } from '../../../core/policy/types.js';
import { type Warning, warning } from '../../../core/warnings.js';
import { errorInfoOf } from '../../kit/classify-error.js';
import type { InstancePort } from '../../kit/ports.js';
import type { SsmPort } from '../../kit/ssm-port.js';
import type { ActionResult } from '../results.js';
import type { Thawed } from './freeze-records.js';
import { runScript, type ScriptWaiting } from './freeze-scripts.js';
import { judgeRunTags, type LeftAlone } from './stop-tags.js';

/** What thawing crashed runs' freezes did, for the run's report. */
export interface ThawRecovery {
  readonly thawed: Thawed[];
  /** A failed `thaw` result per instance that could not be thawed. */
  readonly results: ActionResult[];
  /** Tags left alone (a person's, a live run's) and posts sent without their policy. */
  readonly warnings: Warning[];
}

export interface ThawOptions {
  /** This run's id: its own tags, found before it acts, are an earlier invocation's (thawed). */
  readonly runId: string;
  /** The configured policies: which post script thaws an instance. */
  readonly policies: readonly Policy[];
  /** Judge the tags (warnings) and change nothing. */
  readonly dryRun?: boolean;
}

/** The thaw of a policy that is no longer configured: the built-in one (it thaws what its pre froze). */
const FALLBACK_SCRIPTS: FreezeScripts = {
  pre: BUILTIN_FSFREEZE,
  post: BUILTIN_FSFREEZE,
  timeoutMs: 30_000,
  retries: 1,
  onFailure: 'crash-consistent',
};

/** States in which nothing the tool froze can still be frozen: a stop thaws, a terminated instance is gone. */
const NOTHING_FROZEN: ReadonlySet<string> = new Set(['stopped', 'shutting-down', 'terminated']);

/** @example const recovery = await thawCrashedRuns(ec2.ssmUnbounded, ec2.instances, inventory, waiting, { runId, policies }); */
export async function thawCrashedRuns(
  ssm: SsmPort,
  instances: InstancePort,
  inventory: Inventory,
  waiting: ScriptWaiting,
  options: ThawOptions,
): Promise<ThawRecovery> {
  const judged = judgeRunTags(inventory.instances, options.runId, [TAG.frozenBy], leftAlone);
  const warnings = [...judged.warnings];
  if (options.dryRun === true) return { thawed: [], results: [], warnings };
  const results: ActionResult[] = [];
  const thawed = await Promise.all(
    judged.recover.map(async ({ instance }): Promise<Thawed> => {
      const scripts = scriptsOf(instance, options.policies, warnings);
      const outcome = await thawOne(ssm, instances, instance, scripts, waiting);
      if (outcome.error !== undefined) {
        results.push({
          action: 'thaw',
          policy: instance.tags[TAG.frozenPolicy] ?? '*',
          account: inventory.account,
          region: inventory.region,
          instanceId: instance.id,
          status: 'failed',
          error: {
            code: outcome.error.code,
            message: `${instance.id} was not thawed (a crashed run had frozen it): ${outcome.error.message}; it keeps its ebs-snapper:frozen-by tag and the next run sends the post script first`,
          },
        });
      }
      return outcome;
    }),
  );
  // One order whatever order the thaws ended in.
  results.sort((a, b) => (a.instanceId ?? '').localeCompare(b.instanceId ?? ''));
  return { thawed, results, warnings };
}

async function thawOne(
  ssm: SsmPort,
  instances: InstancePort,
  instance: Instance,
  scripts: FreezeScripts,
  waiting: ScriptWaiting,
): Promise<Thawed> {
  const done: string[] = [];
  const untag = async (): Promise<Thawed> => {
    try {
      await instances.untag(instance.id, [TAG.frozenBy, TAG.frozenPolicy]);
      return { instanceId: instance.id, done: [...done, 'untagged'] };
    } catch (error) {
      return { instanceId: instance.id, done, error: errorInfoOf(error) };
    }
  };
  if (NOTHING_FROZEN.has(instance.state)) {
    done.push(instance.state);
    return instance.state === 'stopped' ? untag() : { instanceId: instance.id, done };
  }
  const target = { instanceId: instance.id, scripts, volumes: [], runId: instance.tags[TAG.frozenBy] ?? '' };
  const post = await runScript(ssm, 'post', target, waiting);
  if (!post.ok) {
    const error = post.error ?? { code: 'ScriptFailed', message: 'the post script failed' };
    return { instanceId: instance.id, done, error };
  }
  done.push('thawed');
  return untag();
}

/** The scripts of the policy that froze the instance, or the built-in thaw when it is not configured. */
function scriptsOf(instance: Instance, policies: readonly Policy[], warnings: Warning[]): FreezeScripts {
  const id = instance.tags[TAG.frozenPolicy];
  const scripts = policies.find((p) => p.id === id)?.snapshot.scripts;
  if (scripts !== undefined) return scripts;
  warnings.push(
    warning(
      'run.freeze-policy-unknown',
      `${instance.id} was frozen by a crashed run for policy ${id ?? '(not recorded)'}, which is not an application-consistent policy of this config: the built-in fsfreeze thaw is sent`,
    ),
  );
  return FALLBACK_SCRIPTS;
}

const leftAlone: LeftAlone = (instance, key, value, owner) => {
  const what = `${instance.id} carries ${key}=${value}`;
  if (owner === 'foreign') {
    return warning(
      'run.freeze-tag-foreign',
      `${what}, which is not a run id of ebs-snapper (put there by hand?): left alone, no script is sent to it; remove the tag`,
    );
  }
  return warning(
    'run.freeze-tag-live',
    `${what}, set by a run that started after this one and may be freezing it now: left alone; a later run thaws it if that run does not`,
  );
};
