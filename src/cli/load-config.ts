/**
 * Find and read the policy file: `--config FILE`, else `$EBS_SNAPPER_CONFIG`, else
 * `./ebs-snapper.yaml`. Any problem is a `ConfigError` listing every `path: message`,
 * raised before any AWS call.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../core/errors.js';
import { parseConfig } from '../core/policy/parse.js';
import type { Config } from '../core/policy/types.js';
import type { Warning } from '../core/warnings.js';

export const DEFAULT_CONFIG_FILE = 'ebs-snapper.yaml';

export interface LoadedConfig {
  readonly path: string;
  readonly config: Config;
  readonly warnings: readonly Warning[];
}

/** Which file to read, by precedence. */
export function configPath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? env.EBS_SNAPPER_CONFIG ?? DEFAULT_CONFIG_FILE;
}

export async function loadConfigFile(path: string): Promise<LoadedConfig> {
  const text = await readConfigText(path);
  const result = parseConfig(text, { source: path });
  if (result.errors.length > 0 || result.config === undefined) {
    const count = result.errors.length;
    throw new ConfigError(
      `${path}: ${count} problem${count === 1 ? '' : 's'} in the policy file`,
      result.errors,
    );
  }
  return { path, config: result.config, warnings: result.warnings };
}

async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'ENOENT' ? ' (give one with --config FILE or EBS_SNAPPER_CONFIG)' : '';
    throw new ConfigError(`cannot read the policy file ${path}: ${code ?? 'error'}${hint}`, [], {
      cause: error,
    });
  }
}
