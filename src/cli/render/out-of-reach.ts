/**
 * What locks, vault copies and the Recycle Bin (SPEC §14) add to the plan and run output: the
 * lock a create, copy or `lock` action sets, the vault a copy or unshare is about, and what the
 * Recycle Bin keeps of a delete — as JSON fields and as a note at the end of a text line.
 */
import type { ActionResult } from '../../app/run/results.js';
import type { LockIntent, Plan, PlanAction } from '../../core/actions.js';
import { safeText } from './safe-text.js';
import { paint, type TextStyle } from './text.js';

const lockJson = (lock: LockIntent) => ({
  mode: lock.mode,
  until: lock.until,
  ...(lock.coolOffHours === undefined ? {} : { cool_off_hours: lock.coolOffHours }),
});

/** The JSON fields of an action about locks, vaults and the bin (none for the others). */
export function outOfReachJson(action: PlanAction): Record<string, unknown> {
  switch (action.action) {
    case 'delete':
      return action.recycleBinDays === undefined ? {} : { recycle_bin_days: action.recycleBinDays };
    case 'create':
    case 'lock':
      return action.lock === undefined ? {} : { lock: lockJson(action.lock) };
    case 'copy':
      return {
        ...(action.lock === undefined ? {} : { lock: lockJson(action.lock) }),
        ...(action.vault === undefined
          ? {}
          : { destination_account: action.vault.account, role_name: action.vault.roleName }),
      };
    case 'unshare':
      return { vault_account: action.vault.account };
    default:
      return {};
  }
}

/** The JSON fields of a result about vaults and the bin. */
export function outOfReachResultJson(result: ActionResult): Record<string, unknown> {
  return {
    ...(result.vaultAccount === undefined ? {} : { vault_account: result.vaultAccount }),
    ...(result.recycleBinDays === undefined ? {} : { recycle_bin_days: result.recycleBinDays }),
  };
}

/** `→ recycle bin 7 days`, `(locked compliance until …)`, `(vault 2222…)`: the end of a text line. */
export function outOfReachNote(action: PlanAction, style: TextStyle): string {
  const notes: string[] = [];
  if (action.action === 'delete' && action.recycleBinDays !== undefined) {
    notes.push(
      action.recycleBinDays === 'unknown'
        ? '→ recycle bin: unknown (its rules could not be read)'
        : `→ recycle bin ${action.recycleBinDays} day${action.recycleBinDays === 1 ? '' : 's'}`,
    );
  }
  if (action.action === 'copy' && action.vault !== undefined) notes.push(`(vault ${action.vault.account})`);
  if ((action.action === 'create' || action.action === 'copy') && action.lock !== undefined)
    notes.push(`(locked ${action.lock.mode} until ${action.lock.until})`);
  if (notes.length === 0) return '';
  return `  ${paint(style, action.action === 'delete' ? 'yellow' : 'dim', safeText(notes.join(' ')))}`;
}

/** The plan's held vault destinations, as a `!` line. */
export function vaultsHeldLine(plan: Plan): string | undefined {
  return plan.vaultsHeld === undefined
    ? undefined
    : `! vault copies held from ${plan.account}/${plan.region}: could not list the copies in ${plan.vaultsHeld.join(', ')}`;
}
