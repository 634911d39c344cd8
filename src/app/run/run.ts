/**
 * One account × region, end to end: lock → collect → plan → apply → report. The CLI runs this
 * for every target in parallel under a lock file; deployed workers do the same under a lease.
 */
import type { Plan } from '../../core/actions.js';
import { stoppedDeletes } from '../../core/guard.js';
import type { Inventory } from '../../core/model.js';
import { type PlanOptions, planSnapshots } from '../../core/plan.js';
import type { Config, GuardLimit } from '../../core/policy/types.js';
import type { CollectProgress, Ec2Port, UnmanagedMode } from '../kit/ports.js';
import { type ApplyOptions, type ApplyProgress, applyPlan, sleepFor } from './apply.js';
import { SCRIPT_POLL_MS } from './apply-freezes.js';
import { STOP_POLL_MS } from './apply-stops.js';
import { copyDestinationsOf, listCopyDestinations } from './copy-destinations.js';
import { drillResults } from './drills/outcomes.js';
import { runDrills } from './drills/run-drills.js';
import type { ActionResult, RunReport, RunSummary, RunTimings } from './results.js';
import { type RunMemory, type TargetMemory, withRunMemory } from './run-memory.js';
import { listVaultState } from './vault-copies/list-vaults.js';
import { finishCrashedRuns } from './workflows/finish-crashed.js';
import { thawCrashedRuns } from './workflows/thaw-crashed.js';

export interface PlanTargetOptions {
  /** Epoch ms the plan is made for (`--now`). */
  readonly now: number;
  /** `newRunId(now)`, or the run's own when continuing it: its time is never after `now`. */
  readonly runId: string;
  /** `--max-deletes`: overrides `settings.guard.max_deletes` as a count. */
  readonly maxDeletes?: number;
  readonly onProgress?: (event: CollectProgress) => void;
  /** `count` when the inventory is saved for reports: the other snapshots are counted too. */
  readonly unmanaged?: UnmanagedMode;
  /**
   * A `copy_to` destination that is not a target of the run itself: only the copies made into it
   * are planned (their retention), nothing is created or copied from it.
   */
  readonly copiesOnly?: boolean;
  /** Adds to the collected inventory what the listing does not show yet (a run's recent creates). */
  readonly recall?: (collected: Inventory) => Promise<Inventory>;
  /** `ebs-snapper drill`: which drills to plan (now, due or not; a policy; a snapshot). */
  readonly drills?: PlanOptions['drills'];
}

export interface RunTargetOptions extends Omit<PlanTargetOptions, 'onProgress' | 'recall'> {
  /** `snapshot`: apply creates only; `clean`: deletes only. */
  readonly only?: 'snapshot' | 'clean';
  /** Plan only; no lock, no change. */
  readonly dryRun?: boolean;
  /** Epoch ms: actions not started by then are deferred. */
  readonly deadline?: number;
  /** Aborted when the run must end now (deadline, or the process told to stop). */
  readonly signal?: AbortSignal;
  /** Default 8. */
  readonly concurrency?: number;
  /**
   * How the run keeps other runs off its account × region (SPEC §7): the CLI passes its lock file,
   * a deployed worker its DynamoDB lease. A dry run changes nothing and takes neither.
   */
  readonly exclusive: Exclusive;
  /**
   * The journal of recent creates, kept beside `exclusive` (the lock file's directory, the lease's
   * table): a run right after another knows what that one made before EC2's listing shows it.
   */
  readonly memory?: TargetMemory;
  /** Default `Date.now`. */
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** How often a stopping or starting instance is looked at; default 5 s. */
  readonly pollMs?: number;
  /** Collection progress (has `resource`), then apply progress (has `done`). */
  readonly onProgress?: (event: CollectProgress | ApplyProgress) => void;
  /** The plan as soon as it is made, before anything of it is applied (the CLI prints it then). */
  readonly onPlan?: (plan: Plan) => void;
  /** Each result as it lands, give-backs included (the CLI prints them then). */
  readonly onResult?: (result: ActionResult) => void;
}

/**
 * Collect the inventory of the port's account × region (the snapshots of the configured policies
 * only: nothing else changes the plan) and plan it.
 *
 * @example const now = Date.now(); const { plan } = await planTarget(ec2, config, { now, runId: newRunId(now) });
 */
export async function planTarget(
  ec2: Ec2Port,
  config: Config,
  options: PlanTargetOptions,
): Promise<{ inventory: Inventory; plan: Plan; timings: Pick<RunTimings, 'collectMs' | 'planMs'> }> {
  const clock = performance.now.bind(performance);
  const collectStart = clock();
  const destinations = options.copiesOnly === true ? [] : copyDestinationsOf(config, ec2.region);
  const [collected, copyDestinations, vaultState] = await Promise.all([
    ec2.collectInventory({
      policyIds: config.policies.map((p) => p.id),
      ...(options.unmanaged === undefined ? {} : { unmanaged: options.unmanaged }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    }),
    listCopyDestinations(ec2, destinations),
    options.copiesOnly === true ? undefined : listVaultState(ec2, config),
  ]);
  const listed = {
    ...collected,
    ...(destinations.length === 0 ? {} : { copyDestinations }),
    ...vaultState,
  };
  const inventory = options.recall === undefined ? listed : await options.recall(listed);
  const planStart = clock();
  const guard: GuardLimit | undefined =
    options.maxDeletes === undefined
      ? config.settings.guard.maxDeletes
      : { kind: 'count', count: options.maxDeletes };
  const plan = planSnapshots(inventory, config.policies, {
    now: options.now,
    runId: options.runId,
    ...(guard === undefined ? {} : { guard }),
    ...(options.copiesOnly === true ? { copiesOnly: true } : {}),
    ...(options.drills === undefined ? {} : { drills: options.drills }),
  });
  return { inventory, plan, timings: { collectMs: planStart - collectStart, planMs: clock() - planStart } };
}

/**
 * Run one account × region: under its lock (skipped for a dry run, which changes nothing),
 * collect, plan and apply, then summarize. Throws `LockBusyError` when another run holds it.
 *
 * @example const report = await runTarget(ec2, config, { now, runId, exclusive, deadline: now + 10 * 60_000 });
 */
export async function runTarget(ec2: Ec2Port, config: Config, options: RunTargetOptions): Promise<RunReport> {
  const key = `${ec2.account}-${ec2.region}`;
  const remembering = {
    now: options.now,
    runId: options.runId,
    policyIds: config.policies.map((p) => p.id),
    dryRun: options.dryRun === true,
    clock: options.clock ?? Date.now,
  };
  const work = () =>
    withRunMemory(options.memory, key, remembering, (memory) => planAndApply(ec2, config, options, memory));
  if (options.dryRun === true) return work();
  return options.exclusive(key, work);
}

/** Runs `work` with the account × region `key` to itself, or throws (`LockBusyError`, ...). */
export type Exclusive = <T>(key: string, work: () => Promise<T>) => Promise<T>;

async function planAndApply(
  ec2: Ec2Port,
  config: Config,
  options: RunTargetOptions,
  memory: RunMemory,
): Promise<RunReport> {
  const { onProgress } = options;
  const { inventory, plan, timings } = await planTarget(ec2, config, {
    now: options.now,
    runId: options.runId,
    recall: (collected) => memory.recall(collected),
    ...(options.copiesOnly === true ? { copiesOnly: true } : {}),
    ...(options.maxDeletes === undefined ? {} : { maxDeletes: options.maxDeletes }),
    ...(onProgress === undefined ? {} : { onProgress }),
  });
  options.onPlan?.(plan);
  const applyOptions: ApplyOptions = {
    dryRun: options.dryRun === true,
    clock: options.clock ?? Date.now,
    sleep: options.sleep ?? sleepFor,
    ...(options.only === undefined ? {} : { only: options.only }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    ...(onProgress === undefined ? {} : { onProgress }),
    onResult: (result) => {
      memory.record(result);
      options.onResult?.(result);
    },
  };
  const applyStart = performance.now();
  const waiting = {
    clock: applyOptions.clock ?? Date.now,
    sleep: applyOptions.sleep ?? sleepFor,
    pollMs: options.pollMs ?? STOP_POLL_MS,
  };
  const recovered = { runId: options.runId, dryRun: options.dryRun === true };
  // Crashed runs' instances first (SPEC §6, §15): stopped ones given back, frozen ones thawed.
  const [recovery, thaws] = await Promise.all([
    finishCrashedRuns(ec2.instances, inventory, waiting, recovered),
    thawCrashedRuns(
      ec2.ssmUnbounded,
      ec2.instances,
      inventory,
      { ...waiting, pollMs: Math.min(waiting.pollMs, SCRIPT_POLL_MS) },
      { ...recovered, policies: config.policies },
    ),
  ]);
  for (const result of [...recovery.results, ...thaws.results]) options.onResult?.(result);
  // Drills spend other EC2 calls than snapshots do: both go at once.
  const [applied, drills] = await Promise.all([
    applyPlan(plan, ec2, applyOptions, inventory),
    options.dryRun === true
      ? []
      : runDrills(ec2, config, plan, inventory, {
          ...waiting,
          now: options.now,
          runId: options.runId,
          start: options.only === undefined,
          ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        }),
  ]);
  const deadlineReached = applied.deadlineReached || drills.some((d) => d.status === 'deferred');
  const { givenBack } = recovery;
  const { thawed } = thaws;
  const warnings = [...recovery.warnings, ...thaws.warnings];
  const results = [...recovery.results, ...thaws.results, ...applied.results, ...drillResults(drills)];
  return {
    plan: warnings.length === 0 ? plan : { ...plan, warnings: [...plan.warnings, ...warnings] },
    results,
    timings: { ...timings, applyMs: performance.now() - applyStart },
    summary: summarizeResults(results),
    deadlineReached,
    dryRun: options.dryRun === true,
    ...(options.only === undefined ? {} : { only: options.only }),
    ...(givenBack.length === 0 ? {} : { givenBack }),
    ...(thawed.length === 0 ? {} : { thawed }),
    ...(applied.freezes === undefined ? {} : { freezes: applied.freezes }),
    ...(drills.length === 0 ? {} : { drills }),
  };
}

/** Counts of a run's results by outcome. */
export function summarizeResults(results: readonly ActionResult[]): RunSummary {
  const count = (test: (r: ActionResult) => boolean): number => results.filter(test).length;
  return {
    created: count((r) => r.action === 'create' && r.status === 'done'),
    copied: count((r) => r.action === 'copy' && r.status === 'done'),
    deleted: count((r) => r.action === 'delete' && r.status === 'done'),
    failed: count((r) => r.status === 'failed'),
    deferred: count((r) => r.status === 'deferred'),
    skipped: count((r) => r.status === 'skipped'),
  };
}

/**
 * True when the run must exit 1: an action failed, or the plan stopped its deletes (guard,
 * unverified delete safety) — except with `only: 'snapshot'`, which deletes nothing anyway.
 */
export function hasFailures(report: RunReport): boolean {
  if (report.results.some((r) => r.status === 'failed')) return true;
  if (report.givenBack?.some((g) => g.error !== undefined)) return true;
  if (report.thawed?.some((t) => t.error !== undefined)) return true;
  if (report.plan.copiesHeld !== undefined && report.only !== 'clean') return true;
  return stoppedDeletes(report.plan) && report.only !== 'snapshot';
}

/**
 * A run id: the run's time to the second, sortable, and 6 random hex digits. Give it the run's
 * plan `now` (`--now` when given), never a second reading of the clock: the planner counts the
 * run's snapshots from this time for the schedule, so a later time would make them look newer
 * than the plan that made them, and the wall clock under `--now` would make them look older.
 *
 * @example newRunId(Date.parse('2026-11-25T17:03:12Z')) // '20261125T170312Z-3f9a2c'
 */
export function newRunId(now: number, random: () => number = Math.random): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const suffix = Math.floor(random() * 0x1000000)
    .toString(16)
    .padStart(6, '0');
  return `${stamp}-${suffix}`;
}
