/**
 * `ebs-snapper trigger` (SPEC §11a): a deployed run now. The run id is made here (as the fan-out
 * makes one: the time now and 6 hex digits) and given to the fan-out in its event, invoked
 * asynchronously as the schedule invokes it, so the id printed is the run's. `--wait` follows the
 * run index and the run records until every target of the run has its outcome (polling with a
 * growing pause, bounded by `--timeout`), then prints that run's status and exits as `status` does.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { newRunId } from '../../app/run/run.js';
import {
  type DeploymentStatus,
  readDeploymentStatus,
} from '../../app/serverless/status/deployment-status.js';
import { sdkClientConfig } from '../../aws/clients.js';
import { invokeAsync } from '../../aws/lambda-invoke.js';
import { UsageError } from '../../core/errors.js';
import { count } from '../../core/plural.js';
import { parseDuration } from '../../core/policy/durations.js';
import type { DeploymentOptions } from '../deployment.js';
import type { CommandOutcome } from '../exit.js';
import type { CliIo } from '../io.js';
import type { Output } from '../options.js';
import { renderStatus, statusDocument } from '../render/status.js';
import { openRunHistory, type RunHistory } from './status.js';

export interface TriggerOptions extends DeploymentOptions {
  readonly wait?: boolean;
  /** How long `--wait` follows the run: `30m`. */
  readonly timeout: string;
  readonly output: Output;
  readonly verbose?: boolean;
}

/** The pause between two looks at the run grows from the first to the last. */
const FIRST_PAUSE_MS = 1000;
const LAST_PAUSE_MS = 15_000;

export async function triggerCommand(options: TriggerOptions, io: CliIo): Promise<CommandOutcome> {
  const timeoutMs = parseDuration(options.timeout);
  if (timeoutMs === undefined || timeoutMs <= 0)
    throw new UsageError(`--timeout: "${options.timeout}" is not a duration (e.g. 30m, 1h)`);
  const history = await openRunHistory(options);
  const { deployment } = history;
  const functionName = deployment.outputs.FanOutFunctionName;
  if (functionName === undefined)
    throw new UsageError(
      `the stack "${deployment.stack}" has no FanOutFunctionName output: is it an ebs-snapper hub?`,
    );
  const startedAt = io.clock();
  const runId = newRunId(startedAt);
  const lambda = new LambdaClient(
    sdkClientConfig({
      ...(deployment.region === undefined ? {} : { region: deployment.region }),
      ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
      ...(options.profile === undefined ? {} : { profile: options.profile }),
    }),
  );
  await invokeAsync(lambda, functionName, { run_id: runId });
  const where = `--stack ${deployment.stack}${deployment.region === undefined ? '' : ` --stack-region ${deployment.region}`}`;
  if (options.wait !== true) {
    if (options.output === 'json') {
      const document = { version: 1, command: 'trigger', run_id: runId, function: functionName, wait: false };
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    } else {
      io.stdout.write(`started run ${runId} (${functionName}, invoked asynchronously)\n`);
      io.stdout.write(`watch it: ebs-snapper status ${where} --run ${runId}\n`);
    }
    return { failed: false, changes: true };
  }
  io.stderr.write(`started run ${runId} (${functionName}); following it for up to ${options.timeout}\n`);
  const { status, finished } = await follow(history, runId, startedAt + timeoutMs, io);
  const context = {
    ...history.context,
    ...(history.schedule === undefined ? {} : { schedule: history.schedule }),
  };
  if (options.output === 'json') {
    const document = { ...statusDocument(status, context), command: 'trigger', finished };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    io.stdout.write(renderStatus(status, context));
  }
  if (!finished) io.stderr.write(`${unfinished(status, runId, options.timeout, functionName)}\n`);
  return { failed: !finished || status.problems.length > 0, changes: true };
}

/** Look at the run until every target has its outcome, the deadline passes, or the CLI is stopped. */
async function follow(
  history: RunHistory,
  runId: string,
  deadline: number,
  io: CliIo,
): Promise<{ status: DeploymentStatus; finished: boolean }> {
  let pause = FIRST_PAUSE_MS;
  let said = '';
  for (;;) {
    const now = io.clock();
    const status = await readDeploymentStatus(history.deps, {
      now,
      since: 0,
      runId,
      ...(history.schedule === undefined ? {} : { schedule: history.schedule }),
    });
    const progress = progressOf(status, runId);
    if (progress.text !== said) io.stderr.write(`${progress.text}\n`);
    said = progress.text;
    if (progress.done) return { status, finished: true };
    if (now + pause > deadline || io.signal?.aborted === true) return { status, finished: false };
    await pauseFor(pause, io.signal);
    pause = Math.min(Math.round(pause * 1.5), LAST_PAUSE_MS);
  }
}

/** How far the run is, in words, and whether every target has its outcome. */
function progressOf(status: DeploymentStatus, runId: string): { text: string; done: boolean } {
  if (status.latestRun === undefined) return { text: `run ${runId}: waiting for the fan-out`, done: false };
  const running = status.targets.filter((t) => t.state === 'running').length;
  const total = status.targets.length;
  const text = `run ${runId}: ${total - running} of ${count(total, 'target')} done${running > 0 ? `, ${running} running` : ''}`;
  return { text, done: running === 0 };
}

function unfinished(status: DeploymentStatus, runId: string, timeout: string, functionName: string): string {
  if (status.latestRun === undefined)
    return `Error: run ${runId} is not in the run index after ${timeout}: the fan-out did not start it (see the log group /aws/lambda/${functionName})`;
  return `Error: run ${runId} is still running after ${timeout}; \`ebs-snapper status --run ${runId}\` follows it later`;
}

/** A pause that ends early when the CLI is told to stop. */
function pauseFor(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
