/**
 * The pre and post scripts of `consistency: application` as SSM commands (SPEC §15): the built-in
 * `fsfreeze` is the tool's own shell script sent through `AWS-RunShellScript`; anything else is the
 * user's command document, sent without parameters. Each script is waited for up to `timeout`,
 * and tried again `retries` times when it fails.
 */
import { type FreezeVolume, fsfreezeScript, fsthawScript } from '../../../core/fsfreeze-script.js';
import type { InstanceId } from '../../../core/model.js';
import { BUILTIN_FSFREEZE, type FreezeScripts } from '../../../core/policy/types.js';
import { type ErrorInfo, errorInfoOf } from '../../kit/classify-error.js';
import { PortError } from '../../kit/ports.js';
import { type CommandOutcome, runCommand, succeeded } from '../../kit/run-command.js';
import type { CommandRequest, SsmPort } from '../../kit/ssm-port.js';

/** The document the built-in scripts are sent through. */
export const RUN_SHELL_SCRIPT = 'AWS-RunShellScript';
/** SendCommand's smallest delivery timeout. */
const MIN_DELIVERY_SECONDS = 30;

export type ScriptKind = 'pre' | 'post';

/** What a script of one freeze needs to know. */
export interface ScriptTarget {
  readonly instanceId: InstanceId;
  readonly scripts: FreezeScripts;
  /** The volumes of the set (the built-in pre script freezes their filesystems). */
  readonly volumes: readonly FreezeVolume[];
  readonly runId: string;
}

/**
 * The SendCommand request of a script. The comment says which run and which script, so the SSM
 * console (and the tests) can tell a pre from a post.
 *
 * @example scriptRequest('post', { instanceId, scripts, volumes: [], runId }).documentName // 'AWS-RunShellScript'
 */
export function scriptRequest(kind: ScriptKind, target: ScriptTarget): CommandRequest {
  const { scripts, instanceId, runId } = target;
  const document = kind === 'pre' ? scripts.pre : scripts.post;
  const timeoutSeconds = Math.ceil(scripts.timeoutMs / 1000);
  const base = {
    instanceId,
    timeoutSeconds: Math.max(MIN_DELIVERY_SECONDS, timeoutSeconds),
    comment: `ebs-snapper ${kind === 'pre' ? 'freeze (pre)' : 'thaw (post)'} ${runId}`,
  };
  if (document !== BUILTIN_FSFREEZE) return { ...base, documentName: document, parameters: {} };
  const commands =
    kind === 'pre'
      ? fsfreezeScript({ volumes: target.volumes, timeoutSeconds, token: runId })
      : fsthawScript();
  return {
    ...base,
    documentName: RUN_SHELL_SCRIPT,
    // The agent kills the script at its own timeout too (the watchdog, armed first, still thaws).
    parameters: { commands, executionTimeout: [String(timeoutSeconds)] },
  };
}

/** How a script ended after all its attempts. */
export interface ScriptRun {
  readonly ok: boolean;
  /** Commands sent (SendCommand answered, or may have been carried out). */
  readonly sent: number;
  /** The last attempt's failure. */
  readonly error?: ErrorInfo;
  /** The last attempt's outcome, when SSM answered. */
  readonly last?: CommandOutcome;
}

export interface ScriptWaiting {
  readonly clock: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Time between two looks at a running command. */
  readonly pollMs: number;
}

/**
 * Send one attempt of a script and wait for its end (at most the script timeout). Never throws:
 * a SendCommand that failed for good (refused: never sent) counts no command sent; one that failed
 * in a way that may hide a send (a timeout, a 5xx, the deadline) counts one.
 */
export async function runScriptOnce(
  ssm: SsmPort,
  request: CommandRequest,
  timeoutMs: number,
  waiting: ScriptWaiting,
): Promise<ScriptRun> {
  let sent = false;
  const counting: SsmPort = {
    managedInstances: (ids) => ssm.managedInstances(ids),
    sendCommand: async (r) => {
      const id = await ssm.sendCommand(r);
      sent = true;
      return id;
    },
    commandState: (id, instance) => ssm.commandState(id, instance),
  };
  try {
    const last = await runCommand(counting, request, {
      timeoutMs,
      pollMs: waiting.pollMs,
      clock: waiting.clock,
      sleep: waiting.sleep,
    });
    return succeeded(last)
      ? { ok: true, sent: 1, last }
      : { ok: false, sent: 1, last, error: failureOf(last, timeoutMs) };
  } catch (error) {
    const maybeSent = sent || !(error instanceof PortError) || error.transient || error.code === 'Deadline';
    return { ok: false, sent: maybeSent ? 1 : 0, error: errorInfoOf(error) };
  }
}

/**
 * A script with its retries: attempts until one succeeds or `retries` more have failed (the post
 * script; the pre script's retries thaw in between, see `freeze-thaw.ts`).
 */
export async function runScript(
  ssm: SsmPort,
  kind: ScriptKind,
  target: ScriptTarget,
  waiting: ScriptWaiting,
): Promise<ScriptRun & { readonly attempts: number }> {
  const request = scriptRequest(kind, target);
  let sent = 0;
  for (let attempt = 1; ; attempt++) {
    const run = await runScriptOnce(ssm, request, target.scripts.timeoutMs, waiting);
    sent += run.sent;
    if (run.ok || attempt > target.scripts.retries) return { ...run, sent, attempts: attempt };
  }
}

/** Why a command that SSM answered did not succeed, in words. */
function failureOf(outcome: CommandOutcome, timeoutMs: number): ErrorInfo {
  const { state } = outcome;
  if (outcome.timedOut) {
    return {
      code: 'ScriptTimeout',
      message: `still ${state.status} after ${Math.round(timeoutMs / 1000)} s (command ${outcome.commandId})`,
    };
  }
  const exit = state.exitCode === undefined ? '' : ` exit ${state.exitCode}`;
  const stderr = state.stderr === undefined ? '' : `: ${state.stderr.trim().slice(0, 200)}`;
  return {
    code: `Script${state.status}`,
    message: `${state.status} (${state.details}${exit}, command ${outcome.commandId})${stderr}`,
  };
}
