/**
 * A worker checks every work item against the config it has just read, before it assumes a role
 * or calls EC2: the queue may hold messages of an older config (a message redriven from the
 * dead-letter queue after an account was removed), or ones nobody's fan-out sent. What the config
 * does not cover is refused — recorded, notified, never retried.
 */
import type { Config } from '../../core/policy/types.js';
import type { ErrorInfo } from '../kit/classify-error.js';
import { accountScopeOf, copiesOnlyOf, coversRegion, receivingAccountsOf } from '../kit/coverage.js';
import type { WorkItem } from './ports.js';

/** The failure code of a refused work item. */
export const NOT_COVERED_CODE = 'target.not-covered';

export interface CoverageLookups {
  /** The account the deployment runs in. */
  readonly ownAccount: string;
  /** Whether an account is an ACTIVE account of the organization (asked only for `organization: true`). */
  isOrganizationMember(account: string): Promise<boolean>;
}

/**
 * Why `config` does not cover the item's account × region, or undefined when it does. Throws when
 * the organization cannot be asked (the caller retries what is transient).
 *
 * @example await refusalOf(config, item, { ownAccount, isOrganizationMember }, 'table t, config "default"')
 */
export async function refusalOf(
  config: Config,
  item: WorkItem,
  lookups: CoverageLookups,
  source: string,
): Promise<ErrorInfo | undefined> {
  const why = (await accountRefusal(config, item.account, lookups)) ?? regionRefusal(config, item.region);
  return why === undefined
    ? undefined
    : { code: NOT_COVERED_CODE, message: `${why} (${source}): nothing was done there` };
}

async function accountRefusal(
  config: Config,
  account: string,
  lookups: CoverageLookups,
): Promise<string | undefined> {
  if (receivingAccountsOf(config).includes(account)) return undefined;
  const scope = accountScopeOf(config);
  switch (scope.kind) {
    case 'listed':
      return scope.accounts.includes(account)
        ? undefined
        : `account ${account} is not in settings.accounts (${scope.accounts.join(', ') || 'none'})`;
    case 'organization':
      // The deployment's own account is in the organization (only its management account or a
      // delegated administrator can list it for the fan-out): no call for it.
      if (account === lookups.ownAccount || (await lookups.isOrganizationMember(account))) return undefined;
      return `account ${account} is not an ACTIVE account of the organization (settings.organization: true)`;
    case 'own':
      return account === lookups.ownAccount
        ? undefined
        : `account ${account} is not the deployment's own (${lookups.ownAccount}), and the config names no settings.accounts or organization`;
  }
}

function regionRefusal(config: Config, region: string): string | undefined {
  if (coversRegion(config, region)) return undefined;
  const copiesOnly = copiesOnlyOf(config);
  const also = copiesOnly.length === 0 ? '' : ` nor a copy_to destination (${copiesOnly.join(', ')})`;
  return `region ${region} is not in settings.regions (${config.settings.regions?.join(', ')})${also}`;
}
