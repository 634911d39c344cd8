/**
 * What vault copies (SPEC §14) need listed before a source account × region is planned: each
 * vault destination's copies of this region's snapshots (through the vault's role), and which of
 * this region's snapshots are shared with each vault account now. A listing that fails is kept
 * with its error: the planner then copies nothing there and takes back no share of that vault.
 */
import type { VaultRef } from '../../../core/actions.js';
import type { Inventory, VaultDestination, VaultShare } from '../../../core/model.js';
import type { Config } from '../../../core/policy/types.js';
import { destinationKey, destinationRegion } from '../../../core/vault/vault-plan.js';
import { errorInfoOf } from '../../kit/classify-error.js';
import type { Ec2Port } from '../../kit/ports.js';

/** One place a source region's vault copies go. */
export interface VaultPlace {
  readonly vault: VaultRef;
  readonly region: string;
}

/**
 * The vault destinations of `config`'s policies for snapshots in `region`, each once.
 *
 * @example vaultPlacesOf(config, 'eu-west-1') // [{ vault: { account: '222222222222', roleName: 'ebs-snapper-member' }, region: 'eu-west-1' }]
 */
export function vaultPlacesOf(config: Config, region: string): VaultPlace[] {
  const places = new Map<string, VaultPlace>();
  for (const policy of config.policies) {
    for (const target of policy.vaultTo ?? []) {
      const where = destinationRegion(target, region);
      const key = destinationKey(target.account, where);
      if (!places.has(key))
        places.set(key, { vault: { account: target.account, roleName: target.roleName }, region: where });
    }
  }
  return [...places.values()].sort((a, b) =>
    destinationKey(a.vault.account, a.region) < destinationKey(b.vault.account, b.region) ? -1 : 1,
  );
}

/** The listings of `ec2`'s region for its vault copies; undefined when the config has none. */
export async function listVaultState(
  ec2: Ec2Port,
  config: Config,
): Promise<Pick<Inventory, 'vaultDestinations' | 'vaultShares'> | undefined> {
  const places = vaultPlacesOf(config, ec2.region);
  if (places.length === 0) return undefined;
  const vaults = ec2.vaults;
  const accounts = [...new Set(places.map((p) => p.vault.account))];
  if (vaults === undefined) {
    const error = 'VaultUnavailable: this target cannot reach vault accounts';
    return {
      vaultDestinations: places.map((p) => unlisted(p, error)),
      vaultShares: accounts.map((account) => ({ account, snapshotIds: [], error })),
    };
  }
  const [destinations, shares] = await Promise.all([
    Promise.allSettled(places.map((p) => vaults.listCopies(p.vault, p.region))),
    Promise.allSettled(accounts.map((account) => vaults.listShared(account))),
  ]);
  return {
    vaultDestinations: destinations.map((outcome, i) =>
      outcome.status === 'fulfilled' ? outcome.value : unlisted(places[i]!, describe(outcome.reason)),
    ),
    vaultShares: shares.map((outcome, i): VaultShare => {
      const account = accounts[i]!;
      return outcome.status === 'fulfilled'
        ? { account, snapshotIds: outcome.value }
        : { account, snapshotIds: [], error: describe(outcome.reason) };
    }),
  };
}

const unlisted = (place: VaultPlace, error: string): VaultDestination => ({
  account: place.vault.account,
  region: place.region,
  copies: {},
  inFlight: 0,
  error,
});

function describe(error: unknown): string {
  const { code, message } = errorInfoOf(error);
  return `${code}: ${message}`;
}
