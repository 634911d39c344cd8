/**
 * Which accounts and regions a run covers (SPEC §2 `settings.regions`, §6a copies-only
 * destinations, §10 `settings.accounts` / `organization`), defined once for the CLI's targets, the
 * fan-out's work items and the worker that checks every item it is handed against its config.
 */
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
  return listed === undefined || listed.includes(region) || copiesOnlyOf(config).includes(region);
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
 * Accounts a config sends work to besides its scope, covered whatever the scope says. None yet:
 * vault accounts (`copy_to` entries with an `account`) are added here, and only here.
 */
export function receivingAccountsOf(_config: Config): readonly string[] {
  return [];
}

const unique = (regions: readonly string[]): string[] => [...new Set(regions)];
