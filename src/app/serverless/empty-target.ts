/**
 * When a work item's account × region is empty (SPEC §16): nothing selected and nothing managed,
 * decided from two small pages instead of a full collection, so that most of an organization's
 * targets — regions nobody uses — cost two calls and one record. Only what is proven empty is:
 * anything unsure is worked on in full, as before.
 */
import type { Plan } from '../../core/actions.js';
import type { TargetGlance } from '../kit/ports.js';
import type { RunReport } from '../run/results.js';
import type { WorkItem } from './ports.js';

/** Whether a target may be left at its glance, and if not, why. */
export type EmptyVerdict =
  | { readonly empty: true }
  | {
      readonly empty: false;
      readonly why: string;
      /**
       * Both pages held all there is (no NextToken): the target is small enough to be worked on
       * beside others in the same invocation, with little memory and a short run.
       */
      readonly small?: boolean;
    };

/**
 * Empty only when neither page found anything and neither said there is more. Any volume makes a
 * target worth a run: a volume a policy selects, a drill volume in flight, a volume of an instance
 * a crashed run left stopped or frozen. Any snapshot of a configured policy does too: retention
 * may have to delete it, even with no volume left (orphans, copies, vault copies). A continuation
 * is never empty: its invocation before it left work.
 *
 * @example verdictOf(item, { volumes: { seen: 0, more: false }, managedSnapshots: { seen: 0, more: false } }) // { empty: true }
 */
export function verdictOf(item: WorkItem, glance: TargetGlance | undefined): EmptyVerdict {
  if (item.continuation > 0) return { empty: false, why: `continuation ${item.continuation}: work was left` };
  if (glance === undefined) return { empty: false, why: 'not looked at' };
  const { volumes, managedSnapshots } = glance;
  const small = !volumes.more && !managedSnapshots.more;
  if (volumes.seen > 0) return { empty: false, why: 'it has volumes', small };
  if (managedSnapshots.seen > 0)
    return { empty: false, why: 'it has snapshots of the configured policies', small };
  if (volumes.more || managedSnapshots.more)
    return { empty: false, why: 'an empty page with more to come proves nothing' };
  return { empty: true };
}

/**
 * The report of an empty target: no action, nothing deferred — what a full run of it would have
 * reported, without its timings (nothing was collected).
 */
export function emptyReportOf(item: WorkItem, now: number): RunReport {
  const plan: Plan = {
    account: item.account,
    region: item.region,
    now: new Date(now).toISOString(),
    runId: item.run_id,
    actions: [],
    warnings: [],
    summary: { create: 0, copy: 0, delete: 0, keep: 0, skip: 0 },
  };
  return {
    plan,
    results: [],
    summary: { created: 0, copied: 0, deleted: 0, failed: 0, deferred: 0, skipped: 0 },
    deadlineReached: false,
    dryRun: false,
  };
}
