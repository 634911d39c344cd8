/**
 * One vault copy (SPEC §14): share the source with the vault account only, have the vault copy
 * it through its role (so the vault owns the copy), and take the share back as soon as the copy
 * has completed or failed — at once when CopySnapshot itself fails, so nothing is left shared. A
 * copy still `pending` keeps its share; a later run takes it back once the copy is done (the plan's
 * `unshare`). Then the copy is locked, as the vault, when its target has a `lock`.
 */
import type { CopyAction, VaultRef } from '../../../core/actions.js';
import type { SnapshotId } from '../../../core/model.js';
import { type ErrorInfo, errorCodeOf, errorInfoOf } from '../../kit/classify-error.js';
import type { VaultPort } from '../../kit/ports.js';
import { deadlineError, isPastDeadline, resultFor, wasCancelled } from '../apply-context.js';
import type { CopyApplyContext } from '../apply-copies.js';
import type { LockLane } from '../locks/apply-locks.js';
import type { ActionResult } from '../results.js';

const COPY_LIMIT = 'ResourceLimitExceeded';

/** What a vault copy needs besides the copy context: where its lock and unshare results go. */
export interface VaultApplyContext extends CopyApplyContext {
  readonly locks: LockLane;
  /** A result that is not the copy's own (a share that could not be taken back). */
  readonly extra: (result: ActionResult) => void;
}

/** Make one vault copy; its action gets exactly one result (and maybe a lock and an unshare). */
export async function applyVaultCopy(
  context: VaultApplyContext,
  action: CopyAction & { readonly vault: VaultRef },
  position: number,
): Promise<void> {
  const settle = (status: ActionResult['status'], details: { snapshotId?: SnapshotId; error?: ErrorInfo }) =>
    context.settle(position, { ...resultFor(action, status, details), vaultAccount: action.vault.account });
  const halt = `${action.vault.account}/${action.region}`;
  if (isPastDeadline(context)) return settle('deferred', { error: deadlineError() });
  if (context.copiesHalted.has(halt)) return settle('deferred', { error: haltedError(halt) });
  const vaults = context.ec2.vaults;
  if (vaults === undefined) return settle('failed', { error: UNAVAILABLE });
  const { snapshotId: source, vault } = action;
  try {
    await vaults.share(source, vault.account);
  } catch (error) {
    if (wasCancelled(error, context)) return settle('deferred', { error: deadlineError() });
    return settle('failed', { error: await explained(vaults, action, error, 'share') });
  }
  let copy: SnapshotId;
  try {
    copy = await vaults.copy(vault, {
      destination: action.region,
      sourceRegion: action.sourceRegion,
      sourceSnapshotId: source,
      description: action.description,
      tags: action.tags,
      ...(action.kmsKeyId === undefined ? {} : { kmsKeyId: action.kmsKeyId }),
    });
  } catch (error) {
    await unshare(context, vaults, action);
    if (wasCancelled(error, context)) return settle('deferred', { error: deadlineError() });
    if (errorCodeOf(error) === COPY_LIMIT) {
      context.copiesHalted.add(halt);
      return settle('deferred', { error: errorInfoOf(error) });
    }
    return settle('failed', { error: await explained(vaults, action, error, 'copy') });
  }
  settle('done', { snapshotId: copy });
  const state = await vaults.copyState(vault, action.region, copy).catch(() => undefined);
  // Still pending (AWS, usually): the share stays until the copy is done; a later run takes it back.
  if (state === 'completed' || state === 'error') await unshare(context, vaults, action);
  if (action.lock !== undefined) {
    context.locks.start({
      policy: action.policy,
      account: vault.account,
      region: action.region,
      volumeId: action.volumeId,
      snapshotId: copy,
      lock: action.lock,
      through: (id, lock) => vaults.lock(vault, action.region, id, lock),
    });
  }
}

/** Take the share back; when that fails, say so as a failed `unshare` (the next run tries again). */
async function unshare(
  context: VaultApplyContext,
  vaults: VaultPort,
  action: CopyAction & { vault: VaultRef },
) {
  try {
    await vaults.unshare(action.snapshotId, action.vault.account);
  } catch (error) {
    const { code, message } = errorInfoOf(error);
    context.extra({
      action: 'unshare',
      policy: action.policy,
      account: action.account,
      region: action.sourceRegion,
      volumeId: action.volumeId,
      snapshotId: action.snapshotId,
      vaultAccount: action.vault.account,
      status: 'failed',
      error: {
        code,
        message: `${message} (still shared with ${action.vault.account}: the next run takes it back)`,
      },
    });
  }
}

/**
 * The failure of a share or a copy, with what to do when the source is encrypted: a snapshot under
 * the default aws/ebs key cannot be shared with another account at all.
 */
async function explained(
  vaults: VaultPort,
  action: CopyAction & { vault: VaultRef },
  error: unknown,
  step: 'share' | 'copy',
): Promise<ErrorInfo> {
  const { code, message } = errorInfoOf(error);
  const encryption = await vaults.encryptionOf(action.snapshotId).catch(() => undefined);
  const what = `policy ${action.policy}: ${action.snapshotId} could not be ${step === 'share' ? 'shared with' : 'copied by'} vault account ${action.vault.account}`;
  if (encryption?.encrypted !== true) return { code, message: `${what}: ${message}` };
  const key = encryption.kmsKeyId === undefined ? '' : ` (${encryption.kmsKeyId})`;
  return {
    code,
    message:
      `${what}: ${message}. It is encrypted${key}: a snapshot under the default aws/ebs key cannot be shared with another account. ` +
      `Encrypt the volumes of policy ${action.policy} with a customer managed KMS key whose key policy lets account ${action.vault.account} use it (kms:Decrypt, kms:CreateGrant, kms:DescribeKey, kms:ReEncrypt*)`,
  };
}

const UNAVAILABLE: ErrorInfo = {
  code: 'VaultUnavailable',
  message: 'this target cannot reach vault accounts (no vault port)',
};

const haltedError = (where: string): ErrorInfo => ({
  code: COPY_LIMIT,
  message: `not started: ${where} has too many copies in flight; the next run picks it up`,
});
