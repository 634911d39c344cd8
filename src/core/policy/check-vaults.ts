/**
 * What only the whole document can tell about vault accounts (SPEC §14): one role per vault
 * account (a run assumes one), and no vault account among the accounts the config snapshots — a
 * vault receives copies; snapshotting it with the same config would put two kinds of work on one
 * account × region.
 */
import type { Path, Report } from './report.js';
import type { Policy, Settings } from './types.js';

/** Adds an error for each conflict. */
export function checkVaults(policies: readonly Policy[], settings: Settings, report: Report): void {
  const roles = new Map<string, { role: string; at: Path }>();
  policies.forEach((policy, index) => {
    for (const target of policy.vaultTo ?? []) {
      const at: Path = ['policies', index, 'copy_to'];
      const known = roles.get(target.account);
      if (known !== undefined && known.role !== target.roleName) {
        report.error(
          at,
          `vault account ${target.account} is reached through role ${known.role} elsewhere; give one role_name per account`,
        );
      }
      if (known === undefined) roles.set(target.account, { role: target.roleName, at });
      if (settings.accounts?.includes(target.account)) {
        report.error(
          at,
          `${target.account} is a vault account and in settings.accounts: a vault only receives copies, so leave it out of settings.accounts`,
        );
      }
    }
  });
}
