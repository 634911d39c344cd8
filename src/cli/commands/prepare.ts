/**
 * What `plan` and `run` do before the work itself: read the policy file (exit 1 on any problem,
 * before any AWS call), fix `now` and the run id, and find the account × region pairs.
 */
import { newRunId } from '../../app/run.js';
import { DEFAULT_CONFIG_NAME, describeStored, loadStoredConfig } from '../../app/stored-config.js';
import type { CallDeadline } from '../../aws/http.js';
import { UsageError } from '../../core/errors.js';
import type { Config } from '../../core/policy/types.js';
import type { CliIo } from '../io.js';
import { configPath, loadConfigFile } from '../load-config.js';
import { checkWritable, type PlanOptions, parseHttpTimeouts, parseNow } from '../options.js';
import { createProgress, type Progress } from '../progress.js';
import { tableConfigStore } from '../table-config.js';
import { resolveTargets, type Target, type TargetFailure } from '../targets.js';

export interface Prepared {
  readonly config: Config;
  readonly now: number;
  readonly runId: string;
  readonly targets: readonly Target[];
  /** Accounts that could not be worked on at all (a refused role, say): each is reported, exit 1. */
  readonly failures: readonly TargetFailure[];
  readonly progress: Progress;
}

/**
 * Everything that can be refused without AWS is refused here, first: options, the policy file,
 * an `--out` path that cannot be written. `deadline` bounds every AWS call of the command.
 */
export async function prepare(options: PlanOptions, io: CliIo, deadline?: CallDeadline): Promise<Prepared> {
  const now = parseNow(options.now, io.clock);
  const timeouts = parseHttpTimeouts(io.env);
  if (options.out !== undefined) await checkWritable(options.out, '--out');
  const { config, warnings } = await loadCommandConfig(options, io);
  const progress = createProgress(io.stderr, options.verbose === true);
  // "may select the same volumes" is a static guess from the selectors: `config validate` always
  // shows it, plan/run only with -v, so a routine run's stderr stays quiet.
  for (const warning of warnings) {
    if (options.verbose === true || warning.code !== 'config.overlap')
      progress.log(`warning: ${warning.message}`);
  }
  const signal = deadline?.signal ?? io.signal;
  const limits = {
    ...(timeouts === undefined ? {} : { timeouts }),
    ...(signal === undefined ? {} : { deadline: deadline ?? { signal } }),
  };
  const { targets, failures } = await resolveTargets(options, config, io.env, limits);
  return { config, now, runId: newRunId(io.clock()), targets, failures, progress };
}

/** The policy file, or with `--config-table` the config stored in the deployment's table. */
async function loadCommandConfig(options: PlanOptions, io: CliIo) {
  if (options.configTable === undefined)
    return loadConfigFile(configPath(options.config, io.env), io.clock());
  if (options.config !== undefined) throw new UsageError('give --config FILE or --config-table T, not both');
  const name = options.configName ?? DEFAULT_CONFIG_NAME;
  const source = describeStored(options.configTable, name);
  return loadStoredConfig(tableConfigStore(options.configTable, options), name, { source, now: io.clock() });
}

/** Report the accounts and pairs that failed as a whole (a refused role, collection) on stderr. */
export function reportTargetFailures(
  failures: readonly TargetFailure[],
  progress: Progress,
  describe: (error: unknown) => string,
): void {
  for (const { label, error } of failures) progress.log(`${label}: ${describe(error)}`);
}
