/** `ebs-snapper config push | pull | list | delete`: configs in the deployment's table. */
import { readFile } from 'node:fs/promises';
import {
  DEFAULT_CONFIG_NAME,
  describeStored,
  loadStoredConfig,
  pushConfig,
} from '../../app/serverless/stored-config.js';
import { featureGap, parseFeatures } from '../../aws/deployed-features.js';
import { ConfigError, UsageError } from '../../core/errors.js';
import { loadConfig } from '../../core/policy/parse.js';
import {
  type Deployment,
  type DeploymentOptions,
  findDeployment,
  resolveTable,
  type TableRef,
  tableOfDeployment,
} from '../deployment.js';
import type { CommandOutcome } from '../exit.js';
import type { CliIo } from '../io.js';
import { checkRegions } from '../options.js';
import { tableConfigStore } from '../table-config.js';

export interface ConfigTableOptions extends DeploymentOptions {
  /** The table by name or ARN; default the one of the hub stack (`--stack`). */
  readonly table?: string;
  readonly name?: string;
  /** The table's region, as `--stack-region` (these commands have no targets). */
  readonly region?: string;
}

/** The table these options name, its config store, and the hub stack when it was found through it. */
async function storeOf(
  options: ConfigTableOptions,
): Promise<{ table: TableRef; store: ReturnType<typeof tableConfigStore>; deployment?: Deployment }> {
  const stackRegion = options.stackRegion ?? options.region;
  checkRegions(stackRegion, options.stackRegion === undefined ? '--region' : '--stack-region');
  const where = { ...options, ...(stackRegion === undefined ? {} : { stackRegion }) };
  if (options.table !== undefined) {
    const table = await resolveTable({ text: options.table, option: '--table' }, where);
    return { table, store: tableConfigStore(table, where) };
  }
  const deployment = await findDeployment(where);
  const table = tableOfDeployment(deployment);
  return { table, store: tableConfigStore(table, where), deployment };
}

const DONE: CommandOutcome = { failed: false, changes: false };

/** Validate FILE, then write it: a bad file never reaches the table. */
export async function pushCommand(
  file: string,
  options: ConfigTableOptions,
  io: CliIo,
): Promise<CommandOutcome> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`cannot read the policy file ${file}: ${error.code ?? 'error'}`, [], {
      cause: error,
    });
  });
  const name = options.name ?? DEFAULT_CONFIG_NAME;
  const { table, store, deployment } = await storeOf(options);
  // Before any write: a config the deployment's roles cannot run would fail its runs halfway.
  if (deployment !== undefined) {
    const gap = featureGap(
      loadConfig(text, { source: file, now: io.clock() }).config,
      parseFeatures(deployment.parameters.Features),
      file,
    );
    if (gap !== undefined)
      throw new ConfigError(`${describeStored(table.name, name)}: ${file} not pushed: ${gap}`);
  }
  const { stored, config, warnings } = await pushConfig(store, name, text, { source: file, now: io.clock() });
  for (const warning of warnings) io.stderr.write(`warning: ${warning.message}\n`);
  io.stdout.write(
    `${describeStored(table.name, name)}: pushed ${file} (${config.policies.length} polic${config.policies.length === 1 ? 'y' : 'ies'}, sha256 ${stored.sha256.slice(0, 12)})\n`,
  );
  return { failed: false, changes: true };
}

/** Print a stored config's text, as pushed (validated on the way, so a bad one says so). */
export async function pullCommand(options: ConfigTableOptions, io: CliIo): Promise<CommandOutcome> {
  const name = options.name ?? DEFAULT_CONFIG_NAME;
  const { table, store } = await storeOf(options);
  const { stored } = await loadStoredConfig(store, name, {
    source: describeStored(table.name, name),
    now: io.clock(),
  });
  io.stdout.write(stored.text.endsWith('\n') ? stored.text : `${stored.text}\n`);
  return DONE;
}

export async function listCommand(options: ConfigTableOptions, io: CliIo): Promise<CommandOutcome> {
  const { table, store } = await storeOf(options);
  const configs = await store.list();
  for (const c of configs) io.stdout.write(`${c.name}\t${c.updatedAt}\tsha256 ${c.sha256.slice(0, 12)}\n`);
  if (configs.length === 0) io.stderr.write(`no config in ${table.found}\n`);
  return DONE;
}

export async function deleteCommand(options: ConfigTableOptions, io: CliIo): Promise<CommandOutcome> {
  if (options.name === undefined)
    throw new UsageError('config delete: give the config to delete with --name N');
  const { table, store } = await storeOf(options);
  const deleted = await store.delete(options.name);
  if (!deleted) throw new ConfigError(`${describeStored(table.name, options.name)}: no such config`);
  io.stdout.write(`${describeStored(table.name, options.name)}: deleted\n`);
  return { failed: false, changes: true };
}
