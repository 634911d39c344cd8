/**
 * SSM Run Command in memory, for the app layer's tests: instances managed or not, each command's
 * end chosen by the test (by instance and document, in order), reached after a number of looks;
 * every command sent is kept, so a test can read the script the tool sent.
 */
import type { AgentPing, CommandRequest, CommandState, SsmPort } from '../../../src/app/kit/ssm-port.js';
import type { InstanceId } from '../../../src/core/model.js';
import type { CrashSwitch } from './in-memory-volumes.js';

/** How one command ends; `looks` GetCommandInvocation-style looks see it running first (default 1). */
export interface FakeCommandEnd {
  readonly status: 'Success' | 'Failed' | 'TimedOut' | 'Hang';
  readonly exitCode?: number;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly looks?: number;
}

interface Sent extends CommandRequest {
  readonly commandId: string;
}

export class InMemorySsm implements SsmPort {
  /** Managed instances and their agents' ping; others are not managed. */
  readonly managed = new Map<string, AgentPing>();
  /** Ends by `instanceId` or `instanceId documentName`, consumed in order; the last one repeats. */
  readonly ends = new Map<string, FakeCommandEnd[]>();
  readonly sent: Sent[] = [];
  /** Called before every call (`managedInstances`, `sendCommand`, `commandState`): a test's crash switch. */
  beforeCall: ((what: 'managedInstances' | 'sendCommand' | 'commandState') => void) | undefined;
  /** The crash switch of the simulated run (a send is a change, a look a read); none = never crashes. */
  crash?: CrashSwitch;
  private readonly looked = new Map<string, number>();
  private readonly endOf = new Map<string, FakeCommandEnd>();

  /** Manage `ids` (Online unless said). */
  manage(ids: readonly string[], ping: AgentPing = 'Online'): this {
    for (const id of ids) this.managed.set(id, ping);
    return this;
  }

  /** The commands to `instanceId` (of `documentName`, when given) end like this, in order. */
  endWith(instanceId: string, ends: readonly FakeCommandEnd[], documentName?: string): this {
    this.ends.set(documentName === undefined ? instanceId : `${instanceId} ${documentName}`, [...ends]);
    return this;
  }

  async managedInstances(ids: readonly InstanceId[]): Promise<ReadonlyMap<string, AgentPing>> {
    this.beforeCall?.('managedInstances');
    return new Map(ids.flatMap((id) => (this.managed.has(id) ? [[id, this.managed.get(id)!] as const] : [])));
  }

  async sendCommand(request: CommandRequest): Promise<string> {
    this.beforeCall?.('sendCommand');
    return this.crash === undefined
      ? this.send(request)
      : this.crash.change('SendCommand', () => this.send(request));
  }

  private send(request: CommandRequest): string {
    if (!this.managed.has(request.instanceId)) {
      throw Object.assign(new Error(`${request.instanceId} is not managed`), { code: 'InvalidInstanceId' });
    }
    const commandId = `cmd-${this.sent.length + 1}`;
    this.sent.push({ ...request, commandId });
    const key = this.ends.has(`${request.instanceId} ${request.documentName}`)
      ? `${request.instanceId} ${request.documentName}`
      : request.instanceId;
    const queue = this.ends.get(key) ?? [];
    const end = (queue.length > 1 ? queue.shift() : queue[0]) ?? { status: 'Success' };
    this.endOf.set(commandId, end);
    return commandId;
  }

  async commandState(commandId: string, _instanceId: InstanceId): Promise<CommandState> {
    this.beforeCall?.('commandState');
    this.crash?.alive('GetCommandInvocation');
    const end = this.endOf.get(commandId) ?? { status: 'Success' };
    const looks = (this.looked.get(commandId) ?? 0) + 1;
    this.looked.set(commandId, looks);
    if (end.status === 'Hang' || looks <= (end.looks ?? 1)) {
      return { status: 'InProgress', details: 'InProgress', done: false };
    }
    return {
      status: end.status,
      details: end.status,
      done: true,
      ...(end.status === 'TimedOut' ? {} : { exitCode: end.exitCode ?? (end.status === 'Success' ? 0 : 1) }),
      ...(end.stdout === undefined ? {} : { stdout: end.stdout }),
      ...(end.stderr === undefined ? {} : { stderr: end.stderr }),
    };
  }
}
