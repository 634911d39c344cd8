/**
 * A run's restore drills (docs/drills.md): first every drill in flight gets one look — their
 * volumes come with the inventory's one volume listing, and the initialization of all that need it
 * with one DescribeVolumeStatus, so a hundred drills waiting cost no call of their own — and the
 * ended ones are recorded and deleted; then the plan's due drills start.
 */
import type { DrillAction, Plan } from '../../../core/actions.js';
import { type DrillInFlight, judgeDrills } from '../../../core/drills/in-flight.js';
import type { Inventory } from '../../../core/model.js';
import type { Config } from '../../../core/policy/types.js';
import { errorInfoOf } from '../../kit/classify-error.js';
import { runPool } from '../../kit/pool.js';
import type { Ec2Port } from '../../kit/ports.js';
import type { Initialization } from '../../kit/volume-port.js';
import { advanceDrill } from './advance.js';
import { type DrillContext, type DrillEvent, outcomeBase, pastDeadline, settingsOf } from './context.js';
import type { DrillOutcome } from './outcomes.js';
import { startDrill } from './start.js';

/** Drills looked at or started at once. */
const DRILL_CONCURRENCY = 8;
/** How long a run's look at one drill may wait on a quick step (attach, command, detach). */
export const RUN_PATIENCE_MS = 2 * 60_000;

export interface RunDrillsOptions {
  /** The run's `now` (`--now` included): the drill clock starts there. */
  readonly now: number;
  readonly runId: string;
  readonly clock: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly pollMs: number;
  readonly patienceMs?: number;
  readonly deadline?: number;
  readonly signal?: AbortSignal;
  /** Start the plan's drills too (not with `--only`: those runs only finish what is in flight). */
  readonly start: boolean;
  readonly onEvent?: (event: DrillEvent) => void;
}

/**
 * @example const outcomes = await runDrills(ec2, config, plan, inventory, { now, runId, clock, sleep, pollMs, start: true });
 */
export async function runDrills(
  ec2: Ec2Port,
  config: Config,
  plan: Plan,
  inventory: Inventory,
  options: RunDrillsOptions,
): Promise<DrillOutcome[]> {
  const due = plan.actions.filter((a): a is DrillAction => a.action === 'drill');
  const { inFlight } = judgeDrills(inventory, options.runId);
  if (inFlight.length === 0 && (due.length === 0 || !options.start)) return [];
  const context = drillContext(ec2, config, inventory, options);
  const advanced = await lookAtAll(context, inFlight, false);
  const started: DrillOutcome[] = [];
  if (options.start)
    await runPool(due, DRILL_CONCURRENCY, async (action) => {
      started.push(await startDrill(context, action));
    });
  return [...advanced, ...started.sort((a, b) => (a.snapshotId < b.snapshotId ? -1 : 1))];
}

/** The context of one run's drills; the drill clock is the run's `now` moved on by real time. */
export function drillContext(
  ec2: Ec2Port,
  config: Config,
  inventory: Inventory,
  options: Omit<RunDrillsOptions, 'start'>,
): DrillContext {
  const origin = options.clock();
  return {
    volumes: ec2.volumes,
    ssm: ec2.ssm,
    inventory,
    policies: new Map(config.policies.map((p) => [p.id, p])),
    runId: options.runId,
    at: () => options.now + (options.clock() - origin),
    clock: options.clock,
    sleep: options.sleep,
    pollMs: options.pollMs,
    patienceMs: options.patienceMs ?? RUN_PATIENCE_MS,
    devicesTaken: new Map(),
    ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  };
}

/**
 * One look at each drill, side by side; the initialization of those that need it asked in one go
 * (a failure there only means each look asks for its own).
 */
export async function lookAtAll(
  context: DrillContext,
  drills: readonly DrillInFlight[],
  watching: boolean,
): Promise<DrillOutcome[]> {
  const wanted = drills.filter((d) => needsInitialization(context, d)).map((d) => d.volume.id);
  let initialized: ReadonlyMap<string, Initialization> = new Map();
  if (wanted.length > 0) initialized = await context.volumes.initialization(wanted).catch(() => new Map());
  const outcomes: DrillOutcome[] = new Array(drills.length);
  await runPool(drills, DRILL_CONCURRENCY, async (drill, index) => {
    const known = initialized.get(drill.volume.id);
    if (pastDeadline(context)) {
      // Past the deadline no look starts: the drill stays as its tags say, for the next run.
      const { check } = settingsOf(context, drill.policy);
      outcomes[index] = {
        ...outcomeBase(context, { policy: drill.policy, snapshotId: drill.snapshotId, check }),
        status: 'in-flight',
        drillVolumeId: drill.volume.id,
        step: drill.step.kind,
      };
      return;
    }
    try {
      outcomes[index] = await advanceDrill(context, drill, {
        watching,
        ...(known === undefined ? {} : { initialized: known }),
      });
    } catch (error) {
      outcomes[index] = {
        ...outcomeBase(context, { policy: drill.policy, snapshotId: drill.snapshotId, check: 'available' }),
        status: 'in-flight',
        drillVolumeId: drill.volume.id,
        trouble: errorInfoOf(error),
      };
    }
  });
  return outcomes;
}

function needsInitialization(context: DrillContext, drill: DrillInFlight): boolean {
  const { check } = settingsOf(context, drill.policy);
  const { state } = drill.volume;
  const waiting = drill.step.kind === 'creating' || drill.step.kind === 'initializing';
  return check !== 'available' && waiting && state !== 'creating' && state !== 'error';
}
