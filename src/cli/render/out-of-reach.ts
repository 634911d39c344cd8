/**
 * What locks, vault copies and the Recycle Bin (SPEC §14) add to the plan and run output: the
 * lock a create, copy or `lock` action sets, the vault a copy or unshare is about, and what the
 * Recycle Bin keeps of a delete — as JSON fields and as a note at the end of a text line.
 */
import type { ActionResult } from '../../app/run/results.js';
import type { LockIntent, Plan, PlanAction } from '../../core/actions.js';
import type { CoverageReport } from '../../core/report/types.js';
import { safeText } from './safe-text.js';
import { paint, type TextStyle } from './text.js';
import { formatBytes, formatUsd } from './units.js';

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

/** What the Recycle Bin of each account × region holds and costs, for `report` (text). */
export function binReportLines(reports: readonly CoverageReport[], style: TextStyle): string[] {
  const bins = reports.filter((r) => r.recycleBin !== undefined);
  if (bins.length === 0) return [];
  const lines = [
    paint(style, 'bold', 'Recycle Bin (deleted snapshots it keeps, billed as standard snapshots)'),
  ];
  for (const r of bins) {
    const bin = r.recycleBin!;
    const held =
      bin.sizes === undefined
        ? 'contents not listed'
        : `${bin.sizes.count} snapshot${bin.sizes.count === 1 ? '' : 's'}, ${
            bin.monthlyCost === undefined
              ? `size unknown (${bin.sizes.unknown} of gone volumes)`
              : `≤ ${formatBytes(bin.sizes.standardBytes)}, ${formatUsd(bin.monthlyCost)}/month`
          }`;
    lines.push(`  ${safeText(`${r.account}/${r.region}  ${held}; rules: ${bin.rules}`)}`);
  }
  return lines;
}

/** The same for `report --output json`: `recycle_bin` per account × region. */
export function binReportJson(reports: readonly CoverageReport[]): Record<string, unknown> {
  const bins = reports.filter((r) => r.recycleBin !== undefined);
  if (bins.length === 0) return {};
  return {
    recycle_bin: bins.map((r) => {
      const bin = r.recycleBin!;
      return {
        account: r.account,
        region: r.region,
        rules: bin.rules,
        snapshots: bin.sizes?.count ?? null,
        upper_bound_bytes: bin.sizes === undefined || bin.sizes.unknown > 0 ? null : bin.sizes.standardBytes,
        monthly_cost_usd: bin.monthlyCost === undefined ? null : Math.round(bin.monthlyCost * 100) / 100,
      };
    }),
  };
}
