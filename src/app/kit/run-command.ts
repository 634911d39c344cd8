/**
 * Run one SSM command to its end, or to the caller's timeout: send it, then look at it every
 * `pollMs` until SSM says it ended. A command still running at the timeout is reported as such
 * (SSM may still run it: the caller decides what that means — a failed drill, a failed freeze).
 */
import type { CommandRequest, CommandState, SsmPort } from './ssm-port.js';

export interface RunCommandOptions {
  /** How long to wait for the end, from the send. */
  readonly timeoutMs: number;
  /** How often to look; default 1 s. */
  readonly pollMs?: number;
  readonly clock: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** How a command ended for the caller. */
export interface CommandOutcome {
  readonly commandId: string;
  /** The last state seen (`done` false when the timeout came first). */
  readonly state: CommandState;
  /** The caller's timeout passed before SSM said the command ended. */
  readonly timedOut: boolean;
  /** From the send to the last look. */
  readonly elapsedMs: number;
}

/** True when the command ran and exited 0. */
export const succeeded = (outcome: CommandOutcome): boolean =>
  outcome.state.done && outcome.state.status === 'Success' && (outcome.state.exitCode ?? 0) === 0;

/**
 * @example const outcome = await runCommand(ssm, { instanceId, documentName: 'AWS-RunShellScript', parameters: { commands: ['true'] }, timeoutSeconds: 60 }, { timeoutMs: 30_000, clock, sleep });
 */
export async function runCommand(
  ssm: SsmPort,
  request: CommandRequest,
  options: RunCommandOptions,
): Promise<CommandOutcome> {
  const pollMs = options.pollMs ?? 1_000;
  const started = options.clock();
  const commandId = await ssm.sendCommand(request);
  for (;;) {
    const state = await ssm.commandState(commandId, request.instanceId);
    const elapsedMs = options.clock() - started;
    if (state.done) return { commandId, state, timedOut: false, elapsedMs };
    if (elapsedMs >= options.timeoutMs) return { commandId, state, timedOut: true, elapsedMs };
    await options.sleep(Math.min(pollMs, options.timeoutMs - elapsedMs));
  }
}
