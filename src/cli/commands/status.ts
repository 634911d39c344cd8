/**
 * `ebs-snapper status` (SPEC §11a): the latest run of every account × region of the deployment,
 * from the run index and the run records in its table; exit 1 when anything failed, is missing or
 * is overdue, so it serves as a monitor (cron, a CI job, a health check).
 */

import { readDeploymentStatus, type StatusRequest } from '../../app/serverless/status/deployment-status.js';
import { createDeployedClients } from '../../aws/serverless-clients.js';
import { createRunIndexStore } from '../../aws/table/run-index.js';
import { createRunRecordStore } from '../../aws/table/run-records.js';
import { UsageError } from '../../core/errors.js';
import { parseDuration } from '../../core/policy/durations.js';
import type { DeploySchedule } from '../../core/policy/types.js';
import { runIdTime } from '../../core/run-id.js';
import { type Deployment, type DeploymentOptions, findDeployment, tableOfDeployment } from '../deployment.js';
import type { CommandOutcome } from '../exit.js';
import type { CliIo } from '../io.js';
import type { Output } from '../options.js';
import { renderStatus, type StatusContext, statusDocument } from '../render/status.js';

export interface StatusOptions extends DeploymentOptions {
  /** How far back a target must have a record: `24h`, `3d`. */
  readonly since: string;
  readonly run?: string;
  readonly output: Output;
  readonly verbose?: boolean;
}

/** The deployment's run history: the stores of its table, its schedule and where it is. */
export interface RunHistory {
  readonly deps: Parameters<typeof readDeploymentStatus>[0];
  readonly context: StatusContext;
  readonly deployment: Deployment;
  readonly schedule?: DeploySchedule;
}

/** Find the hub stack and open its table's run index and run records. */
export async function openRunHistory(options: DeploymentOptions): Promise<RunHistory> {
  const deployment = await findDeployment(options);
  const table = tableOfDeployment(deployment);
  const { dynamo } = createDeployedClients({
    ...(table.region === undefined ? {} : { region: table.region }),
    ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  });
  const { ScheduleExpression: expression, ScheduleTimezone: timezone } = deployment.parameters;
  return {
    deps: {
      runs: createRunIndexStore(dynamo, table.name),
      records: createRunRecordStore(dynamo, table.name),
    },
    context: { stack: deployment.stack, region: deployment.region, table: table.name },
    deployment,
    ...(expression === undefined ? {} : { schedule: { expression, timezone: timezone ?? 'UTC' } }),
  };
}

export async function statusCommand(options: StatusOptions, io: CliIo): Promise<CommandOutcome> {
  const now = io.clock();
  const since = now - parseSince(options.since);
  if (options.run !== undefined && runIdTime(options.run) === undefined)
    throw new UsageError(`--run: "${options.run}" is not a run id (e.g. 20261206T210000Z-3f9a2c)`);
  const history = await openRunHistory(options);
  const request: StatusRequest = {
    now,
    since,
    ...(options.run === undefined ? {} : { runId: options.run }),
    ...(history.schedule === undefined ? {} : { schedule: history.schedule }),
    ...(history.deployment.deployedAt === undefined ? {} : { deployedAt: history.deployment.deployedAt }),
  };
  const status = await readDeploymentStatus(history.deps, request);
  if (options.run !== undefined && status.latestRun === undefined)
    throw new UsageError(
      `no run ${options.run} in the run index of ${history.context.table} (runs are kept 90 days; \`ebs-snapper status\` lists the latest)`,
    );
  const context = {
    ...history.context,
    ...(history.schedule === undefined ? {} : { schedule: history.schedule }),
  };
  io.stdout.write(
    options.output === 'json'
      ? `${JSON.stringify(statusDocument(status, context), null, 2)}\n`
      : renderStatus(status, context),
  );
  return { failed: status.problems.length > 0, changes: false };
}

/** `--since 24h` → milliseconds. */
function parseSince(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw new UsageError(`--since: "${text}" is not a duration (e.g. 24h, 3d)`);
  return ms;
}
