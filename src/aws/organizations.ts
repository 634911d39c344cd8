/** The accounts of an AWS Organization: `settings.organization: true` (SPEC §10). */
import { type OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
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
