/**
 * One look at one drill in flight: read where it stands (its volume, its initialization, its
 * command), take the move the state machine names (core/drills/moves.ts), and go on while the next
 * step is quick — an attach, the check's command, a detach, the record and the delete — within the
 * look's patience. A slow step (the volume being created or initialized) ends the look: the drill's
 * state is on its volume's tags, so the next look, in this run or a later one, goes on from there.
 */
import type { DrillInFlight } from '../../../core/drills/in-flight.js';
import { nextMove } from '../../../core/drills/moves.js';
import { formatStep } from '../../../core/drills/tags.js';
import { errorInfoOf } from '../../kit/classify-error.js';
import { DEADLINE_CODE, PortError } from '../../kit/ports.js';
import type { Initialization } from '../../kit/volume-port.js';
import { type DrillContext, outcomeBase, settingsOf } from './context.js';
import { Look } from './look.js';
import type { DrillOutcome } from './outcomes.js';

/** Moves of one look at most: a bound for a state machine that always moves on. */
const MAX_MOVES = 64;

/** What the caller already knows of the drill from its batched listings. */
export interface Seen {
  readonly initialized?: Initialization;
  /** The caller watched this drill a moment ago (step times are exact). */
  readonly watching: boolean;
}

/** @example const outcome = await advanceDrill(context, drill, { watching: false }); */
export async function advanceDrill(
  context: DrillContext,
  drill: DrillInFlight,
  seen: Seen,
): Promise<DrillOutcome> {
  const settings = settingsOf(context, drill.policy);
  const base = outcomeBase(context, {
    policy: drill.policy,
    snapshotId: drill.snapshotId,
    check: settings.check,
    drillVolumeId: drill.volume.id,
    startedAt: new Date(drill.startedAt).toISOString(),
    ...sourceOf(drill),
  });
  const look = new Look(context, drill, seen);
  try {
    for (let moves = 0; moves < MAX_MOVES; moves++) {
      await look.read(settings.check);
      const move = nextMove(look.view(settings.check, settings.timeoutMs));
      const ended = await look.take(move, settings);
      if (ended !== undefined) return { ...base, ...ended };
    }
    return { ...base, status: 'in-flight', step: formatStep(look.step), detail: look.detail };
  } catch (error) {
    const left = { ...base, status: 'in-flight' as const, step: formatStep(look.step), detail: look.detail };
    // The run's deadline cancelled a call: the drill is simply left for the next look, as it is.
    if (error instanceof PortError && error.code === DEADLINE_CODE) return left;
    const trouble = errorInfoOf(error);
    return {
      ...base,
      status: 'in-flight',
      step: formatStep(look.step),
      detail: look.detail,
      trouble: {
        code: trouble.code,
        message: `drill of ${drill.snapshotId} on ${drill.volume.id}: ${trouble.message}; the next run goes on with it`,
      },
    };
  }
}

const sourceOf = (drill: DrillInFlight) => {
  const source = drill.snapshot?.tags['ebs-snapper:volume-id'] ?? drill.snapshot?.volumeId;
  return source === undefined ? {} : { sourceVolumeId: source as DrillOutcome['sourceVolumeId'] & string };
};
