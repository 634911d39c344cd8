/**
 * The state of one look at a drill, and the moves it carries out: tag the volume, attach it, run
 * the check's commands, detach it, finish. Each move updates what the look knows; a wait on a
 * quick step polls, one on a slow step ends the look (advance.ts).
 */
import type { DrillInFlight } from '../../../core/drills/in-flight.js';
import { type DrillLook, type DrillMove, failedVerdict, type Verdict } from '../../../core/drills/moves.js';
import { DRILL_TAG, type DrillStep, formatStep } from '../../../core/drills/tags.js';
import { instanceId, type Volume } from '../../../core/model.js';
import { errorInfoOf } from '../../kit/classify-error.js';
import type { CommandState } from '../../kit/ssm-port.js';
import type { Initialization } from '../../kit/volume-port.js';
import type { Seen } from './advance.js';
import { attachToHost, runCheck } from './check-host.js';
import { type DrillContext, pastDeadline, type settingsOf } from './context.js';
import { finishDrill } from './finish.js';
import type { DrillOutcome } from './outcomes.js';

/** A detach that has not ended by then is forced (the volume is deleted next anyway). */
const FORCE_DETACH_AFTER_MS = 60_000;

/** The state of one look, and the moves it takes. */
export class Look {
  volume: Volume;
  step: DrillStep;
  detail: string;
  private initialized: Initialization | undefined;
  private command: CommandState | undefined;
  private watching: boolean;
  private readonly since: number;
  private detachSince: number | undefined;
  private forced = false;
  /** What the volume's step and detail tags say now (`step detail`). */
  private tagged: string;
  /** The result is on the snapshot already (an earlier run recorded it, then died). */
  private readonly recorded: boolean;

  constructor(
    private readonly context: DrillContext,
    private readonly drill: DrillInFlight,
    seen: Seen,
  ) {
    this.volume = drill.volume;
    this.step = drill.step;
    this.detail = drill.detail;
    this.initialized = seen.initialized;
    this.watching = seen.watching;
    this.tagged = `${formatStep(drill.step)} ${drill.detail}`;
    this.since = context.clock();
    const tags = drill.snapshot?.tags;
    this.recorded = tags?.[DRILL_TAG.volume] === drill.volume.id;
    if (this.recorded) {
      this.step = { kind: 'ending', result: tags?.[DRILL_TAG.result] === 'passed' ? 'passed' : 'failed' };
      this.detail = tags?.[DRILL_TAG.detail] ?? this.detail;
    }
  }

  /** Read what the next move depends on and is not known yet. */
  async read(check: string): Promise<void> {
    const { step, volume } = this;
    if (step.kind === 'ssm' && this.command === undefined)
      this.command = await this.context.ssm.commandState(step.commandId, instanceId(step.instanceId));
    const initializing = step.kind === 'creating' || step.kind === 'initializing';
    const made = volume.state !== 'creating' && volume.state !== 'error';
    if (check !== 'available' && initializing && made && this.initialized === undefined) {
      const states = await this.context.volumes.initialization([volume.id]);
      this.initialized = states.get(volume.id) ?? 'unknown';
    }
  }

  view(check: DrillLook['check'], timeoutMs: number): DrillLook {
    const command = this.command;
    return {
      check,
      timeoutMs,
      startedAt: this.drill.startedAt,
      now: this.context.at(),
      watching: this.watching,
      step: this.step,
      detail: this.detail,
      state: this.volume.state ?? 'creating',
      attachments: this.volume.attachments,
      ...(this.initialized === undefined ? {} : { initialized: this.initialized }),
      ...(command === undefined
        ? {}
        : {
            command: {
              done: command.done,
              status: command.status,
              details: command.details,
              ...(command.exitCode === undefined ? {} : { exitCode: command.exitCode }),
              ...(firstLine(command.stderr) ?? firstLine(command.stdout)),
            },
          }),
    };
  }

  /** Carry `move` out; the drill's outcome when the look ends, undefined to look again. */
  async take(
    move: DrillMove,
    settings: ReturnType<typeof settingsOf>,
  ): Promise<Omit<DrillOutcome, 'policy' | 'account' | 'region' | 'snapshotId' | 'check'> | undefined> {
    switch (move.kind) {
      case 'wait':
        return this.wait(move);
      case 'tag':
        await this.tag(move.step, move.detail);
        this.emit(
          move.step.kind === 'initializing' ? `available, initializing (${move.detail})` : move.step.kind,
        );
        return undefined;
      case 'attach':
        return this.attach(move.detail, settings);
      case 'send':
        return this.send(move, settings);
      case 'detach':
        await this.context.volumes.detach(this.volume.id, instanceId(move.instanceId), false);
        this.detachSince = this.context.clock();
        // The result stands from here on, whatever the detach changes (tagged if the look ends first).
        this.step = endingOf(move.verdict);
        this.detail = move.verdict.detail;
        this.emit(`${move.verdict.result}, detaching from ${move.instanceId}`);
        await this.refresh();
        return undefined;
      case 'finish':
        return finishDrill(this.context, this.drill, move.verdict, this.recorded, (what) => this.emit(what));
    }
  }

  private async wait(move: Extract<DrillMove, { kind: 'wait' }>) {
    const quick = move.on === 'attaching' || move.on === 'detaching' || move.on === 'command';
    const patient = this.context.clock() - this.since < this.context.patienceMs;
    if (!quick || !patient || pastDeadline(this.context, this.context.pollMs)) {
      const { verdict } = move;
      if (verdict !== undefined && this.tagged !== `${formatStep(endingOf(verdict))} ${verdict.detail}`)
        await this.tag(endingOf(verdict), verdict.detail);
      return { status: 'in-flight' as const, step: move.on, detail: this.detail };
    }
    if (move.on === 'detaching' && !this.forced) {
      const since = this.detachSince ?? this.since;
      if (this.context.clock() - since >= FORCE_DETACH_AFTER_MS) {
        const attachment = this.volume.attachments[0];
        if (attachment !== undefined) {
          this.forced = true;
          await this.context.volumes.detach(this.volume.id, instanceId(attachment.instanceId), true);
          this.emit(`detach forced from ${attachment.instanceId}`);
        }
      }
    }
    await this.context.sleep(this.context.pollMs);
    this.watching = true;
    if (move.on === 'command' && this.step.kind === 'ssm')
      this.command = await this.context.ssm.commandState(
        this.step.commandId,
        instanceId(this.step.instanceId),
      );
    else await this.refresh();
    return undefined;
  }

  private async attach(detail: string, settings: ReturnType<typeof settingsOf>) {
    const seed = `${this.context.runId}/${this.drill.snapshotId}`;
    const attached = await attachToHost(this.context, this.volume, settings.host, seed);
    if (!attached.ok) {
      const verdict = failedVerdict(detail, attached.failure, attached.what);
      return finishDrill(this.context, this.drill, verdict, this.recorded, (what) => this.emit(what));
    }
    // Not tagged: the attachment itself tells a later look that the volume was available and initialized.
    this.step = { kind: 'initializing' };
    this.detail = detail;
    this.emit(`initialized, attaching to ${attached.instanceId} at ${attached.device}`);
    await this.refresh();
    return undefined;
  }

  /** Send the check's commands (the command id tagged on the volume at once), and wait for them a while. */
  private async send(move: Extract<DrillMove, { kind: 'send' }>, settings: ReturnType<typeof settingsOf>) {
    const { context, drill } = this;
    const leftMs = drill.startedAt + settings.timeoutMs - context.at();
    const patienceLeft = context.patienceMs - (context.clock() - this.since);
    const deadlineLeft = context.deadline === undefined ? leftMs : context.deadline - context.clock();
    try {
      this.command = await runCheck(context, {
        volumeId: this.volume.id,
        snapshotId: drill.snapshotId,
        instanceId: move.instanceId,
        device: move.device,
        commands: settings.commands ?? [],
        leftMs,
        waitMs: Math.max(0, Math.min(leftMs, patienceLeft, deadlineLeft)),
        onSent: async (id) => {
          await this.tag({ kind: 'ssm', commandId: id, instanceId: move.instanceId }, move.detail);
          this.emit(`command ${id} sent to ${move.instanceId}`);
        },
      });
      this.watching = true;
    } catch (error) {
      if (this.step.kind === 'ssm') throw error;
      // Not sent (the agent went away, the host stopped): a failed check, after the detach.
      const { code } = errorInfoOf(error);
      const what = `SendCommand to ${move.instanceId} refused: ${code}`;
      const verdict: Verdict = failedVerdict(move.detail, 'drill.ssm', what);
      await this.tag(endingOf(verdict), verdict.detail);
    }
    return undefined;
  }

  private async tag(step: DrillStep, detail: string): Promise<void> {
    await this.context.volumes.tagVolume(this.volume.id, {
      [DRILL_TAG.step]: formatStep(step),
      ...(detail === '' ? {} : { [DRILL_TAG.detail]: detail }),
    });
    this.step = step;
    this.detail = detail;
    this.tagged = `${formatStep(step)} ${detail}`;
  }

  private async refresh(): Promise<void> {
    const [fresh] = await this.context.volumes.listDrillVolumes([this.volume.id]);
    // Gone meanwhile (deleted by hand): nothing to detach; the record still says what was seen.
    this.volume = fresh ?? { ...this.volume, state: 'deleted', attachments: [] };
    this.initialized = undefined;
  }

  private emit(what: string): void {
    this.context.onEvent?.({ snapshotId: this.drill.snapshotId, volumeId: this.volume.id, what });
  }
}

/** The step that keeps a known result (and its failure code) on the volume. */
const endingOf = (verdict: Verdict): DrillStep => ({
  kind: 'ending',
  result: verdict.result,
  ...(verdict.failure === undefined ? {} : { failure: verdict.failure }),
});

function firstLine(text: string | undefined): { output: string } | undefined {
  const line = text
    ?.split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  return line === undefined ? undefined : { output: line.slice(0, 120) };
}
