/** The accounts of an AWS Organization: `settings.organization: true` (SPEC §10). */
import {
  DescribeAccountCommand,
  type OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { toAwsCallError } from './errors.js';

/**
 * Every ACTIVE account of the organization, sorted, paged 20 a call (the API's most). Suspended
 * and closing accounts are left out: their roles cannot be assumed anyway.
 *
 * @example const accounts = await listActiveAccounts(organizations); // ['111111111111', ...]
 */
export async function listActiveAccounts(organizations: OrganizationsClient): Promise<string[]> {
  const accounts: string[] = [];
  try {
    for await (const page of paginateListAccounts({ client: organizations }, { MaxResults: 20 })) {
      for (const account of page.Accounts ?? []) {
        const state = account.State ?? account.Status;
        if (account.Id && state === 'ACTIVE') accounts.push(account.Id);
      }
    }
  } catch (error) {
    throw toAwsCallError('ListAccounts', error);
  }
  return accounts.sort();
}

/**
 * Whether `account` is an ACTIVE account of the organization: one DescribeAccount, the cheap way
 * for a worker to check one account against `settings.organization: true` (the fan-out lists them
 * all). An account the organization does not know is not one of its accounts.
 *
 * @example await isActiveAccount(organizations, '111111111111') // true
 */
export async function isActiveAccount(organizations: OrganizationsClient, account: string): Promise<boolean> {
  try {
    const { Account } = await organizations.send(new DescribeAccountCommand({ AccountId: account }));
    return (Account?.State ?? Account?.Status) === 'ACTIVE';
  } catch (error) {
    const failure = toAwsCallError('DescribeAccount', error);
    if (failure.code === 'AccountNotFoundException') return false;
    throw failure;
  }
}
