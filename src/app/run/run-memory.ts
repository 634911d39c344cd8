/**
 * A run's use of the journal of recent creates (see recent-creates.ts): read it under the run's
 * exclusivity once the inventory is collected (not at all for a target with no volume and no
 * snapshot, which costs nothing more than its listings), add what the listing does not show yet
 * to the inventory, forget
 * what it shows, and record each create and copy as EC2 answers it — one write at a time, the
 * ones that arrive meanwhile coalesced into the next — so a run that dies midway has still
 * recorded what it made, and a run that fails or reaches its deadline records it all.
 *
 * The window this cannot cover: a create EC2 carried out whose answer never arrived, or a run
 * killed between EC2's answer and the write. Within a run the run-id lookup covers a lost answer
 * (apply-creates.ts); across runs only the listing does, once it catches up.
 */
import type { Inventory } from '../../core/model.js';
import { type Warning, warning } from '../../core/warnings.js';
import { errorInfoOf } from '../kit/classify-error.js';
import { type RecentCreate, recallRecentCreates } from './recent-creates.js';
import type { ActionResult, RunReport } from './results.js';

/**
 * What a run remembers of its account × region between runs, kept where its exclusivity is kept:
 * a file beside the CLI's lock file, an item of the deployment's table beside the worker's lease.
 */
export interface TargetMemory {
  /** The journal of `key` (`<account>-<region>`), opened for one run. */
  open(key: string): Promise<RecentJournal>;
}

/** One run's view of a journal; its calls are made one at a time. */
export interface RecentJournal {
  /** The entries as they were when it was opened. */
  readonly entries: readonly RecentCreate[];
  /** Add entries; they are stored when it resolves. */
  append(entries: readonly RecentCreate[]): Promise<void>;
  /** Forget the entries of these snapshots. */
  forget(snapshotIds: ReadonlySet<string>): Promise<void>;
}

export interface RunMemoryOptions {
  readonly now: number;
  readonly runId: string;
  readonly policyIds: readonly string[];
  /** Read, never write. */
  readonly dryRun: boolean;
  /** When EC2 answered a create: the entry's `startedAt`. */
  readonly clock: () => number;
}

/**
 * Run `work` with the journal of `key` open; record what it made, then add any trouble with the
 * journal to the report's warnings (it never fails the run: a journal that cannot be read or
 * written only risks a second snapshot, never a missed or a wrong delete).
 *
 * @example const report = await withRunMemory(memory, '111122223333-eu-west-1', options, (m) => planAndApply(m));
 */
export async function withRunMemory(
  memory: TargetMemory | undefined,
  key: string,
  options: RunMemoryOptions,
  work: (memory: RunMemory) => Promise<RunReport>,
): Promise<RunReport> {
  const run = new RunMemory(memory, key, options);
  let report: RunReport;
  try {
    report = await work(run);
  } finally {
    await run.close();
  }
  if (run.warnings.length === 0) return report;
  return { ...report, plan: { ...report.plan, warnings: [...report.plan.warnings, ...run.warnings] } };
}

/** The journal during one run. */
export class RunMemory {
  readonly warnings: Warning[] = [];
  private journal: RecentJournal | undefined;
  private forgetting: Set<string> | undefined;
  private readonly buffer: RecentCreate[] = [];
  private writing: Promise<void> | undefined;
  private writeFailed = false;

  constructor(
    private readonly memory: TargetMemory | undefined,
    private readonly key: string,
    private readonly options: RunMemoryOptions,
  ) {}

  /** The collected inventory plus the recent creates it does not show yet; forgets the others. */
  async recall(collected: Inventory): Promise<Inventory> {
    if (this.memory === undefined || isEmpty(collected)) return collected;
    await this.open(this.memory);
    if (this.journal === undefined || this.journal.entries.length === 0) return collected;
    const { inventory, forgotten } = recallRecentCreates(collected, this.journal.entries, {
      now: this.options.now,
      policyIds: new Set(this.options.policyIds),
    });
    if (!this.options.dryRun && forgotten.length > 0) {
      this.forgetting = new Set(forgotten.map((e) => e.snapshotId));
      this.pump();
    }
    return inventory;
  }

  private async open(memory: TargetMemory): Promise<void> {
    const { key } = this;
    try {
      this.journal = await memory.open(key);
    } catch (error) {
      const { code, message } = errorInfoOf(error);
      this.warnings.push(
        warning(
          'plan.recent-creates',
          `the record of recent creates of ${key} could not be read (${code}: ${message}): a snapshot made in the last hour that EC2 does not list yet may be made again`,
        ),
      );
    }
  }

  /** Note a result: a create or copy EC2 answered is recorded at once. */
  record(result: ActionResult): void {
    if (this.journal === undefined || this.options.dryRun) return;
    if (result.status !== 'done' || result.snapshotId === undefined) return;
    // Only what this account made: a lock or an unshare makes nothing, and a vault's copy is the vault's.
    if ((result.action !== 'create' && result.action !== 'copy') || result.vaultAccount !== undefined) return;
    this.buffer.push({
      snapshotId: result.snapshotId,
      region: result.region,
      policy: result.policy,
      volumeId: result.volumeId ?? '',
      runId: this.options.runId,
      startedAt: this.options.clock(),
      ...(result.sourceSnapshotId === undefined ? {} : { sourceSnapshotId: result.sourceSnapshotId }),
    });
    this.pump();
  }

  /** Wait for every write to end. */
  async close(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
  }

  /** Start the next write unless one is running; each takes all that waits. */
  private pump(): void {
    if (this.writing !== undefined) return;
    if (this.forgetting === undefined && this.buffer.length === 0) return;
    this.writing = this.writeNext().finally(() => {
      this.writing = undefined;
      this.pump();
    });
  }

  private async writeNext(): Promise<void> {
    const journal = this.journal!;
    try {
      if (this.forgetting !== undefined) {
        const ids = this.forgetting;
        this.forgetting = undefined;
        await journal.forget(ids);
      } else {
        await journal.append(this.buffer.splice(0));
      }
    } catch (error) {
      if (this.writeFailed) return;
      this.writeFailed = true;
      const { code, message } = errorInfoOf(error);
      this.warnings.push(
        warning(
          'plan.recent-creates',
          `the record of this run's creates could not be written (${code}: ${message}): a run in the next minutes may make them again`,
        ),
      );
    }
  }
}

/** Nothing to snapshot, copy or keep: no journal entry can change its plan. */
const isEmpty = (inventory: Inventory): boolean =>
  inventory.volumes.length === 0 && inventory.snapshots.length === 0;
