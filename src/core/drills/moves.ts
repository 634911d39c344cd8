/**
 * The drill state machine, pure: given what a look sees of a drill (its volume's state and
 * attachments, its step tag, its initialization, its command), what to do next. The app carries
 * the move out and looks again (app/run/drills/advance.ts); nothing here calls AWS or reads a clock.
 *
 *   creating ──available──▶ [available: passed] | initializing
 *   initializing ──every block read──▶ [initialized: passed] | attach ─▶ send ─▶ ssm:<command>
 *   ssm:<command> ──ended──▶ passed (exit 0) | failed
 *   any step ──past timeout, or the volume in error──▶ failed (drill.timeout, drill.volume-error)
 *   a result ─▶ detach if attached ─▶ record on the snapshot ─▶ delete the volume
 *
 * A result once known stands (`ending:<result>` on the volume while a detach outlives a run).
 */
import type { DrillCheck } from '../policy/types.js';
import { appendDetail, clip, secondsOf, stepTime } from './detail.js';
import type { DrillResult, DrillStep } from './tags.js';

/** Why a drill failed: a dotted code, as reasons are. */
export const DRILL_FAILURES = [
  'drill.timeout',
  'drill.volume-error',
  'drill.no-host',
  'drill.attach',
  'drill.ssm',
  'drill.volume-lost',
] as const;
export type DrillFailure = (typeof DRILL_FAILURES)[number];

/** A drill volume's attachment as a look sees it. */
export interface LookAttachment {
  readonly instanceId: string;
  readonly device: string;
  /** `attaching`, `detaching`; undefined when attached. */
  readonly state?: string;
}

/** What one look at a drill knows. */
export interface DrillLook {
  readonly check: DrillCheck;
  readonly timeoutMs: number;
  readonly startedAt: number;
  /** The drill's clock now. */
  readonly now: number;
  /** The tool watched this drill a moment ago: step times are exact, not upper bounds. */
  readonly watching: boolean;
  readonly step: DrillStep;
  readonly detail: string;
  /** EC2's volume state: creating, available, in-use, deleting, error. */
  readonly state: string;
  readonly attachments: readonly LookAttachment[];
  /** `initialized` and `ssm`, once available: every block read from the snapshot? */
  readonly initialized?: 'done' | 'pending' | 'unknown';
  /** `ssm:<command>`: where the command stands. */
  readonly command?: {
    readonly done: boolean;
    readonly status: string;
    readonly details?: string;
    readonly exitCode?: number;
    readonly output?: string;
  };
}

/** What to do next. */
export type DrillMove =
  /** Nothing yet: a slow step (creating, initializing, a command running, a detach in progress). */
  | {
      readonly kind: 'wait';
      readonly on: 'creating' | 'initializing' | 'command' | 'attaching' | 'detaching';
      /** Waiting on a detach: the result it follows. */
      readonly verdict?: Verdict;
    }
  /** Write the step (and the detail so far) on the volume, then look again. */
  | { readonly kind: 'tag'; readonly step: DrillStep; readonly detail: string }
  /** `ssm`: attach the volume to the host. */
  | { readonly kind: 'attach'; readonly detail: string }
  /** `ssm`: the volume is attached; send the check's commands. */
  | { readonly kind: 'send'; readonly instanceId: string; readonly device: string; readonly detail: string }
  /** The result is known; the volume is still attached: detach it. */
  | { readonly kind: 'detach'; readonly verdict: Verdict; readonly instanceId: string }
  /** The result is known and the volume free: record it, delete the volume. */
  | { readonly kind: 'finish'; readonly verdict: Verdict };

/** How a drill ended. */
export interface Verdict {
  readonly result: DrillResult;
  /** The step times, and for a failure what failed (≤ 256 characters). */
  readonly detail: string;
  readonly failure?: DrillFailure;
}

/**
 * The next move of a drill.
 *
 * @example nextMove({ check: 'available', step: { kind: 'creating' }, state: 'available', ... }) // finish, passed
 */
export function nextMove(look: DrillLook): DrillMove {
  const ended = verdictOf(look);
  if (ended !== undefined) return settle(look, ended);
  const move = progress(look);
  // Past the timeout a look still credits what it finds done (a late run must not fail a volume
  // EC2 restored long ago), but it starts nothing more and waits for nothing more.
  if (move.kind === 'finish' || look.now - look.startedAt < look.timeoutMs) return move;
  const detail = 'detail' in move ? move.detail : look.detail;
  const what = `timeout ${Math.round(look.timeoutMs / 1000)}s: ${unfinished(move)}`;
  return settle(look, failedVerdict(detail, 'drill.timeout', what));
}

/** A known result: detach first if the volume is attached, else finish. */
function settle(look: DrillLook, verdict: Verdict): DrillMove {
  const attached = look.attachments[0];
  if (attached === undefined) return { kind: 'finish', verdict };
  if (attached.state === 'detaching') return { kind: 'wait', on: 'detaching', verdict };
  return { kind: 'detach', verdict, instanceId: attached.instanceId };
}

/** The next step toward the check's end, the timeout aside. */
function progress(look: DrillLook): DrillMove {
  const elapsed = look.now - look.startedAt;
  switch (look.step.kind) {
    case 'creating': {
      if (look.state === 'creating') return { kind: 'wait', on: 'creating' };
      const detail = mark(look, 'available', elapsed);
      return afterAvailable({ ...look, detail, step: { kind: 'initializing' } }, true);
    }
    case 'initializing':
      return afterAvailable(look, false);
    default:
      return { kind: 'wait', on: 'command' };
  }
}

/** The result, once a look can tell it: a step's end, a failure, the check's command ended. */
function verdictOf(look: DrillLook): Verdict | undefined {
  const { step } = look;
  if (step.kind === 'ending') {
    const failure = DRILL_FAILURES.find((f) => f === step.failure);
    return { result: step.result, detail: look.detail, ...(failure === undefined ? {} : { failure }) };
  }
  if (look.state === 'error') return failed(look, 'drill.volume-error', 'EC2 put the volume in state error');
  if (look.state === 'deleting' || look.state === 'deleted')
    return failed(look, 'drill.volume-lost', 'the volume was deleted by someone else');
  if (step.kind === 'ssm' && look.command?.done === true) return commandVerdict(look);
  if (step.kind === 'ssm' && look.attachments.length === 0 && look.command?.done === false)
    return failed(look, 'drill.volume-lost', 'the volume was detached from the host while the command ran');
  return undefined;
}

function afterAvailable(look: DrillLook, justAvailable: boolean): DrillMove {
  const elapsed = look.now - look.startedAt;
  if (look.check === 'available')
    return { kind: 'finish', verdict: { result: 'passed', detail: look.detail } };
  if (look.initialized !== 'done') {
    return justAvailable
      ? { kind: 'tag', step: { kind: 'initializing' }, detail: look.detail }
      : { kind: 'wait', on: 'initializing' };
  }
  const detail = mark(look, 'initialized', elapsed);
  if (look.check === 'initialized') return { kind: 'finish', verdict: { result: 'passed', detail } };
  const attached = look.attachments[0];
  if (attached === undefined) return { kind: 'attach', detail };
  if (attached.state === 'attaching') return { kind: 'wait', on: 'attaching' };
  if (attached.state === 'detaching') return { kind: 'wait', on: 'detaching' };
  return { kind: 'send', instanceId: attached.instanceId, device: attached.device, detail };
}

/** The detail with the step's time, once: a step seen again (a later look) keeps its first time. */
function mark(look: DrillLook, step: 'available' | 'initialized', elapsed: number): string {
  if (secondsOf(look.detail, step) !== undefined) return look.detail;
  return appendDetail(look.detail, stepTime(step, elapsed, look.watching));
}

function commandVerdict(look: DrillLook): Verdict {
  const command = look.command!;
  const elapsed = stepTime('', look.now - look.startedAt, look.watching).trim();
  if (command.status === 'Success' && (command.exitCode ?? 0) === 0)
    return { result: 'passed', detail: appendDetail(look.detail, `ssm exit 0 ${elapsed}`) };
  const how =
    command.exitCode === undefined
      ? `ssm ${command.status}${command.details && command.details !== command.status ? ` (${command.details})` : ''}`
      : `ssm exit ${command.exitCode}`;
  const output = command.output === undefined ? '' : `: ${command.output}`;
  return {
    result: 'failed',
    failure: 'drill.ssm',
    detail: appendDetail(look.detail, `${how} ${elapsed}${output}`),
  };
}

function failed(look: DrillLook, failure: DrillFailure, what: string): Verdict {
  return { result: 'failed', failure, detail: clip(look.detail === '' ? what : `${look.detail} ${what}`) };
}

/** What a drill past its timeout had not done yet, by the move it would take next. */
function unfinished(move: DrillMove): string {
  switch (move.kind) {
    case 'wait':
      return move.on === 'command' ? 'the command still running' : `still ${move.on}`;
    case 'tag':
      return 'still initializing';
    case 'attach':
      return 'not attached to a host yet';
    case 'send':
      return 'no command sent yet';
    default:
      return 'not done';
  }
}

/** A drill that could not go on (no host, an attach refused), failed with what it knows so far. */
export function failedVerdict(detail: string, failure: DrillFailure, what: string): Verdict {
  return { result: 'failed', failure, detail: clip(detail === '' ? what : `${detail} ${what}`) };
}
