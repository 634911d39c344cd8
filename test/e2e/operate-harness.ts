/**
 * The set-up of the `status` and `trigger` end-to-end files: the hub deployed by the built CLI into
 * moto (behind the counting proxy), and the test in Lambda's place — the built `fanOut` and
 * `worker` handlers run in the test process on the stack's own environment, the SQS poller played
 * as `test/support/moto/deployment.ts` plays it. The fan-out's clock may be set back, to play a run
 * that started hours ago (a target without a record is missing only once its run is old enough);
 * the workers keep the real time, which their deadlines are measured in.
 */
import { afterEach } from 'vitest';
import type { RunRecord, WorkItem } from '../../src/app/serverless/ports.js';
import {
  type Deployment,
  deploymentOfStack,
  importHandlers,
  lambdaContext,
  readRunRecords,
  receiveEvent,
  settleEvent,
} from '../support/moto/deployment.js';
import { writePolicy } from './cli.js';
import { type DeployContext, deployJson } from './deploy-harness.js';

const { createFanOut, createWorker } = await importHandlers();

/** Deploy `policy` with the CLI and return the stack as a deployment to play the handlers on. */
export async function deployForOperating(
  t: DeployContext,
  policy: string,
  extra: readonly string[] = [],
): Promise<{ deployment: Deployment; outputs: Record<string, string> }> {
  const file = writePolicy(t.env.workDir, policy);
  const deployed = await deployJson(['deploy', '--config', file, ...extra], t.env);
  if (deployed.code !== 0) throw new Error(`deploy failed:\n${deployed.stderr}`);
  const deployment = await deploymentOfStack(t.proxy.endpoint, deployed.json.outputs);
  return { deployment, outputs: deployed.json.outputs };
}

/** Run the handlers with the deployment's environment in `process.env` (as Lambda gives it). */
export function useHandlerEnvironment(): (deployment: Deployment) => void {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  return (deployment) => {
    Object.assign(process.env, deployment.env, {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
  };
}

export interface PlayedRun {
  readonly runId: string;
  readonly records: readonly RunRecord[];
}

/**
 * One run as Lambda would carry it out: the fan-out with `event` (the Scheduler's `{}`, or what
 * `trigger` sent), then the worker on every message until the queue is empty — except the work
 * items `drop` names, deleted unread (a message lost: the target gets no record).
 */
export async function playRun(
  deployment: Deployment,
  options: { event?: unknown; fanOutClock?: () => number; drop?: (item: WorkItem) => boolean } = {},
): Promise<PlayedRun> {
  const fanOut = createFanOut({ clock: options.fanOutClock ?? Date.now });
  const worker = createWorker({ continuationDelaySeconds: 0 });
  const fanned = await fanOut(
    options.event ?? {},
    lambdaContext(() => 300_000),
  );
  for (let i = 0; i < 50; i++) {
    const event = await receiveEvent(deployment);
    if (event.Records.length === 0) break;
    const item = JSON.parse(event.Records[0]!.body) as WorkItem;
    if (options.drop?.(item) === true) {
      await settleEvent(deployment, event, { batchItemFailures: [] });
      continue;
    }
    const start = Date.now();
    const response = await worker(
      event,
      lambdaContext(() => 900_000 - (Date.now() - start)),
    );
    await settleEvent(deployment, event, response);
  }
  return { runId: fanned.run_id, records: await readRunRecords(deployment, fanned.run_id) };
}
