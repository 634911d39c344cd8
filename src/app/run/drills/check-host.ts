/**
 * The `ssm` check on its host: attach the drill volume at a free device of a running, SSM-managed
 * instance in the volume's zone, and the script the check runs there. The script finds the volume
 * as the instance sees it (an NVMe name on Nitro instances, `/dev/xvd*` on Xen ones) and exports it
 * to the user's commands, which run under `set -e`: every one must succeed.
 */
import { freeDevices, hostCandidates } from '../../../core/drills/hosts.js';
import type { DrillFailure } from '../../../core/drills/moves.js';
import type { InstanceId, Volume } from '../../../core/model.js';
import { instanceId } from '../../../core/model.js';
import type { DrillHost } from '../../../core/policy/types.js';
import { errorInfoOf } from '../../kit/classify-error.js';
import { runCommand } from '../../kit/run-command.js';
import type { CommandState, SsmPort } from '../../kit/ssm-port.js';
import type { DrillContext } from './context.js';

/** Where the volume went, or why it could not be attached. */
export type Attached =
  | { readonly ok: true; readonly instanceId: InstanceId; readonly device: string }
  | { readonly ok: false; readonly failure: DrillFailure; readonly what: string };

/** Attach `volume` to the first host that is running, managed by SSM and Online; try two devices. */
export async function attachToHost(
  context: DrillContext,
  volume: Volume,
  host: DrillHost | undefined,
  seed: string,
): Promise<Attached> {
  if (host === undefined) return { ok: false, failure: 'drill.no-host', what: 'the policy names no host' };
  const candidates = hostCandidates(context.inventory, host, volume.availabilityZone, seed);
  const pings =
    candidates.length === 0 ? new Map() : await context.ssm.managedInstances(candidates.map((c) => c.id));
  const chosen = candidates.find((c) => pings.get(c.id) === 'Online');
  if (chosen === undefined) {
    const zone = volume.availabilityZone ?? 'its zone';
    return {
      ok: false,
      failure: 'drill.no-host',
      what: `no running SSM-managed (Online) host in ${zone}`,
    };
  }
  const taken = context.devicesTaken.get(chosen.id) ?? new Set<string>();
  context.devicesTaken.set(chosen.id, taken);
  let last = '';
  for (const device of freeDevices(context.inventory, chosen.id, taken).slice(0, 2)) {
    taken.add(device);
    try {
      await context.volumes.attach(volume.id, chosen.id, device);
      return { ok: true, instanceId: instanceId(chosen.id), device };
    } catch (error) {
      const { code } = errorInfoOf(error);
      last = `attach to ${chosen.id} at ${device} refused: ${code}`;
    }
  }
  return { ok: false, failure: 'drill.attach', what: last || `no free device on ${chosen.id}` };
}

/**
 * The script AWS-RunShellScript runs: find the volume on the instance (waiting up to a minute for
 * the device to appear), export it, then the user's commands.
 *
 * @example drillScript('vol-0abc', 'snap-0def', '/dev/sdz', ['fsck -n "$DRILL_DEVICE"'])
 */
export function drillScript(
  volumeId: string,
  snapshotId: string,
  device: string,
  commands: readonly string[],
): string[] {
  const letter = device.replace(/^\/dev\/(sd|xvd)/, '');
  return [
    `export DRILL_VOLUME_ID=${volumeId} DRILL_SNAPSHOT_ID=${snapshotId} DRILL_DEVICE_NAME=${device}`,
    'DRILL_DEVICE=',
    'for i in $(seq 1 60); do',
    `  for d in /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${volumeId.replace('-', '')} /dev/xvd${letter} ${device}; do`,
    '    if [ -b "$d" ]; then DRILL_DEVICE=$(readlink -f "$d"); break 2; fi',
    '  done',
    '  sleep 1',
    'done',
    'if [ -z "$DRILL_DEVICE" ]; then echo "the drill volume did not appear on this instance" >&2; exit 97; fi',
    'export DRILL_DEVICE',
    'set -e',
    ...commands,
  ];
}

/** One run of the check's commands on the host. */
export interface CheckRun {
  readonly volumeId: string;
  readonly snapshotId: string;
  readonly instanceId: string;
  readonly device: string;
  readonly commands: readonly string[];
  /** Until the drill's timeout: SSM's `executionTimeout`. */
  readonly leftMs: number;
  /** How long to wait for the end here (the rest is a later look's). */
  readonly waitMs: number;
  /** Called as soon as SSM took the command, before any wait: the caller keeps its id. */
  readonly onSent: (commandId: string) => Promise<void>;
}

/**
 * Send the commands with AWS-RunShellScript (runCommand), the id handed to `onSent` at once, and
 * wait up to `waitMs` for their end. Throws when SSM refuses the send (a host it cannot reach).
 */
export async function runCheck(context: DrillContext, run: CheckRun): Promise<CommandState> {
  const seconds = Math.max(30, Math.ceil(run.leftMs / 1000));
  const keeping: SsmPort = {
    managedInstances: (ids) => context.ssm.managedInstances(ids),
    commandState: (id, instance) => context.ssm.commandState(id, instance),
    sendCommand: async (request) => {
      const id = await context.ssm.sendCommand(request);
      await run.onSent(id);
      return id;
    },
  };
  const outcome = await runCommand(
    keeping,
    {
      instanceId: instanceId(run.instanceId),
      documentName: 'AWS-RunShellScript',
      parameters: {
        commands: drillScript(run.volumeId, run.snapshotId, run.device, run.commands),
        executionTimeout: [String(seconds)],
      },
      timeoutSeconds: Math.min(seconds, 600),
      comment: `ebs-snapper drill of ${run.snapshotId}, run ${context.runId}`,
    },
    { timeoutMs: run.waitMs, pollMs: context.pollMs, clock: context.clock, sleep: context.sleep },
  );
  return outcome.state;
}
