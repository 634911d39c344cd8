/**
 * `deploy --config`: the validated file pushed to the stack's table under its `ConfigName` — and
 * only when the table does not hold that text already, so a deploy of the same file writes nothing.
 */
import { createHash } from 'node:crypto';
import type { ConfigStore } from '../serverless/ports.js';
import { pushConfig } from '../serverless/stored-config.js';
import { DeployError } from './ports.js';
import type { DeployProgress } from './stack-wait.js';

/** What became of the config: pushed, already there (`unchanged`), or neither (a dry run). */
export interface HubConfigResult {
  readonly name: string;
  readonly sha256?: string;
  readonly pushed: boolean;
  /** The table holds this text under this name already. */
  readonly unchanged?: boolean;
}

export interface HubConfigPush {
  readonly name: string;
  readonly text: string;
  readonly source: string;
  readonly now: number;
}

/** The table the stack's outputs name; a stack without one is not a hub. */
export function tableOf(stackName: string, outputs: Readonly<Record<string, string>>): string {
  const table = outputs.TableName;
  if (table === undefined) throw new DeployError(`stack ${stackName} has no TableName output`);
  return table;
}

/**
 * Push `push.text` unless the table holds that very text under that name (compared as text, not by
 * the stored digest, which a hand edit of the item would leave stale).
 *
 * @example await pushHubConfig(push, store, table, progress) // { name: 'default', pushed: false, unchanged: true, ... }
 */
export async function pushHubConfig(
  push: HubConfigPush,
  store: ConfigStore,
  table: string,
  progress: DeployProgress,
): Promise<HubConfigResult> {
  const { name, text, source } = push;
  const stored = await store.get(name);
  if (stored?.text === text) {
    progress.note(`config "${name}" in table ${table} is ${source} already: not pushed`);
    return { name, sha256: sha256Hex(text), pushed: false, unchanged: true };
  }
  const pushed = await pushConfig(store, name, text, { source, now: push.now });
  progress.note(`pushed ${source} to table ${table} as config "${name}"`);
  return { name, sha256: pushed.stored.sha256, pushed: true };
}

/** `--dry-run`: whether the push would change the table (read only; unknown without a table). */
export async function previewHubConfig(
  push: HubConfigPush,
  store: ConfigStore | undefined,
): Promise<HubConfigResult> {
  const stored = await store?.get(push.name);
  const unchanged = stored?.text === push.text;
  return {
    name: push.name,
    sha256: sha256Hex(push.text),
    pushed: false,
    ...(unchanged ? { unchanged } : {}),
  };
}

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
