/**
 * SSM Run Command on one account × region's instances: what restore drills run on their host
 * (`check: ssm`) and what application-consistent snapshots run before and after (`scripts`). The
 * AWS adapter is `src/aws/ssm.ts`; tests use the fake in `test/support/fakes/in-memory-ssm.ts` or
 * the fault proxy's SSM emulation.
 */
import type { InstanceId } from '../../core/model.js';

/** SSM's word on an instance's agent: `Online` takes commands; the others will not run them now. */
export type AgentPing = 'Online' | 'ConnectionLost' | 'Inactive';

/** What to run, where. */
export interface CommandRequest {
  readonly instanceId: InstanceId;
  /** `AWS-RunShellScript`, or the name or ARN of the user's own command document. */
  readonly documentName: string;
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  /** How long SSM may take to deliver the command to the agent. */
  readonly timeoutSeconds: number;
  /** Shown in the SSM console: which run and what for. */
  readonly comment?: string;
}

/** Where a command stands on its instance. */
export interface CommandState {
  /** SSM's `Status`: Pending, InProgress, Delayed, Success, Cancelled, TimedOut, Failed, Cancelling. */
  readonly status: string;
  /** SSM's `StatusDetails` (e.g. `DeliveryTimedOut`, `ExecutionTimedOut`, `Undeliverable`). */
  readonly details: string;
  /** True once the command has ended, whatever the result. */
  readonly done: boolean;
  /** The command's exit code, when it ran. */
  readonly exitCode?: number;
  readonly stdout?: string;
  readonly stderr?: string;
}

export interface SsmPort {
  /** The instances among `ids` that SSM manages, with their agent's ping; the others are absent. */
  managedInstances(ids: readonly InstanceId[]): Promise<ReadonlyMap<string, AgentPing>>;
  /** Send `request`; the command's id. */
  sendCommand(request: CommandRequest): Promise<string>;
  /** Where the command stands; one SSM does not show yet (it lags SendCommand) is `Pending`. */
  commandState(commandId: string, instanceId: InstanceId): Promise<CommandState>;
}

/** SSM statuses after which a command never changes again. */
export const ENDED_STATUSES: ReadonlySet<string> = new Set(['Success', 'Cancelled', 'TimedOut', 'Failed']);
