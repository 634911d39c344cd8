/**
 * `copy_to` as written → copies to other regions of the same account (`CopyTarget`) and copies
 * to vault accounts (`VaultTarget`, entries with an `account`: SPEC §14), each with its retention
 * and lock.
 */
import { describeValue } from './describe.js';
import { normalizeLock } from './normalize-lock.js';
import { normalizeRetention } from './normalize-retention.js';
import type { Path, Report } from './report.js';
import type { ParsedCopyTarget } from './schema.js';
import type { CopyTarget, VaultTarget } from './types.js';

/** The vault role when `role_name` is not given: the member role every account has (SPEC §11). */
export const DEFAULT_VAULT_ROLE_NAME = 'ebs-snapper-member';

export interface CopyTargets {
  readonly copyTo: CopyTarget[];
  readonly vaultTo: VaultTarget[];
}

/** Normalizes a policy's `copy_to` found at `path`; `policy` names it in messages. */
export function normalizeCopyTo(
  raw: readonly ParsedCopyTarget[],
  policy: string,
  path: Path,
  report: Report,
): CopyTargets {
  const copyTo: CopyTarget[] = [];
  const vaultTo: VaultTarget[] = [];
  const regions = new Map<string, number>();
  const vaults = new Map<string, number>();
  raw.forEach((target, index) => {
    const at: Path = [...path, index];
    const retention = normalizeRetention(target.retention, [...at, 'retention'], report);
    const owner =
      target.account === undefined
        ? `policy ${policy}'s copies in ${target.region ?? '?'}`
        : `policy ${policy}'s vault copies in account ${target.account}`;
    const lock =
      target.lock === undefined
        ? undefined
        : normalizeLock(target.lock, retention, [...at, 'lock'], report, owner);
    const common = {
      retention,
      ...(target.kms_key_id === undefined ? {} : { kmsKeyId: target.kms_key_id }),
      ...(lock === undefined ? {} : { lock }),
    };
    if (target.account === undefined) {
      if (target.role_name !== undefined)
        report.error([...at, 'role_name'], 'role_name is for a vault copy: give account too');
      if (target.region === undefined) {
        report.error([...at, 'region'], 'required (or give account, for a copy owned by a vault account)');
        return;
      }
      const first = regions.get(target.region);
      if (first !== undefined)
        report.error([...at, 'region'], `${describeValue(target.region)} is listed in copy_to[${first}] too`);
      regions.set(target.region, first ?? index);
      copyTo.push({ region: target.region, ...common });
      return;
    }
    checkVaultDestination(target, index, vaults, at, report);
    if (target.lock === undefined) {
      report.warn(
        'config.vault-unlocked',
        at,
        `vault copies in account ${target.account} have no lock: whoever can assume its role could delete them early; add lock (mode: compliance) to make that impossible`,
      );
    }
    vaultTo.push({
      account: target.account,
      ...(target.region === undefined ? {} : { region: target.region }),
      roleName: target.role_name ?? DEFAULT_VAULT_ROLE_NAME,
      ...common,
    });
  });
  return { copyTo, vaultTo };
}

/**
 * One entry per vault account and region: two entries sending copies of one snapshot to the same
 * place would make two series of the same copies. An entry without a region (the source's own)
 * and one with a region for the same account could land in the same place too.
 */
function checkVaultDestination(
  target: ParsedCopyTarget,
  index: number,
  seen: Map<string, number>,
  at: Path,
  report: Report,
): void {
  const account = target.account!;
  const key = `${account}/${target.region ?? '*'}`;
  const same = seen.get(key);
  if (same !== undefined) {
    report.error(
      [...at, 'account'],
      `${describeValue(account)}${target.region === undefined ? '' : ` in ${target.region}`} is listed in copy_to[${same}] too`,
    );
  }
  const clash = [...seen.entries()].find(
    ([other]) =>
      other.startsWith(`${account}/`) &&
      other !== key &&
      (target.region === undefined || other.endsWith('/*')),
  );
  if (clash !== undefined) {
    report.error(
      [...at, 'region'],
      `copy_to[${clash[1]}] sends copies to account ${account} too, one of them to the source's own region: give both a region`,
    );
  }
  seen.set(key, same ?? index);
}
