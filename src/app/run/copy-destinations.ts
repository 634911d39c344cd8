/**
 * Which regions `copy_to` involves for a run: the destinations a source region copies to (their
 * copies are listed before planning, so nothing is copied twice), and the destinations that are
 * not targets of the run themselves (they are planned copies-only, so the copies' own retention
 * still applies there).
 */
import type { CopyDestination } from '../../core/model.js';
import type { Config } from '../../core/policy/types.js';
import { errorInfoOf } from '../kit/classify-error.js';
import type { Ec2Port } from '../kit/ports.js';

/** The `copy_to` regions of every policy, except `region` itself (when given); sorted. */
export function copyDestinationsOf(config: Config, region?: string): string[] {
  const regions = new Set(config.policies.flatMap((p) => p.copyTo.map((t) => t.region)));
  if (region !== undefined) regions.delete(region);
  return [...regions].sort();
}

/**
 * The destinations among `regions`' copy targets that are not in `regions`: worked on copies-only.
 *
 * @example copiesOnlyRegions(config, ['us-east-1']) // ['us-west-2'] when a policy copies there
 */
export function copiesOnlyRegions(config: Config, regions: readonly string[]): string[] {
  const targets = new Set(regions);
  return copyDestinationsOf(config).filter((r) => !targets.has(r));
}

/**
 * The copies already in each destination; a destination whose listing fails is returned with
 * its `error` (no copy is made there this run, and the run reports it), the others go on.
 */
export async function listCopyDestinations(
  ec2: Ec2Port,
  destinations: readonly string[],
): Promise<CopyDestination[]> {
  const settled = await Promise.allSettled(destinations.map((d) => ec2.listCopies(d)));
  return settled.map((outcome, index) => {
    if (outcome.status === 'fulfilled') return outcome.value;
    const { code, message } = errorInfoOf(outcome.reason);
    return { region: destinations[index]!, copied: [], inFlight: 0, error: `${code}: ${message}` };
  });
}
