/**
 * Which accounts and regions a run covers (SPEC §2 `settings.regions`, §6a copies-only
 * destinations, §10 `settings.accounts` / `organization`), defined once for the CLI's targets, the
 * fan-out's work items and the worker that checks every item it is handed against its config.
 */

import { DEFAULT_VAULT_ROLE_NAME } from '../../core/policy/normalize-copy-to.js';
import type { Config } from '../../core/policy/types.js';
import { copiesOnlyRegions } from '../run/copy-destinations.js';

/** The regions a run works on in one account. */
export interface CoveredRegions {
  /** Planned in full. */
  readonly regions: readonly string[];
  /** `copy_to` destinations outside `regions`: only the copies made into them are planned there. */
  readonly copiesOnly: readonly string[];
}

/**
 * `only` (the CLI's `--region`) when given, exactly those; else `settings.regions` and, copies-only,
 * the `copy_to` destinations outside them; else every region the account has enabled (`enabled` is
 * asked only then).
 *
 * @example await coveredRegions(config, () => listEnabledRegions(ec2)) // { regions: ['us-east-1'], copiesOnly: ['us-west-2'] }
 */
export async function coveredRegions(
  config: Config,
  enabled: () => Promise<readonly string[]>,
  only?: readonly string[],
): Promise<CoveredRegions> {
  if (only !== undefined) return { regions: unique(only), copiesOnly: [] };
  const listed = config.settings.regions;
  if (listed === undefined) return { regions: unique(await enabled()), copiesOnly: [] };
  return { regions: unique(listed), copiesOnly: copiesOnlyOf(config) };
}

/**
 * The copies-only regions of a run of `config`. None without `settings.regions`: every region the
 * account has enabled is then planned in full, and one it has not enabled cannot be worked on.
 */
export function copiesOnlyOf(config: Config): string[] {
  const listed = config.settings.regions;
  return listed === undefined ? [] : copiesOnlyRegions(config, listed);
}

/**
 * Whether a run of `config` covers `region`, without a call. With `settings.regions`: one of them,
 * or a copies-only destination. Without: any region — the run covers every region the account has
 * enabled, and in one it has not enabled AWS refuses every call (the credentials are not valid
 * there), so nothing can be done to it anyway; asking DescribeRegions would cost a call for nothing.
 */
export function coversRegion(config: Config, region: string): boolean {
  const listed = config.settings.regions;
  return (
    listed === undefined ||
    listed.includes(region) ||
    copiesOnlyOf(config).includes(region) ||
    config.policies.some((p) => (p.vaultTo ?? []).some((t) => t.region === region))
  );
}

/** Which accounts a run of a config covers (SPEC §10). */
export type AccountScope =
  /** `settings.accounts`. */
  | { readonly kind: 'listed'; readonly accounts: readonly string[] }
  /** `settings.organization: true`: every ACTIVE account of the organization. */
  | { readonly kind: 'organization' }
  /** Neither: the deployment's own account (the CLI: its credentials' or roles' accounts). */
  | { readonly kind: 'own' };

/** @example accountScopeOf(config) // { kind: 'listed', accounts: ['111111111111'] } */
export function accountScopeOf(config: Config): AccountScope {
  const { accounts, organization } = config.settings;
  if (accounts !== undefined) return { kind: 'listed', accounts };
  return organization ? { kind: 'organization' } : { kind: 'own' };
}

/**
 * Accounts a config sends work to besides its scope, covered whatever the scope says: the vault
 * accounts (`copy_to` entries with an `account`, SPEC §14), sorted. A vault is worked on
 * copies-only through its role, never as a source, whatever the scope says.
 */
export function receivingAccountsOf(config: Config): readonly string[] {
  const accounts = new Set(config.policies.flatMap((p) => (p.vaultTo ?? []).map((t) => t.account)));
  return [...accounts].sort();
}

/** The role a vault account is reached through (the config allows one per account). */
export function vaultRoleOf(config: Config, account: string): string {
  for (const p of config.policies)
    for (const t of p.vaultTo ?? []) if (t.account === account) return t.roleName;
  return DEFAULT_VAULT_ROLE_NAME;
}

/**
 * The regions vault copies land in in `account`: those its targets name, and `sourceRegions` for
 * a target that names none (its copies stay in their source's region). Sorted.
 *
 * @example vaultRegionsOf(config, '222222222222', ['us-east-1']) // ['us-east-1', 'us-west-2']
 */
export function vaultRegionsOf(config: Config, account: string, sourceRegions: readonly string[]): string[] {
  const regions = new Set<string>();
  for (const p of config.policies)
    for (const t of p.vaultTo ?? [])
      if (t.account === account)
        for (const r of t.region === undefined ? sourceRegions : [t.region]) regions.add(r);
  return [...regions].sort();
}

const unique = (regions: readonly string[]): string[] => [...new Set(regions)];
