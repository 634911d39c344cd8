/**
 * `ebs-snapper drill`: start drills now and stay with them to their end. The first look at the
 * drills in flight and the starts are a run's (run-drills.ts); then, until every drill has ended or
 * the deadline comes, one DescribeVolumes of the drill volumes (and one DescribeVolumeStatus of
 * those initializing) per round, each drill taken as far as it goes, looks every 1 s at first and
 * every 15 s at most. Drills left at the deadline stay in flight: any later run finishes them.
 */
import type { DrillAction, Plan } from '../../../core/actions.js';
import { judgeDrills } from '../../../core/drills/in-flight.js';
import type { Inventory } from '../../../core/model.js';
import type { Config } from '../../../core/policy/types.js';
import type { Ec2Port } from '../../kit/ports.js';
import { pastDeadline } from './context.js';
import type { DrillOutcome } from './outcomes.js';
import { drillContext, lookAtAll, type RunDrillsOptions } from './run-drills.js';
import { startDrill } from './start.js';

const FIRST_ROUND_MS = 1_000;
const LONGEST_ROUND_MS = 15_000;
/** A drill whose looks keep failing (a refused call) is left after this many in a row. */
const MAX_TROUBLES = 3;

/** @example const outcomes = await watchDrills(ec2, config, plan, inventory, { now, runId, clock, sleep, pollMs: 2000, start: true }); */
export async function watchDrills(
  ec2: Ec2Port,
  config: Config,
  plan: Plan,
  inventory: Inventory,
  options: RunDrillsOptions,
): Promise<DrillOutcome[]> {
  const context = drillContext(ec2, config, inventory, { ...options, patienceMs: Number.POSITIVE_INFINITY });
  const latest = new Map<string, DrillOutcome>();
  const troubles = new Map<string, number>();
  const ended = new Set<string>();
  const keep = (outcome: DrillOutcome) => {
    const key = outcome.drillVolumeId ?? `${outcome.snapshotId}/start`;
    latest.set(key, outcome);
    const going =
      outcome.status === 'in-flight' || (outcome.status === 'started' && outcome.drillVolumeId !== undefined);
    if (!going) ended.add(key);
    troubles.set(key, outcome.trouble === undefined ? 0 : (troubles.get(key) ?? 0) + 1);
    if ((troubles.get(key) ?? 0) >= MAX_TROUBLES) ended.add(key);
  };
  for (const o of await lookAtAll(context, judgeDrills(inventory, options.runId).inFlight, false)) keep(o);
  for (const action of plan.actions.filter((a): a is DrillAction => a.action === 'drill'))
    keep(await startDrill(context, action));
  let wait = FIRST_ROUND_MS;
  while ([...latest.keys()].some((key) => !ended.has(key)) && !pastDeadline(context, wait)) {
    await options.sleep(wait);
    wait = Math.min(wait * 2, LONGEST_ROUND_MS);
    const volumes = await ec2.volumes.listDrillVolumes();
    const { inFlight } = judgeDrills({ ...inventory, volumes: [...volumes] }, options.runId);
    const pending = inFlight.filter((d) => !ended.has(d.volume.id));
    // Looked at before and gone from the listing now: deleted by someone else (a new one may lag).
    for (const [key, outcome] of latest)
      if (outcome.status === 'in-flight' && !inFlight.some((d) => d.volume.id === key)) ended.add(key);
    for (const o of await lookAtAll(context, pending, true)) keep(o);
  }
  return [...latest.values()];
}
