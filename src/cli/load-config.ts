/**
 * Find and read the policy file: `--config FILE`, else `$EBS_SNAPPER_CONFIG`, else
 * `./ebs-snapper.yaml`. Any problem is a `ConfigError` listing every `path: message`, raised
 * before any AWS call. Parsing is the core's `loadConfig`; this file only reads bytes.
 */
import { open } from 'node:fs/promises';
import { ConfigError } from '../core/errors.js';
import { configTooBigError, loadConfig, MAX_CONFIG_BYTES } from '../core/policy/parse.js';
import type { Config } from '../core/policy/types.js';
import type { Warning } from '../core/warnings.js';

const DEFAULT_CONFIG_FILE = 'ebs-snapper.yaml';

export interface LoadedConfig {
  readonly path: string;
  readonly config: Config;
  readonly warnings: readonly Warning[];
}

/** Which file to read, by precedence. */
export function configPath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? env.EBS_SNAPPER_CONFIG ?? DEFAULT_CONFIG_FILE;
}

/** Read and validate a policy file; `now` lets the parser refuse a cron that can never fire again. */
export async function loadConfigFile(path: string, now?: number): Promise<LoadedConfig> {
  const bytes = await readConfigBytes(path);
  const loaded = loadConfig(bytes, { source: path, ...(now === undefined ? {} : { now }) });
  return { path, ...loaded };
}

/** Reads at most one byte more than a policy file may have, so a huge file is refused at once. */
async function readConfigBytes(path: string): Promise<Uint8Array> {
  try {
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_CONFIG_BYTES) throw configTooBigError(path, (await file.stat()).size);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'ENOENT' ? ' (give one with --config FILE or EBS_SNAPPER_CONFIG)' : '';
    throw new ConfigError(`cannot read the policy file ${path}: ${code ?? 'error'}${hint}`, [], {
      cause: error,
    });
  }
}
