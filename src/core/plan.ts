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
import {
  type CopyContext,
  type CopyPlanning,
  copyIntentsFor,
  planSeriesCopies,
  prepareCopies,
  unlistedDestinations,
} from './copy-plan.js';
import { type DrillJudgement, judgeDrills } from './drills/in-flight.js';
import { type DrillCandidate, drillCandidate, planPolicyDrills } from './drills/plan-drills.js';
import { protectDrilled } from './drills/protect.js';
import { applyGuard, holdDeletes } from './guard.js';
import { lockForNew } from './locks/lock-dates.js';
import { planLocks } from './locks/plan-locks.js';
import type { Inventory, Volume, VolumeId } from './model.js';
import { describeOverlaps } from './overlaps.js';
import { createAction, skipAction, summarize } from './plan-actions.js';
import type { GuardLimit, Policy, Retention } from './policy/types.js';
import { annotateBinDays } from './recycle-bin/annotate.js';
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
import { describeInstanceSet, type InstanceSet } from './set-tags.js';
import type { TagContext } from './tags.js';
import { planUnshares } from './vault/unshare-plan.js';
import {
  planSeriesVaultCopies,
  prepareVaults,
  unlistedVaults,
  type VaultPlanning,
} from './vault/vault-plan.js';
import { isVaultCopy, keepVaultSeries, seriesTags, vaultTargetOf } from './vault/vault-series.js';
import { type Warning, warning } from './warnings.js';

/** Options of one planning call. */
export interface PlanOptions {
  /** Epoch milliseconds: the planner never reads the clock. */
  readonly now: number;
  /** Recorded on every snapshot created (`ebs-snapper:run-id`). */
  readonly runId: string;
  /** `settings.guard.max_deletes`; no guard when undefined. */
  readonly guard?: GuardLimit;
  /**
   * Plan only the copies made into this region (`copy_to`): a destination region that is not
   * itself a target of the run still has its copies' retention applied, and nothing else.
   */
  readonly copiesOnly?: boolean;
  /** `ebs-snapper drill`: start drills due or not (`force`), of one policy, or of one snapshot. */
  readonly drills?: { readonly force?: boolean; readonly policyId?: string; readonly snapshotId?: string };
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
  readonly copies: CopyPlanning;
  /** The restore drills in flight (volumes carrying the tool's drill tags). */
  readonly drills: DrillJudgement;
  /** Vault destinations' copies and budgets (`copy_to` with an `account`, SPEC §14). */
  readonly vaults: VaultPlanning;
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
  const drills = judgeDrills(inventory, options.runId);
  // A drill volume is the tool's own scratch volume: no policy selects it.
  const selectable =
    drills.volumeIds.size === 0
      ? inventory
      : { ...inventory, volumes: inventory.volumes.filter((v) => !drills.volumeIds.has(v.id)) };
  const table = groupSnapshots(
    inventory,
    byId,
    new Set(protections.ami.keys()),
    new Set(protections.archive.keys()),
    { now: options.now, runId: options.runId },
  );
  const context: Context = {
    inventory,
    index: indexInventory(selectable),
    protections,
    table,
    volumeKeys: sortVolumeKeys(selectable, table),
    options,
    date: nowIso.slice(0, 10),
    actions: [],
    warnings,
    reasons: [],
    selectedBy: new Map(),
    copies: prepareCopies(inventory),
    drills,
    vaults: prepareVaults(inventory),
  };
  for (const id of [...byId.keys()].sort()) {
    planPolicy(context, byId.get(id)!, table.byPolicy.get(id)!);
  }
  for (const action of table.unowned) context.actions.push(action);
  // SPEC §14: locks still missing on what the plan keeps, shares a vault no longer needs.
  for (const lock of planLocks(inventory, byId, context.actions, options.now, warnings))
    context.actions.push(lock);
  for (const unshare of planUnshares(inventory, byId, context.actions, warnings))
    context.actions.push(unshare);
  warnings.push(...table.warnings, ...describeOverlaps(context.selectedBy), ...drills.warnings);
  const deletesHeld = holdDeletes(context.actions, inventory.gaps);
  if (deletesHeld !== undefined) {
    warnings.push(warning('plan.deletes-held', `nothing deleted: could not read ${deletesHeld.join(', ')}`));
  }
  const copiesHeld = unlistedDestinations(inventory);
  if (copiesHeld !== undefined) {
    warnings.push(
      warning('plan.copies-held', `no copy made to ${copiesHeld.join(', ')}: its copies could not be listed`),
    );
  }
  const vaultsHeld = unlistedVaults(inventory);
  if (vaultsHeld !== undefined) {
    warnings.push(
      warning(
        'plan.vaults-held',
        `no copy made to vault ${vaultsHeld.join(', ')}: its copies could not be listed`,
      ),
    );
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
  annotateBinDays(inventory, context.actions, warnings);
  return {
    account: inventory.account,
    region: inventory.region,
    now: nowIso,
    runId: options.runId,
    actions: context.actions,
    ...(guard ? { guard } : {}),
    ...(deletesHeld ? { deletesHeld } : {}),
    ...(copiesHeld ? { copiesHeld } : {}),
    ...(vaultsHeld ? { vaultsHeld } : {}),
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
  const zone = policy.schedule.kind === 'cron' ? policy.schedule.timezone : 'UTC';
  if (options.copiesOnly === true) {
    planCopies(context, policy, series, zone);
    return;
  }
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
  const rules = prepareRetention(policy.retention, zone, options.now);
  const { maxAgeMs } = policy.retention;
  const tagContext: TagContext = {
    runId: options.runId,
    date: context.date,
    ...(maxAgeMs !== undefined ? { expiresAt: new Date(options.now + maxAgeMs).toISOString() } : {}),
  };
  const sets = policy.snapshot.consistency === 'volume' ? undefined : instanceSets(targets);
  const copyTo = copyIntentsFor(context.copies, policy, options.now);
  const drilled = policy.drill !== undefined && drillsWanted(options, policy.id);
  const candidates: DrillCandidate[] = [];
  const lock =
    policy.snapshot.lock === undefined
      ? undefined
      : lockForNew(policy.snapshot.lock, policy.retention, options.now);
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
    // The snapshot a "not due" decision counts on is kept, so no plan leaves a selected volume
    // without a snapshot until its next slot (a max_age shorter than the schedule, minimum 0).
    let reliedOn = -1;
    if (target) {
      const newest = k === undefined ? -1 : latestScheduledAt(context.table, k);
      const previousAt = newest < 0 ? undefined : context.table.scheduled[newest];
      const decision = decideDue(clock, previousAt);
      if (!decision.due) reliedOn = newest;
      if (decision.due) {
        const set = target.instance && sets?.get(target.instance.id);
        const create = createAction(inventory, policy, target, tagContext, decision.reason, set);
        context.actions.push({
          ...create,
          ...(previousAt === undefined ? {} : { previousAt }),
          ...(copyTo.length === 0 ? {} : { copyTo }),
          ...(lock === undefined ? {} : { lock }),
        });
      } else {
        context.actions.push(skipAction(inventory, policy.id, key as VolumeId, decision.reason));
      }
    }
    if (k === undefined) continue;
    judgeSeries(context, policy.id, key, k, rules, !index.volumes.has(key), reliedOn);
    if (drilled && target !== undefined) {
      const { table, reasons, drills } = context;
      candidates.push(
        drillCandidate(table, k, reasons, inventory.snapshots, target.volume, drills, options.now),
      );
    }
    if (policy.copyTo.length > 0) planSeriesCopies(copyContext(context), policy, key, k);
    if (policy.vaultTo !== undefined)
      planSeriesVaultCopies(copyContext(context), context.vaults, policy, key, k);
  }
  if (drilled) {
    const planned = planPolicyDrills(inventory, policy, candidates, context.drills, {
      now: options.now,
      runId: options.runId,
      ...(options.drills?.force === true ? { force: true } : {}),
      ...(options.drills?.snapshotId === undefined ? {} : { snapshotId: options.drills.snapshotId }),
    });
    context.actions.push(...planned.actions);
    warnings.push(...planned.warnings);
  }
  planCopies(context, policy, series, zone);
}

/** Does this plan start drills of `policy` (a `drill --policy` plan starts only that one's)? */
function drillsWanted(options: PlanOptions, policy: string): boolean {
  const only = options.drills?.policyId;
  return only === undefined || only === policy;
}

function copyContext(context: Context): CopyContext {
  const { inventory, table, copies, actions, options, reasons } = context;
  return { inventory, table, copies, actions, reasons, now: options.now, runId: options.runId };
}

/** The selected volumes of each instance, summarized for the tags of `consistency: instance` (and `application`) sets. */
function instanceSets(targets: readonly SelectedVolume[]): Map<string, InstanceSet> {
  const volumes = new Map<string, Volume[]>();
  for (const { instance, volume } of targets) {
    if (instance === undefined) continue;
    const list = volumes.get(instance.id);
    if (list === undefined) volumes.set(instance.id, [volume]);
    else list.push(volume);
  }
  return new Map([...volumes].map(([id, list]) => [id, describeInstanceSet(list)]));
}

/**
 * Copies made into this region by `copy_to` follow that target's retention; never orphans here.
 * Vault copies made into this account (SPEC §14) follow their vault target's, or are kept whole
 * when no target sends copies here any more.
 */
function planCopies(context: Context, policy: Policy, series: PolicySeries, zone: string): void {
  if (series.copies.size === 0) return;
  const { inventory, table, options } = context;
  const retention = policy.copyTo.find((t) => t.region === inventory.region)?.retention ?? policy.retention;
  const rules = prepareRetention(retention, zone, options.now);
  const vaultRules = new Map<Retention, RetentionRules>();
  for (const key of [...series.copies.keys()].sort()) {
    const k = series.copies.get(key)!;
    sortSeries(table, k);
    const tags = seriesTags(inventory, table, k);
    if (!isVaultCopy(tags, inventory.account)) {
      judgeSeries(context, policy.id, key, k, rules, false);
      continue;
    }
    const target = vaultTargetOf(policy, inventory, tags);
    if (target === undefined) {
      keepVaultSeries(inventory, table, policy.id, key, k, context.actions);
      continue;
    }
    let own = vaultRules.get(target.retention);
    if (own === undefined) {
      own = prepareRetention(target.retention, zone, options.now);
      vaultRules.set(target.retention, own);
    }
    judgeSeries(context, policy.id, key, k, own, false);
  }
}

function judgeSeries(
  context: Context,
  policy: string,
  key: string,
  k: number,
  rules: RetentionRules,
  orphan: boolean,
  reliedOn = -1,
): void {
  const { reasons, actions, table } = context;
  const { account, region } = context.inventory;
  decideRetention(rules, table, k, context.protections, orphan, reasons);
  const volumeId = key as VolumeId;
  const from = table.bounds[k]!;
  if (reliedOn >= 0 && DELETE_CODES.has(reasons[reliedOn - from]!.code)) {
    reasons[reliedOn - from] = rules.reasons.schedule;
  }
  const to = table.bounds[k + 1]!;
  if (context.drills.underDrill.size > 0) protectDrilled(table, from, to, reasons, context.drills.underDrill);
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
 * The position of the snapshot (not in error) that counts latest on the schedule, -1 if none:
 * usually the newest, but a snapshot counts from the start of the run that made it (`scheduled`).
 */
function latestScheduledAt(table: SeriesTable, k: number): number {
  let latest = -1;
  for (let p = table.bounds[k]!; p < table.bounds[k + 1]!; p++) {
    if ((table.flags[p]! & FLAG.stateMask) === FLAG.error) continue;
    if (latest < 0 || table.scheduled[p]! > table.scheduled[latest]!) latest = p;
  }
  return latest;
}

/**
 * The latest time a snapshot of the series counts for on the schedule (what `decideDue` is
 * given); reports ask it too, so their "next due" is the planner's.
 */
export function latestScheduled(table: SeriesTable, k: number): number | undefined {
  const p = latestScheduledAt(table, k);
  return p < 0 ? undefined : table.scheduled[p];
}
