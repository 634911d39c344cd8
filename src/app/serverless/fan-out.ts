/**
 * The fan-out of a deployed run (SPEC §10): read and validate the config, find the accounts
 * (`settings.accounts`, the organization's ACTIVE ones, or the deployment's own) and each one's
 * regions (`settings.regions`, or what the account has enabled, through its member role), and
 * queue one work item per account × region. An account that cannot be reached, and the work items
 * the queue would not take, are reported and notified; the others go on.
 */

import type { Config } from '../../core/policy/types.js';
import { type ErrorInfo, errorInfoOf } from '../kit/classify-error.js';
import { accountScopeOf, coveredRegions, receivingAccountsOf, vaultRegionsOf } from '../kit/coverage.js';
import { notificationsFor, sendAll } from '../kit/notifications.js';
import { newRunId } from '../run/run.js';
import type { ConfigStore, Notifier, UnqueuedItem, WorkItem, WorkQueue } from './ports.js';
import { describeStored, loadStoredConfig } from './stored-config.js';

export interface FanOutDeps {
  readonly table: string;
  readonly configName: string;
  readonly configs: ConfigStore;
  readonly queue: WorkQueue;
  /** The account the deployment runs in (STS GetCallerIdentity). */
  ownAccount(): Promise<string>;
  /** The ACTIVE accounts of the organization (Organizations ListAccounts). */
  organizationAccounts(): Promise<readonly string[]>;
  /** The regions an account has enabled (DescribeRegions, through its member role). */
  regionsOf(account: string): Promise<readonly string[]>;
  notifiersFor(config: Config | undefined): readonly Notifier[];
  readonly clock: () => number;
  readonly warn: (message: string, error: unknown) => void;
}

/** An account (or `*`, the whole run), or some of its regions, that could not be fanned out, and why. */
interface FanOutFailure {
  readonly account: string;
  /** The regions whose work items could not be queued; absent when the account failed as a whole. */
  readonly regions?: readonly string[];
  readonly error: ErrorInfo;
}

export interface FanOutResult {
  readonly runId: string;
  /** The work items queued. */
  readonly items: readonly WorkItem[];
  readonly failures: readonly FanOutFailure[];
}

/** @example const { runId, items } = await fanOutRun(deps); */
export async function fanOutRun(deps: FanOutDeps): Promise<FanOutResult> {
  const now = deps.clock();
  const runId = newRunId(now);
  let config: Config;
  try {
    const source = describeStored(deps.table, deps.configName);
    ({ config } = await loadStoredConfig(deps.configs, deps.configName, { source, now }));
  } catch (error) {
    return notified(deps, undefined, runId, [], [{ account: '*', error: errorInfoOf(error) }]);
  }
  let accounts: readonly string[];
  // A vault account (SPEC §14) is never a source: it gets copies-only work of its own below.
  const vaults = receivingAccountsOf(config);
  try {
    accounts = (await accountsOf(config, deps)).filter((a) => !vaults.includes(a));
  } catch (error) {
    return notified(deps, config, runId, [], [{ account: '*', error: errorInfoOf(error) }]);
  }
  const settled = await Promise.allSettled(
    accounts.map(async (account) => {
      const covered = await coveredRegions(config, () => deps.regionsOf(account));
      return { account, regions: [...covered.regions, ...covered.copiesOnly] };
    }),
  );
  const items: WorkItem[] = [];
  const failures: FanOutFailure[] = [];
  settled.forEach((outcome, index) => {
    if (outcome.status === 'rejected')
      failures.push({ account: accounts[index]!, error: errorInfoOf(outcome.reason) });
    else
      for (const region of outcome.value.regions)
        items.push({ account: outcome.value.account, region, run_id: runId, continuation: 0 });
  });
  const sourceRegions = [...new Set(items.map((i) => i.region))];
  for (const account of vaults)
    for (const region of vaultRegionsOf(config, account, sourceRegions))
      items.push({ account, region, run_id: runId, continuation: 0 });
  const unqueued = await deps.queue.send(items);
  const left = new Set(unqueued.map(({ item }) => targetKey(item)));
  const queued = items.filter((item) => !left.has(targetKey(item)));
  return notified(deps, config, runId, queued, [...failures, ...unqueuedFailures(unqueued)]);
}

const targetKey = (item: WorkItem) => `${item.account}/${item.region}`;

/** The items the queue would not take, one failure per account and reason, naming the regions. */
function unqueuedFailures(unqueued: readonly UnqueuedItem[]): FanOutFailure[] {
  const groups = new Map<string, { account: string; regions: string[]; code: string; message: string }>();
  for (const { item, code, message } of unqueued) {
    const key = JSON.stringify([item.account, code]);
    const group = groups.get(key) ?? { account: item.account, regions: [], code, message };
    group.regions.push(item.region);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ account, regions, code, message }) => {
    const sorted = [...regions].sort();
    return {
      account,
      regions: sorted,
      error: { code, message: `work items not queued for ${sorted.join(', ')}: ${message}` },
    };
  });
}

async function accountsOf(config: Config, deps: FanOutDeps): Promise<readonly string[]> {
  const scope = accountScopeOf(config);
  switch (scope.kind) {
    case 'listed':
      return scope.accounts;
    case 'organization':
      return deps.organizationAccounts();
    case 'own':
      return [await deps.ownAccount()];
  }
}

/** Notify each failure (never failing the fan-out over it) and return the result. */
async function notified(
  deps: FanOutDeps,
  config: Config | undefined,
  runId: string,
  items: readonly WorkItem[],
  failures: readonly FanOutFailure[],
): Promise<FanOutResult> {
  const on = config?.settings.notify?.on ?? ['failure'];
  const notifications = failures.flatMap((f) =>
    notificationsFor(
      on.filter((event) => event === 'failure'),
      { runId, account: f.account, region: f.regions?.length === 1 ? f.regions[0]! : '*', error: f.error },
    ),
  );
  await sendAll(notifications, deps.notifiersFor(config), (notifier, notification, error) =>
    deps.warn(`notification "${notification.subject}" to ${notifier.target} failed`, error),
  );
  return { runId, items, failures };
}
