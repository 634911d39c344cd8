/**
 * The pure planner: inventory + policies + now → plan (SPEC §4).
 *
 * Shape of the work, chosen for a million snapshots: one pass groups snapshots by series
 * (policy → volume → snapshots), each series is sorted once, everything that depends only on a
 * policy (selection, cron slots, reasons, tag context) is prepared once per policy, and actions
 * come out already in their final order, so the plan is never sorted as a whole.
 */
import type { CreateAction, Plan, PlanAction, PlanSummary, Reason } from './actions.js';
import { applyGuard } from './guard.js';
import type { InstanceId, Inventory, Snapshot, VolumeId } from './model.js';
import type { GuardLimit, Policy } from './policy/types.js';
import { decideRetention, type Protections, prepareRetention, type RetentionRules } from './retention.js';
import { decideDue, prepareSchedule } from './schedule.js';
import {
  compileSelection,
  type InventoryIndex,
  indexInventory,
  selectTargets,
  type Target,
} from './select.js';
import { groupSnapshots, type PolicySeries } from './series.js';
import { labelSnapshot, type TagContext } from './tags.js';

/** Options of one planning call. */
export interface PlanOptions {
  /** Epoch milliseconds: the planner never reads the clock. */
  readonly now: number;
  /** Recorded on every snapshot created (`ebs-snapper:run-id`). */
  readonly runId: string;
  /** `settings.guard.max_deletes`; no guard when undefined. */
  readonly guard?: GuardLimit;
}

/** What every policy's planning shares. */
interface Context {
  readonly inventory: Inventory;
  readonly index: InventoryIndex;
  readonly protections: Protections;
  readonly options: PlanOptions;
  readonly date: string;
  readonly actions: PlanAction[];
  readonly warnings: string[];
  /** Scratch array for retention reasons, reused by every series. */
  readonly reasons: Reason[];
}

/**
 * Plan one account × region: a create or skip for every selected volume of every policy, a
 * keep or delete for every snapshot, each with a reason.
 *
 * @example
 * const plan = planSnapshots(inventory, config.policies, { now: Date.parse('2024-05-01T03:00:00Z'), runId: 'r-1' });
 * plan.actions.filter((a) => a.action === 'delete');
 */
export function planSnapshots(inventory: Inventory, policies: readonly Policy[], options: PlanOptions): Plan {
  const nowIso = new Date(options.now).toISOString();
  const context: Context = {
    inventory,
    index: indexInventory(inventory),
    protections: collectProtections(inventory),
    options,
    date: nowIso.slice(0, 10),
    actions: [],
    warnings: [],
    reasons: [],
  };
  const byId = uniquePolicies(policies, context.warnings);
  const grouped = groupSnapshots(inventory, byId);
  for (const id of [...byId.keys()].sort()) {
    planPolicy(context, byId.get(id)!, grouped.series.get(id)!);
  }
  context.actions.push(...grouped.unowned);
  context.warnings.push(...grouped.warnings);
  const guard = applyGuard(context.actions, options.guard, grouped.managed);
  if (guard?.tripped) {
    context.warnings.push(
      `guard tripped: ${guard.wanted} deletes wanted, limit ${guard.limit}; nothing deleted`,
    );
  }
  return {
    account: inventory.account,
    region: inventory.region,
    now: nowIso,
    runId: options.runId,
    actions: context.actions,
    ...(guard ? { guard } : {}),
    warnings: context.warnings,
    summary: summarize(context.actions),
  };
}

function uniquePolicies(policies: readonly Policy[], warnings: string[]): Map<string, Policy> {
  const byId = new Map<string, Policy>();
  for (const p of policies) {
    if (byId.has(p.id)) warnings.push(`policy ${p.id}: defined twice; the first definition is used`);
    else byId.set(p.id, p);
  }
  return byId;
}

function collectProtections(inventory: Inventory): Protections {
  const ami = new Map<string, Reason>();
  for (const image of inventory.images) {
    for (const id of image.snapshotIds) {
      ami.set(id, { code: 'protected.ami', message: `referenced by AMI ${image.id}` });
    }
  }
  return { ami };
}

function planPolicy(context: Context, policy: Policy, series: PolicySeries): void {
  const { inventory, index, options, warnings } = context;
  const selection = compileSelection(policy.select);
  for (const problem of selection.problems) warnings.push(`policy ${policy.id}: ${problem}; selects nothing`);
  const targets = selectTargets(selection, index);
  if (targets.length === 0 && selection.problems.length === 0) {
    warnings.push(`policy ${policy.id}: selects no volume`);
  }
  const clock = prepareSchedule(policy.schedule, options.now);
  if (clock.problem !== undefined) warnings.push(`policy ${policy.id}: ${clock.problem}`);
  const zone = policy.schedule.kind === 'cron' ? policy.schedule.timezone : 'UTC';
  const rules = prepareRetention(policy.retention, zone, options.now);
  const { maxAgeMs } = policy.retention;
  const tagContext: TagContext = {
    runId: options.runId,
    date: context.date,
    ...(maxAgeMs !== undefined ? { expiresAt: new Date(options.now + maxAgeMs).toISOString() } : {}),
  };
  const byVolume = new Map<string, Target>();
  for (const t of targets) byVolume.set(t.volume.id, t);
  const keys = new Set<string>(byVolume.keys());
  for (const key of series.own.keys()) keys.add(key);
  for (const key of [...keys].sort()) {
    const snapshots = sortSeries(series.own.get(key));
    const target = byVolume.get(key);
    if (target) {
      const decision = decideDue(clock, newestStart(snapshots));
      context.actions.push(
        decision.due
          ? createAction(context, policy, target, tagContext, decision.reason)
          : { ...seriesBase(inventory, policy, key), action: 'skip', reason: decision.reason },
      );
    }
    judgeSeries(context, policy.id, key, snapshots, rules, !index.volumes.has(key));
  }
  planCopies(context, policy, series, zone);
}

/** Copies made into this region by `copy_to` follow that target's retention; never orphans here. */
function planCopies(context: Context, policy: Policy, series: PolicySeries, zone: string): void {
  if (series.copies.size === 0) return;
  const { region } = context.inventory;
  const retention = policy.copyTo.find((t) => t.region === region)?.retention ?? policy.retention;
  const rules = prepareRetention(retention, zone, context.options.now);
  for (const key of [...series.copies.keys()].sort()) {
    judgeSeries(context, policy.id, key, sortSeries(series.copies.get(key)), rules, false);
  }
}

function judgeSeries(
  context: Context,
  policy: string,
  key: string,
  snapshots: readonly Snapshot[],
  rules: RetentionRules,
  orphan: boolean,
): void {
  if (snapshots.length === 0) return;
  const { reasons, actions } = context;
  const { account, region } = context.inventory;
  decideRetention(rules, snapshots, context.protections, orphan, reasons);
  const r = rules.reasons;
  const volumeId = key as VolumeId;
  for (let i = 0; i < snapshots.length; i++) {
    const reason = reasons[i]!;
    const snapshotId = snapshots[i]!.id;
    const deletes = reason === r.expired || reason === r.error || reason === r.orphanExpired;
    // One object shape for keeps and deletes keeps the million-action loop monomorphic.
    actions.push(
      key === ''
        ? { action: deletes ? 'delete' : 'keep', policy, account, region, snapshotId, reason }
        : { action: deletes ? 'delete' : 'keep', policy, account, region, volumeId, snapshotId, reason },
    );
  }
}

const EMPTY: readonly Snapshot[] = [];

function sortSeries(snapshots: Snapshot[] | undefined): readonly Snapshot[] {
  if (snapshots === undefined) return EMPTY;
  if (snapshots.length > 1) snapshots.sort(compareSnapshots);
  return snapshots;
}

/** Oldest first; the id breaks ties so equal start times still give one order. */
export function compareSnapshots(a: Snapshot, b: Snapshot): number {
  return a.startTime - b.startTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function newestStart(snapshots: readonly Snapshot[]): number | undefined {
  for (let i = snapshots.length - 1; i >= 0; i--) {
    const s = snapshots[i]!;
    if (s.state !== 'error') return s.startTime;
  }
  return undefined;
}

function seriesBase(inventory: Inventory, policy: Policy, key: string) {
  return {
    policy: policy.id,
    account: inventory.account,
    region: inventory.region,
    volumeId: key as VolumeId,
  };
}

function createAction(
  context: Context,
  policy: Policy,
  target: Target,
  tagContext: TagContext,
  reason: Reason,
): CreateAction {
  const { volume, instance, device } = target;
  const labels = labelSnapshot(policy, volume, instance, device, tagContext);
  // CreateSnapshots needs an instance: a detached volume is snapshotted on its own.
  const consistency = instance ? policy.snapshot.consistency : 'volume';
  return {
    action: 'create',
    ...seriesBase(context.inventory, policy, volume.id),
    ...(instance ? { instanceId: instance.id as InstanceId } : {}),
    ...(device !== undefined ? { device } : {}),
    consistency,
    tags: labels.tags,
    droppedTags: labels.droppedTags,
    description: labels.description,
    reason,
  };
}

function summarize(actions: readonly PlanAction[]): PlanSummary {
  const summary = { create: 0, delete: 0, keep: 0, skip: 0 };
  for (const a of actions) summary[a.action]++;
  return summary;
}
