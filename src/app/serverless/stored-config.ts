/**
 * Configs kept in the table: validated before they are written (`config push`) and again every
 * time they are read (the worker, `--config-table`), so a bad one never reaches a run.
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../../core/errors.js';
import { loadConfig } from '../../core/policy/parse.js';
import type { Config } from '../../core/policy/types.js';
import type { Warning } from '../../core/warnings.js';
import type { ConfigStore, StoredConfig } from './ports.js';

/** The config name when none is given (`EBS_SNAPPER_CONFIG_NAME`, `--config-name`). */
export const DEFAULT_CONFIG_NAME = 'default';

export interface LoadedStoredConfig {
  readonly stored: StoredConfig;
  readonly config: Config;
  readonly warnings: readonly Warning[];
}

/** Where a stored config is, for messages: `table ebs-snapper, config "default"`. */
export const describeStored = (table: string, name: string): string => `table ${table}, config "${name}"`;

/**
 * Validate `text` and write it under `name`; a bad document throws `ConfigError` and is never written.
 *
 * @example await pushConfig(store, 'default', readFileSync('ebs-snapper.yaml', 'utf8'), { source: 'ebs-snapper.yaml', now });
 */
export async function pushConfig(
  store: ConfigStore,
  name: string,
  text: string,
  options: { readonly source: string; readonly now: number },
): Promise<LoadedStoredConfig> {
  const { config, warnings } = loadConfig(text, options);
  const stored: StoredConfig = {
    name,
    text,
    updatedAt: new Date(options.now).toISOString(),
    sha256: createHash('sha256').update(text).digest('hex'),
  };
  await store.put(stored);
  return { stored, config, warnings };
}

/** Read and validate a stored config; a missing or bad one throws `ConfigError`. */
export async function loadStoredConfig(
  store: ConfigStore,
  name: string,
  options: { readonly source: string; readonly now: number },
): Promise<LoadedStoredConfig> {
  const stored = await store.get(name);
  if (stored === undefined) {
    throw new ConfigError(
      `${options.source}: no such config (push one with "ebs-snapper config push FILE --table T --name ${name}")`,
    );
  }
  const { config, warnings } = loadConfig(stored.text, options);
  return { stored, config, warnings };
}
