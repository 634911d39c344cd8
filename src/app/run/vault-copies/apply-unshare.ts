/**
 * The plan's `unshare` actions (SPEC §14): a snapshot whose vault copy has completed or failed, or
 * that no copy is being made from, is shared with the vault no more. Unshares run whatever the
 * deadline says (their calls are not cancelled by it): a share is never left for want of time.
 */
import type { UnshareAction } from '../../../core/actions.js';
import { errorInfoOf } from '../../kit/classify-error.js';
import type { ApplyContext } from '../apply-context.js';
import type { ActionResult } from '../results.js';

/** Take back one share; the result is reported through `report`. */
export async function applyUnshare(
  context: ApplyContext,
  action: UnshareAction,
  report: (result: ActionResult) => void,
): Promise<void> {
  const base = {
    action: 'unshare',
    policy: action.policy,
    account: action.account,
    region: action.region,
    ...(action.volumeId === undefined ? {} : { volumeId: action.volumeId }),
    snapshotId: action.snapshotId,
    vaultAccount: action.vault.account,
  } as const;
  const vaults = context.ec2.vaults;
  if (vaults === undefined) {
    report({
      ...base,
      status: 'failed',
      error: { code: 'VaultUnavailable', message: 'this target cannot reach vault accounts (no vault port)' },
    });
    return;
  }
  try {
    await vaults.unshare(action.snapshotId, action.vault.account);
    report({ ...base, status: 'done' });
  } catch (error) {
    report({ ...base, status: 'failed', error: errorInfoOf(error) });
  }
}
