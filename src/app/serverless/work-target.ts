/**
 * What a deployed worker does with one work item (SPEC §10): read and validate the config, check
 * that it covers the item's account × region, take the account × region's lease, run the same
 * collect → plan → apply as the CLI with the invocation's deadline, hand on what the deadline
 * left, write the run record, notify. The Lambda handler only parses the event and wires the
 * adapters.
 */
import { ConfigError, EbsSnapperError } from '../../core/errors.js';
import type { Config } from '../../core/policy/types.js';
import { type ErrorInfo, errorInfoOf, isTransient } from '../kit/classify-error.js';
import { copiesOnlyOf, receivingAccountsOf, vaultRoleOf } from '../kit/coverage.js';
import { abortAt, type Deadline } from '../kit/deadline.js';
import { DEADLINE_CODE, type Ec2Port } from '../kit/ports.js';
import { type Exclusive, runTarget } from '../run/run.js';
import type { TargetMemory } from '../run/run-memory.js';
import type {
  ConfigStore,
  HandoffStore,
  LeaseStore,
  Notifier,
  RunRecord,
  RunRecordStore,
  WorkItem,
  WorkQueue,
} from './ports.js';
import { MAX_RECEIVES } from './redrive.js';
import { describeStored, loadStoredConfig } from './stored-config.js';
import { type CoverageLookups, refusalOf } from './work-coverage.js';
import { finish } from './work-finish.js';
import { RECORD_PRECEDENCE, skippedRecordOf, type WorkTelemetry } from './work-telemetry.js';

export interface WorkerDeps extends CoverageLookups {
  readonly table: string;
  readonly configName: string;
  readonly configs: ConfigStore;
  readonly leases: LeaseStore;
  /** The recent creates of each account × region, kept beside its lease. */
  readonly memory: TargetMemory;
  readonly records: RunRecordStore;
  readonly handoffs: HandoffStore;
  readonly queue: WorkQueue;
  /**
   * The EC2 port of an account × region (through the member role, or `roleName` for a vault
   * account), its calls bounded by `deadline`.
   */
  portFor(account: string, region: string, deadline: Deadline, roleName?: string): Ec2Port;
  /** The notifiers of a config's `settings.notify`, plus the deployment's own topic. */
  notifiersFor(config: Config | undefined): readonly Notifier[];
  readonly clock: () => number;
  readonly telemetry: WorkTelemetry;
  /** How long a continuation waits before it is delivered (default 60 s); tests shorten it. */
  readonly continuationDelaySeconds?: number;
  /**
   * Why the deployment's roles cannot do what `config` asks in the item's account (a feature the
   * stack was deployed without), or undefined when they can; absent: they can do everything.
   */
  readonly roleGap?: (config: Config, item: WorkItem) => ErrorInfo | undefined;
}

export interface Invocation {
  /** The Lambda request id: with the run id, the lease's owner. */
  readonly requestId: string;
  readonly remainingMs: () => number;
  /** SQS `ApproximateReceiveCount`. */
  readonly receiveCount: number;
  /** Time kept back from the remaining time: the deadline is remaining − margin (SPEC: 60 s). */
  readonly marginMs: number;
}

export interface WorkOutcome {
  /** Report the message as failed, so SQS delivers it again (and at last to the DLQ). */
  readonly retry: boolean;
  readonly record?: RunRecord;
}

/** Another invocation holds the lease: this one leaves the target alone. */
class LeaseHeldError extends EbsSnapperError {}

/** Process one work item; never throws for an expected outcome. */
export async function processWorkItem(
  item: WorkItem,
  invocation: Invocation,
  deps: WorkerDeps,
): Promise<WorkOutcome> {
  const checked = await checkWorkItem(item, invocation, deps);
  return 'outcome' in checked ? checked.outcome : runWorkItem(item, invocation, deps, checked);
}

/** A work item checked against the config: to be worked on under it, from `startedAt`. */
export interface CheckedItem {
  readonly config: Config;
  readonly startedAt: number;
}

/**
 * Read and validate the config (unless the caller has it), and check that it covers the item —
 * before any role or EC2 call. A refused item, or a config that cannot be read, is finished here.
 */
export async function checkWorkItem(
  item: WorkItem,
  invocation: Invocation,
  deps: WorkerDeps,
  loaded?: Config,
): Promise<CheckedItem | { readonly outcome: WorkOutcome }> {
  const startedAt = deps.clock();
  const source = describeStored(deps.table, deps.configName);
  let config: Config | undefined = loaded;
  try {
    config ??= (await loadStoredConfig(deps.configs, deps.configName, { source, now: startedAt })).config;
    // Before any role or EC2 call: the queue may hold an item of an older config (a DLQ redrive).
    const refusal = (await refusalOf(config, item, deps, source)) ?? deps.roleGap?.(config, item);
    if (refusal !== undefined) {
      deps.telemetry.refused(item, refusal);
      return { outcome: await finish(item, startedAt, deps, config, { error: refusal }, false) };
    }
    return { config, startedAt };
  } catch (error) {
    // A bad config is not retried forever: it is reported, and nothing touches EC2.
    const retry =
      !(error instanceof ConfigError) && isTransient(error) && invocation.receiveCount < MAX_RECEIVES;
    return { outcome: await finish(item, startedAt, deps, config, { error: errorInfoOf(error) }, retry) };
  }
}

/** The deadline of work started now: the invocation's remaining time less its margin. */
export function deadlineOf(
  invocation: Invocation,
  deps: Pick<WorkerDeps, 'clock'>,
): Deadline & { readonly at: number } {
  const now = deps.clock();
  const at = now + invocation.remainingMs() - invocation.marginMs;
  return { signal: abortAt(at - now), at };
}

/** The EC2 port of the item's target: a vault account (SPEC §14) through its own role. */
export function portOf(item: WorkItem, config: Config, deps: WorkerDeps, deadline: Deadline): Ec2Port {
  return isVault(config, item)
    ? deps.portFor(item.account, item.region, deadline, vaultRoleOf(config, item.account))
    : deps.portFor(item.account, item.region, deadline);
}

const isVault = (config: Config, item: WorkItem) => receivingAccountsOf(config).includes(item.account);

/** Lease, collect, plan, apply, hand on, record, notify: a checked item worked on in full. */
export async function runWorkItem(
  item: WorkItem,
  invocation: Invocation,
  deps: WorkerDeps,
  checked: CheckedItem,
): Promise<WorkOutcome> {
  const { config, startedAt } = checked;
  const deadline = deadlineOf(invocation, deps);
  const owner = `${item.run_id}/${invocation.requestId}`;
  try {
    // A vault account (SPEC §14) is worked on copies-only.
    const vault = isVault(config, item);
    const report = await runTarget(portOf(item, config, deps, deadline), config, {
      now: startedAt,
      runId: item.run_id,
      ...(vault || copiesOnlyOf(config).includes(item.region) ? { copiesOnly: true } : {}),
      deadline: deadline.at,
      signal: deadline.signal,
      exclusive: leaseExclusive(deps, owner, invocation.remainingMs()),
      memory: deps.memory,
    });
    return finish(item, startedAt, deps, config, { report }, false);
  } catch (error) {
    if (error instanceof LeaseHeldError) {
      deps.telemetry.skipped(item, error.message);
      // Replaced by any record of this run, target and continuation (precedence 0): `status` and
      // `trigger --wait` learn the target was left to whoever holds the lease.
      const record = skippedRecordOf(item, startedAt, deps.clock(), error.message);
      await deps.records
        .put(record, RECORD_PRECEDENCE.skipped)
        .catch((e: unknown) => deps.telemetry.warn('run record of a skipped work item not written', e));
      return { retry: false, record };
    }
    const info = errorInfoOf(error);
    const retry = isTransient(error) && info.code !== DEADLINE_CODE && invocation.receiveCount < MAX_RECEIVES;
    return finish(item, startedAt, deps, config, { error: info }, retry);
  }
}

/** The lease as `runTarget`'s exclusivity: held for the rest of the invocation, released at the end. */
function leaseExclusive(deps: WorkerDeps, owner: string, ttlMs: number): Exclusive {
  return async (key, work) => {
    const lease = await deps.leases.acquire(key, owner, deps.clock(), ttlMs);
    if (lease === undefined) throw new LeaseHeldError(`${key} is being worked on by another invocation`);
    try {
      return await work();
    } finally {
      await deps.leases
        .release(lease)
        .catch((error: unknown) => deps.telemetry.warn('lease release failed', error));
    }
  };
}
