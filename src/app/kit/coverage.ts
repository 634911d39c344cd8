/**
 * Which regions a run covers (SPEC §2 `settings.regions`, §6a copies-only destinations), defined
 * once for the CLI's targets, the fan-out's work items and the worker that is handed one of them.
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

const unique = (regions: readonly string[]): string[] => [...new Set(regions)];
