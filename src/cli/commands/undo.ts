/**
 * `ebs-snapper undo --run RUN_ID [--results FILE]` (SPEC §14): restore from the Recycle Bin
 * exactly the snapshots that run deleted — found from its run records in the deployment's table
 * (`--stack`, `--config-table`), or from the run's `--out` JSON (`--results FILE`) — and name those
 * it could not restore. Accounts other than the credentials' own are reached with `--role-arn`
 * (matched by account) or `--role-name` (in every account). Exit 1 when any was not restored.
 */
import { readFile } from 'node:fs/promises';
import { type BinPort, restoreRun, type UndoOutcome } from '../../app/run/undo/restore-run.js';
import type { RunDeletes } from '../../app/serverless/ports.js';
import { assumeRoleCredentials, createAwsClients, whoAmI } from '../../aws/clients.js';
import { listBinned, restoreFromBin } from '../../aws/recycle-bin.js';
import { createDeployedClients } from '../../aws/serverless-clients.js';
import { createRunRecordStore } from '../../aws/table/run-records.js';
import { UsageError } from '../../core/errors.js';
import { type DeploymentOptions, resolveTable } from '../deployment.js';
import type { CommandOutcome } from '../exit.js';
import type { CliIo } from '../io.js';
import { emitDocument } from '../render/emit.js';
import { safeText } from '../render/safe-text.js';
import { paint, type TextStyle } from '../render/text.js';

export interface UndoOptions extends DeploymentOptions {
  readonly run: string;
  readonly results?: string;
  readonly configTable?: string;
  readonly roleArn?: readonly string[];
  readonly roleName?: string;
  readonly output?: 'text' | 'json';
  readonly out?: string;
  readonly verbose?: boolean;
}

export async function undoCommand(options: UndoOptions, io: CliIo): Promise<CommandOutcome> {
  const deletes =
    options.results === undefined ? await deletesFromTable(options) : await deletesFromFile(options);
  const outcomes = await restoreRun(deletes, binsFor(options, io));
  const restored = outcomes.filter((o) => o.restored);
  const missed = outcomes.filter((o) => !o.restored);
  if (restored.length > 0)
    io.stderr.write(
      'warning: the next run deletes these snapshots again unless the policy that deleted them is changed first\n',
    );
  await emitDocument(
    {
      run_id: options.run,
      restored: restored.map(({ account, region, snapshotId }) => ({
        account,
        region,
        snapshot_id: snapshotId,
      })),
      not_restored: missed.map(({ account, region, snapshotId, error }) => ({
        account,
        region,
        snapshot_id: snapshotId,
        error,
      })),
      summary: { deleted: outcomes.length, restored: restored.length, not_restored: missed.length },
    },
    (style) => renderUndo(options.run, outcomes, style),
    { ...options, output: options.output ?? 'text' },
    io,
  );
  return { failed: missed.length > 0, changes: restored.length > 0 };
}

/** The run's deletes from its records in the deployment's table. */
async function deletesFromTable(options: UndoOptions): Promise<RunDeletes[]> {
  const table = await resolveTable(
    options.configTable === undefined ? undefined : { text: options.configTable, option: '--config-table' },
    options,
  );
  const { dynamo } = createDeployedClients({
    ...(table.region === undefined ? {} : { region: table.region }),
    ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  });
  const store = createRunRecordStore(dynamo, table.name);
  const [records, deletes] = await Promise.all([store.list(options.run), store.listDeleted?.(options.run)]);
  if (records.length === 0)
    throw new UsageError(`${table.found}: no run records of run ${options.run} (kept 90 days)`);
  return [...(deletes ?? [])];
}

/** The run's deletes from its `--out` JSON: the `delete` results that are `done`. */
async function deletesFromFile(options: UndoOptions): Promise<RunDeletes[]> {
  const file = options.results!;
  let document: { run_id?: unknown; results?: unknown };
  try {
    document = JSON.parse(await readFile(file, 'utf8')) as typeof document;
  } catch (error) {
    throw new UsageError(
      `--results: ${file} is not a run's JSON (ebs-snapper run --output json --out FILE)`,
      {
        cause: error,
      },
    );
  }
  if (document.run_id !== options.run)
    throw new UsageError(`--results: ${file} is run ${String(document.run_id)}, not ${options.run}`);
  const byTarget = new Map<string, { account: string; region: string; snapshotIds: string[] }>();
  for (const r of Array.isArray(document.results) ? document.results : []) {
    const { action, status, account, region, snapshot_id: id } = r as Record<string, unknown>;
    if (action !== 'delete' || status !== 'done' || typeof id !== 'string') continue;
    if (typeof account !== 'string' || typeof region !== 'string') continue;
    const key = `${account}/${region}`;
    const entry = byTarget.get(key) ?? { account, region, snapshotIds: [] };
    entry.snapshotIds.push(id);
    byTarget.set(key, entry);
  }
  return [...byTarget.values()];
}

/** Each account × region's bin, through the credentials that reach its account. */
function binsFor(options: UndoOptions, io: CliIo): (account: string, region: string) => BinPort {
  const home = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const common = {
    ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
  };
  const base = createAwsClients({
    region: home,
    ...common,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  });
  const own = whoAmI(base.sts);
  own.catch(() => undefined);
  const roles = new Map(
    (options.roleArn ?? []).map((arn) => [/::(\d{12}):role\//.exec(arn)?.[1] ?? '', arn]),
  );
  return (account, region) => {
    const clients = (async () => {
      const identity = await own;
      const arn =
        roles.get(account) ??
        (account === identity.account || options.roleName === undefined
          ? undefined
          : `arn:${identity.partition}:iam::${account}:role/${options.roleName}`);
      if (arn === undefined && account !== identity.account)
        throw new UsageError(
          `no way into account ${account}: give --role-arn for it, or --role-name of a role every account has`,
        );
      const credentials =
        arn === undefined
          ? undefined
          : assumeRoleCredentials(arn, {
              region: home,
              sessionName: 'ebs-snapper-undo',
              ...common,
              ...(options.profile === undefined ? {} : { profile: options.profile }),
            });
      return createAwsClients({
        region,
        ...common,
        ...(credentials === undefined
          ? options.profile === undefined
            ? {}
            : { profile: options.profile }
          : { credentials }),
      });
    })();
    return {
      binned: async (ids) => new Set((await listBinned((await clients).ec2, ids)).map((b) => b.snapshotId)),
      restore: async (id) => restoreFromBin((await clients).ec2, id),
    };
  };
}

function renderUndo(runId: string, outcomes: readonly UndoOutcome[], style: TextStyle): string {
  const lines = outcomes.map((o) => {
    const where = safeText(`${o.snapshotId} (${o.account}/${o.region})`);
    return o.restored
      ? `  ${paint(style, 'green', 'restored')}  ${where}`
      : `  ${paint(style, 'red', 'NOT restored')}  ${where}  ${paint(style, 'dim', safeText(`${o.error?.code}: ${o.error?.message}`))}`;
  });
  const restored = outcomes.filter((o) => o.restored).length;
  lines.push(
    `Undo of ${safeText(runId)}: ${restored} of ${outcomes.length} deleted snapshot${outcomes.length === 1 ? '' : 's'} restored` +
      (restored < outcomes.length ? `, ${outcomes.length - restored} not.` : '.'),
  );
  return `${lines.join('\n')}\n`;
}
