/**
 * The pure planner: inventory + policies + now → plan (SPEC §4).
 *
 * Shape of the work, chosen for a million snapshots: one sequential pass groups snapshots by
 * series into typed arrays (series.ts), each series is sorted once, everything that depends only
 * on a policy (selection, cron slots, reasons, tag context) is prepared once per policy, and
 * actions come out already in their final order, so the plan is never sorted as a whole.
 */
import type { Plan, PlanAction, Reason } from './actions.js';
import { archiveHolds } from './archive.js';
import { applyGuard, holdDeletes } from './guard.js';
import type { Inventory, VolumeId } from './model.js';
import { describeOverlaps } from './overlaps.js';
import { createAction, skipAction, summarize } from './plan-actions.js';
import type { GuardLimit, Policy } from './policy/types.js';
import {
  DELETE_CODES,
  decideRetention,
  type Protections,
  prepareRetention,
  type RetentionRules,
} from './retention.js';
import { decideDue, prepareSchedule } from './schedule.js';
import {
  compileSelection,
  type InventoryIndex,
  indexInventory,
  type SelectedVolume,
  selectVolumes,
} from './select.js';
import { FLAG, groupSnapshots, type PolicySeries, type SeriesTable, sortSeries } from './series.js';
import type { TagContext } from './tags.js';
import { type Warning, warning } from './warnings.js';

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
  readonly table: SeriesTable;
  /** Every volume id of the inventory or of a series, sorted once for all policies. */
  readonly volumeKeys: readonly string[];
  readonly options: PlanOptions;
  readonly date: string;
  readonly actions: PlanAction[];
  readonly warnings: Warning[];
  /** Scratch array for retention reasons, reused by every series. */
  readonly reasons: Reason[];
  /** Volume id → the policies that select it, to report volumes in more than one series. */
  readonly selectedBy: Map<string, string[]>;
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
  const warnings: Warning[] = [];
  const byId = uniquePolicies(policies, warnings);
  const protections = collectProtections(inventory, options.now);
  const table = groupSnapshots(
    inventory,
    byId,
    new Set(protections.ami.keys()),
    new Set(protections.archive.keys()),
  );
  const context: Context = {
    inventory,
    index: indexInventory(inventory),
    protections,
    table,
    volumeKeys: sortVolumeKeys(inventory, table),
    options,
    date: nowIso.slice(0, 10),
    actions: [],
    warnings,
    reasons: [],
    selectedBy: new Map(),
  };
  for (const id of [...byId.keys()].sort()) {
    planPolicy(context, byId.get(id)!, table.byPolicy.get(id)!);
  }
  for (const action of table.unowned) context.actions.push(action);
  warnings.push(...table.warnings, ...describeOverlaps(context.selectedBy));
  const deletesHeld = holdDeletes(context.actions, inventory.gaps);
  if (deletesHeld !== undefined) {
    warnings.push(warning('plan.deletes-held', `nothing deleted: could not read ${deletesHeld.join(', ')}`));
  }
  const guard = applyGuard(context.actions, options.guard, table.managed);
  if (guard?.tripped) {
    warnings.push(
      warning(
        'plan.guard',
        `guard tripped: ${guard.wanted} deletes wanted, limit ${guard.limit}; nothing deleted`,
      ),
    );
  }
  return {
    account: inventory.account,
    region: inventory.region,
    now: nowIso,
    runId: options.runId,
    actions: context.actions,
    ...(guard ? { guard } : {}),
    ...(deletesHeld ? { deletesHeld } : {}),
    warnings,
    summary: summarize(context.actions),
  };
}

function sortVolumeKeys(inventory: Inventory, table: SeriesTable): string[] {
  const keys = new Set<string>();
  for (const v of inventory.volumes) keys.add(v.id);
  for (const series of table.byPolicy.values()) for (const key of series.own.keys()) keys.add(key);
  return [...keys].sort();
}

function uniquePolicies(policies: readonly Policy[], warnings: Warning[]): Map<string, Policy> {
  const byId = new Map<string, Policy>();
  for (const p of policies) {
    if (byId.has(p.id))
      warnings.push(
        warning('plan.duplicate-policy', `policy ${p.id}: defined twice; the first definition is used`),
      );
    else byId.set(p.id, p);
  }
  return byId;
}

function collectProtections(inventory: Inventory, now: number) {
  const images = new Map<string, string[]>();
  for (const image of inventory.images) {
    for (const id of image.snapshotIds) images.set(id, [...(images.get(id) ?? []), image.id]);
  }
  const ami = new Map<string, Reason>();
  for (const [id, imageIds] of images) {
    // Sorted, so the message does not depend on the order images were listed in.
    ami.set(id, { code: 'protected.ami', message: `referenced by AMI ${imageIds.sort().join(', ')}` });
  }
  return { ami, archive: archiveHolds(inventory.snapshots, now) } satisfies Protections;
}

function planPolicy(context: Context, policy: Policy, series: PolicySeries): void {
  const { inventory, index, options, warnings } = context;
  const selection = compileSelection(policy.select);
  for (const problem of selection.problems)
    warnings.push(warning('plan.selection', `policy ${policy.id}: ${problem}; selects nothing`));
  const targets = selectVolumes(selection, index);
  if (targets.length === 0 && selection.problems.length === 0) {
    warnings.push(warning('plan.selects-nothing', `policy ${policy.id}: selects no volume`));
  }
  const clock = prepareSchedule(policy.schedule, options.now);
  if (clock.problem !== undefined)
    warnings.push(warning('plan.schedule', `policy ${policy.id}: ${clock.problem}`));
  const zone = policy.schedule.kind === 'cron' ? policy.schedule.timezone : 'UTC';
  const rules = prepareRetention(policy.retention, zone, options.now);
  const { maxAgeMs } = policy.retention;
  const tagContext: TagContext = {
    runId: options.runId,
    date: context.date,
    ...(maxAgeMs !== undefined ? { expiresAt: new Date(options.now + maxAgeMs).toISOString() } : {}),
  };
  const byVolume = new Map<string, SelectedVolume>();
  for (const t of targets) {
    byVolume.set(t.volume.id, t);
    const policies = context.selectedBy.get(t.volume.id);
    if (policies === undefined) context.selectedBy.set(t.volume.id, [policy.id]);
    else policies.push(policy.id);
  }
  for (const key of context.volumeKeys) {
    const k = series.own.get(key);
    if (k === undefined && !byVolume.has(key)) continue;
    if (k !== undefined) sortSeries(context.table, k);
    const target = byVolume.get(key);
    if (target) {
      const decision = decideDue(clock, k === undefined ? undefined : latestScheduled(context.table, k));
      context.actions.push(
        decision.due
          ? createAction(inventory, policy, target, tagContext, decision.reason)
          : skipAction(inventory, policy.id, key as VolumeId, decision.reason),
      );
    }
    if (k !== undefined) judgeSeries(context, policy.id, key, k, rules, !index.volumes.has(key));
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
    const k = series.copies.get(key)!;
    sortSeries(context.table, k);
    judgeSeries(context, policy.id, key, k, rules, false);
  }
}

function judgeSeries(
  context: Context,
  policy: string,
  key: string,
  k: number,
  rules: RetentionRules,
  orphan: boolean,
): void {
  const { reasons, actions, table } = context;
  const { account, region } = context.inventory;
  decideRetention(rules, table, k, context.protections, orphan, reasons);
  const volumeId = key as VolumeId;
  const from = table.bounds[k]!;
  const to = table.bounds[k + 1]!;
  for (let p = from; p < to; p++) {
    const reason = reasons[p - from]!;
    const snapshotId = table.ids[p]!;
    const deletes = DELETE_CODES.has(reason.code);
    // One object shape for keeps and deletes keeps the million-action loop monomorphic.
    actions.push(
      key === ''
        ? { action: deletes ? 'delete' : 'keep', policy, account, region, snapshotId, reason }
        : { action: deletes ? 'delete' : 'keep', policy, account, region, volumeId, snapshotId, reason },
    );
  }
}

/**
 * The latest time a snapshot of the series (not in error) counts for on the schedule: usually its
 * newest one's start, earlier when the run that made it started earlier (see `scheduled`).
 */
function latestScheduled(table: SeriesTable, k: number): number | undefined {
  let latest: number | undefined;
  for (let p = table.bounds[k]!; p < table.bounds[k + 1]!; p++) {
    if ((table.flags[p]! & FLAG.stateMask) === FLAG.error) continue;
    const time = table.scheduled[p]!;
    if (latest === undefined || time > latest) latest = time;
  }
  return latest;
}
