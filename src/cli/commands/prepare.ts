/**
 * What `plan`, `run`, `report` and `forecast` do before the work itself: read the policy file
 * (exit 1 on any problem, before any AWS call), fix `now` and the run id, and find the account ×
 * region pairs.
 */
import { newRunId } from '../../app/run.js';
import type { Config } from '../../core/policy/types.js';
import type { CliIo } from '../io.js';
import { configPath, loadConfigFile } from '../load-config.js';
import { parseNow, type TargetOptions } from '../options.js';
import { createProgress, type Progress } from '../progress.js';
import { resolveTargets, type Target } from '../targets.js';

/** What every command that reads the policy file needs: where, as of when, how loud. */
export interface PrepareOptions extends TargetOptions {
  readonly now?: string;
  readonly verbose?: boolean;
}

export interface PreparedConfig {
  readonly config: Config;
  readonly now: number;
  readonly progress: Progress;
}

export interface Prepared extends PreparedConfig {
  readonly runId: string;
  readonly targets: readonly Target[];
}

export async function prepare(options: PrepareOptions, io: CliIo): Promise<Prepared> {
  const prepared = await prepareConfig(options, io);
  const targets = await resolveTargets(options, prepared.config, io.env);
  return { ...prepared, runId: newRunId(io.clock()), targets };
}

/** Read the policy file and fix `now`, without finding any target (`forecast --inventory`). */
export async function prepareConfig(options: PrepareOptions, io: CliIo): Promise<PreparedConfig> {
  const now = parseNow(options.now, io.clock);
  const { config, warnings } = await loadConfigFile(configPath(options.config, io.env), io.clock());
  const progress = createProgress(io.stderr, options.verbose === true);
  // "may select the same volumes" is a static guess from the selectors: `config validate` always
  // shows it, plan/run only with -v, so a routine run's stderr stays quiet.
  for (const warning of warnings) {
    if (options.verbose === true || warning.code !== 'config.overlap')
      progress.log(`warning: ${warning.message}`);
  }
  return { config, now, progress };
}

/** Report the pairs that failed as a whole (credentials, collection) on stderr. */
export function reportTargetFailures(
  failures: readonly { target: Target; error: unknown }[],
  progress: Progress,
  describe: (error: unknown) => string,
): void {
  for (const { target, error } of failures) progress.log(`${target.label}: ${describe(error)}`);
}
