/**
 * What `plan`, `run`, `report` and `forecast` do before the work itself: read the policy file
 * (exit 1 on any problem, before any AWS call), fix `now` and the run id, and find the account ×
 * region pairs.
 */
import { newRunId } from '../../app/run/run.js';
import { DEFAULT_CONFIG_NAME, describeStored, loadStoredConfig } from '../../app/serverless/stored-config.js';
import type { CallDeadline } from '../../aws/http.js';
import { UsageError } from '../../core/errors.js';
import type { Config } from '../../core/policy/types.js';
import { resolveTable } from '../deployment.js';
import type { CliIo } from '../io.js';
import { configPath, loadConfigFile } from '../load-config.js';
import { checkRegions, checkWritable, parseHttpTimeouts, parseNow, type TargetOptions } from '../options.js';
import { createProgress, type Progress } from '../progress.js';
import { tableConfigStore } from '../table-config.js';
import { resolveTargets, type Target, type TargetFailure } from '../targets.js';

/** What every command that reads the policy file needs: where, as of when, how loud. */
export interface PrepareOptions extends TargetOptions {
  readonly now?: string;
  readonly verbose?: boolean;
  /** Checked for writing before any AWS call. */
  readonly out?: string;
}

export interface PreparedConfig {
  readonly config: Config;
  readonly now: number;
  readonly progress: Progress;
}

export interface Prepared extends PreparedConfig {
  readonly runId: string;
  readonly targets: readonly Target[];
  /** Accounts that could not be worked on at all (a refused role, say): each is reported, exit 1. */
  readonly failures: readonly TargetFailure[];
}

/**
 * Everything that can be refused without AWS is refused first (options, the policy file, an
 * `--out` path that cannot be written); then the targets. `deadline` bounds every AWS call.
 */
export async function prepare(
  options: PrepareOptions,
  io: CliIo,
  deadline?: CallDeadline,
): Promise<Prepared> {
  const timeouts = parseHttpTimeouts(io.env);
  const prepared = await prepareConfig(options, io);
  const signal = deadline?.signal ?? io.signal;
  const limits = {
    ...(timeouts === undefined ? {} : { timeouts }),
    ...(signal === undefined ? {} : { deadline: deadline ?? { signal } }),
  };
  const { targets, failures } = await resolveTargets(options, prepared.config, io.env, limits);
  // One clock: the run id dates the run's snapshots for the schedule, so it is the plan's `now`
  // (`--now` when given), never the wall clock after the targets were found.
  return { ...prepared, runId: newRunId(prepared.now), targets, failures };
}

/** Read the policy file and fix `now`, without finding any target (`forecast --inventory`). */
export async function prepareConfig(options: PrepareOptions, io: CliIo): Promise<PreparedConfig> {
  const now = parseNow(options.now, io.clock);
  checkRegions(options.region);
  if (options.out !== undefined) await checkWritable(options.out, '--out');
  const { config, warnings } = await loadCommandConfig(options, io);
  const progress = createProgress(io.stderr, options.verbose === true);
  // "may select the same volumes" is a static guess from the selectors: `config validate` always
  // shows it, plan/run only with -v, so a routine run's stderr stays quiet.
  for (const warning of warnings) {
    if (options.verbose === true || warning.code !== 'config.overlap')
      progress.log(`warning: ${warning.message}`);
  }
  return { config, now, progress };
}

/**
 * The policy file, or with `--config-table` / `--stack` the config stored in the deployment's
 * table (found through the stack's outputs; its region is never `--region`).
 */
async function loadCommandConfig(options: PrepareOptions, io: CliIo) {
  if (options.configTable === undefined && options.stack === undefined)
    return loadConfigFile(configPath(options.config, io.env), io.clock());
  if (options.config !== undefined)
    throw new UsageError('give --config FILE, or a stored config with --stack / --config-table, not both');
  checkRegions(options.stackRegion, '--stack-region');
  const table = await resolveTable(
    options.configTable === undefined ? undefined : { text: options.configTable, option: '--config-table' },
    options,
  );
  const name = options.configName ?? DEFAULT_CONFIG_NAME;
  const source = describeStored(table.name, name);
  return loadStoredConfig(tableConfigStore(table, options), name, { source, now: io.clock() });
}

/** Report the accounts and pairs that failed as a whole (a refused role, collection) on stderr. */
export function reportTargetFailures(
  failures: readonly TargetFailure[],
  progress: Progress,
  describe: (error: unknown) => string,
): void {
  for (const { label, error } of failures) progress.log(`${label}: ${describe(error)}`);
}
