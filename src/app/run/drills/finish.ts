/**
 * A drill's end: its result on the snapshot (`drill-result`, `drill-at`, `drill-detail`, and the
 * volume it came from, so no later run records it twice), then its volume deleted. A result that
 * cannot be recorded leaves the volume in place (the next run records it); a snapshot deleted
 * meanwhile cannot carry it (the run's outcome still does).
 */

import { secondsOf } from '../../../core/drills/detail.js';
import type { DrillInFlight } from '../../../core/drills/in-flight.js';
import type { Verdict } from '../../../core/drills/moves.js';
import { DRILL_TAG } from '../../../core/drills/tags.js';
import { errorInfoOf } from '../../kit/classify-error.js';
import { PortError } from '../../kit/ports.js';
import { type DrillContext, settingsOf } from './context.js';
import type { DrillOutcome } from './outcomes.js';

type Ended = Omit<DrillOutcome, 'policy' | 'account' | 'region' | 'snapshotId' | 'check'>;

/** Record (unless `recorded` already) and delete. */
export async function finishDrill(
  context: DrillContext,
  drill: DrillInFlight,
  verdict: Verdict,
  recorded: boolean,
  emit: (what: string) => void,
): Promise<Ended> {
  const at = new Date(context.at()).toISOString();
  let onSnapshot = recorded;
  if (!recorded) {
    try {
      await context.volumes.tagSnapshot(drill.snapshotId, {
        [DRILL_TAG.result]: verdict.result,
        [DRILL_TAG.at]: at,
        [DRILL_TAG.detail]: verdict.detail,
        [DRILL_TAG.volume]: drill.volume.id,
      });
      onSnapshot = true;
    } catch (error) {
      if (!(error instanceof PortError && error.code === 'InvalidSnapshot.NotFound')) throw error;
    }
    emit(`${verdict.result}: ${verdict.detail}`);
  }
  let trouble: DrillOutcome['trouble'];
  try {
    await context.volumes.deleteVolume(drill.volume.id);
    emit(`volume ${drill.volume.id} deleted`);
  } catch (error) {
    const { code, message } = errorInfoOf(error);
    trouble = {
      code,
      message: `drill volume ${drill.volume.id} not deleted: ${message}; its result is recorded and the next run deletes it`,
    };
  }
  const check = settingsOf(context, drill.policy).check;
  const restore =
    verdict.result === 'passed'
      ? secondsOf(verdict.detail, check === 'available' ? 'available' : 'initialized')
      : undefined;
  return {
    status: recorded ? 'cleaned' : verdict.result,
    detail: verdict.detail,
    at,
    recorded: onSnapshot,
    ...(restore === undefined ? {} : { restoreSeconds: restore }),
    ...(verdict.result === 'failed' && !recorded
      ? {
          error: {
            code: verdict.failure ?? 'drill.failed',
            message: `restore drill of ${drill.snapshotId} (volume ${drill.volume.id}) failed: ${verdict.detail}${onSnapshot ? '' : ' (the snapshot is gone: recorded nowhere else)'}`,
          },
        }
      : {}),
    ...(trouble === undefined ? {} : { trouble }),
  };
}
