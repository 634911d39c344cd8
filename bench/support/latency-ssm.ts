/**
 * SSM Run Command in process at the latencies AWS shows, for the freeze bench: every API call
 * takes a moment (SendCommand ~100 ms, GetCommandInvocation ~50 ms), the agent picks a command up
 * a while after it was sent, then runs it (a freeze syncs dirty pages first, a thaw is quick). It
 * notes when each command really started and ended on the "instance", so the bench can tell the
 * frozen time the tool sees from the one the instance lives through.
 */
import type { AgentPing, CommandRequest, CommandState, SsmPort } from '../../src/app/kit/ssm-port.js';
import type { InstanceId } from '../../src/core/model.js';

/** A latency range, ms: drawn uniformly. */
export type Range = readonly [number, number];

export interface SsmLatencies {
  readonly describe: Range;
  readonly send: Range;
  readonly look: Range;
  /** From SendCommand to the agent starting the script. */
  readonly pickup: Range;
  /** How long the pre script (the freeze) runs on the instance. */
  readonly pre: Range;
  /** How long the post script (the thaw) runs on the instance. */
  readonly post: Range;
}

/** One command as the instance lived it (epoch ms, the real clock). */
export interface RanCommand {
  readonly instanceId: string;
  readonly kind: 'pre' | 'post';
  readonly startsAt: number;
  readonly endsAt: number;
}

export class LatencySsm implements SsmPort {
  readonly ran: RanCommand[] = [];
  private readonly byId = new Map<string, RanCommand>();

  constructor(
    private readonly latencies: SsmLatencies,
    private readonly random: () => number,
  ) {}

  async managedInstances(ids: readonly InstanceId[]): Promise<ReadonlyMap<string, AgentPing>> {
    await this.wait(this.latencies.describe);
    return new Map(ids.map((id) => [id as string, 'Online' as const]));
  }

  async sendCommand(request: CommandRequest): Promise<string> {
    await this.wait(this.latencies.send);
    const kind = request.comment?.includes('(pre)') ? 'pre' : 'post';
    const startsAt = Date.now() + this.draw(this.latencies.pickup);
    const command = {
      instanceId: request.instanceId,
      kind,
      startsAt,
      endsAt: startsAt + this.draw(kind === 'pre' ? this.latencies.pre : this.latencies.post),
    } as const;
    const id = `cmd-${this.ran.length + 1}`;
    this.ran.push(command);
    this.byId.set(id, command);
    return id;
  }

  async commandState(commandId: string): Promise<CommandState> {
    await this.wait(this.latencies.look);
    const command = this.byId.get(commandId);
    const now = Date.now();
    if (command === undefined || now < command.startsAt)
      return { status: 'Pending', details: 'Pending', done: false };
    if (now < command.endsAt) return { status: 'InProgress', details: 'InProgress', done: false };
    return { status: 'Success', details: 'Success', done: true, exitCode: 0 };
  }

  private draw([low, high]: Range): number {
    return low + (high - low) * this.random();
  }

  private wait(range: Range): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.draw(range)));
  }
}
