/**
 * Snapshot locks of a run (SPEC §14): each new snapshot or copy whose action carries a lock is
 * locked as soon as its create or copy is accepted (EC2 locks a `pending` snapshot; the lock's
 * clock starts once it completes), and the plan's `lock.missing` actions lock what earlier runs
 * left unlocked. A lock that fails leaves the snapshot as it is — never deleted for it — and is a
 * failed `lock` result; the next run plans it again.
 */
import type { CopyAction, CreateAction, LockAction, LockIntent } from '../../../core/actions.js';
import type { SnapshotId, VolumeId } from '../../../core/model.js';
import { type ErrorInfo, errorInfoOf } from '../../kit/classify-error.js';
import { runPool } from '../../kit/pool.js';
import { type ApplyContext, deadlineError, isPastDeadline, wasCancelled } from '../apply-context.js';
import type { ActionResult } from '../results.js';

/** What is locked, where, and why (the action it comes from). */
export interface LockJob {
  readonly policy: string;
  readonly account: string;
  /** Where the snapshot is. */
  readonly region: string;
  readonly volumeId?: VolumeId;
  readonly snapshotId: SnapshotId;
  readonly lock: LockIntent;
  /** Lock through this call instead of the port's (a vault's copy, locked as the vault). */
  readonly through?: (id: SnapshotId, lock: LockIntent) => Promise<void>;
}

/** The locks of one `applyPlan` call; their results come after the plan's own. */
export class LockLane {
  private readonly inFlight: Promise<void>[] = [];
  private readonly settled: ActionResult[] = [];

  constructor(
    private readonly context: ApplyContext,
    private readonly report: (result: ActionResult) => void,
  ) {}

  /** A create or a copy (not a vault's) was accepted: lock what it made, now, when it asks to be. */
  landed(action: CreateAction | CopyAction, result: ActionResult): void {
    if (action.lock === undefined || result.status !== 'done' || result.snapshotId === undefined) return;
    if (action.action === 'copy' && action.vault !== undefined) return;
    this.start({
      policy: action.policy,
      account: action.account,
      region: action.region,
      volumeId: action.volumeId,
      snapshotId: result.snapshotId,
      lock: action.lock,
    });
  }

  /** Lock one snapshot (its result comes with the lane's). */
  start(job: LockJob): void {
    this.inFlight.push(this.lockOne(job));
  }

  /** The plan's `lock.missing` actions, `concurrency` at a time. */
  async planned(actions: readonly LockAction[], concurrency: number): Promise<void> {
    await runPool(actions, concurrency, (action) =>
      this.lockOne({
        policy: action.policy,
        account: action.account,
        region: action.region,
        ...(action.volumeId === undefined ? {} : { volumeId: action.volumeId }),
        snapshotId: action.snapshotId,
        lock: action.lock,
      }),
    );
  }

  /** Wait for every lock started so far; then their results, in the order they settled. */
  async drain(): Promise<ActionResult[]> {
    while (this.inFlight.length > 0) await Promise.all(this.inFlight.splice(0));
    return this.settled;
  }

  private async lockOne(job: LockJob): Promise<void> {
    if (isPastDeadline(this.context)) return this.settle(job, 'deferred', deadlineError());
    const locks = this.context.ec2.locks;
    if (job.through === undefined && locks === undefined) return this.settle(job, 'failed', UNAVAILABLE);
    try {
      await (job.through ?? ((id, lock) => locks!.lock(job.region, id, lock)))(job.snapshotId, job.lock);
      this.settle(job, 'done');
    } catch (error) {
      if (wasCancelled(error, this.context)) return this.settle(job, 'deferred', deadlineError());
      const { code, message } = errorInfoOf(error);
      this.settle(job, 'failed', {
        code,
        message: `${message} (the snapshot stays unlocked until a later run locks it)`,
      });
    }
  }

  private settle(job: LockJob, status: ActionResult['status'], error?: ErrorInfo): void {
    const result: ActionResult = {
      action: 'lock',
      policy: job.policy,
      account: job.account,
      region: job.region,
      ...(job.volumeId === undefined ? {} : { volumeId: job.volumeId }),
      snapshotId: job.snapshotId,
      status,
      ...(error === undefined ? {} : { error }),
    };
    this.settled.push(result);
    this.report(result);
  }
}

const UNAVAILABLE: ErrorInfo = {
  code: 'LocksUnavailable',
  message: 'this target cannot lock snapshots (no lock port)',
};
