/**
 * How the app layer reads a thrown error: ports throw `PortError` (code, transient); the tool's
 * own errors name their kind; anything else is a bug, reported with its message, never retried.
 */
import { ConfigError, EbsSnapperError } from '../../core/errors.js';
import { PortError } from './ports.js';

/** A failure as a result carries it. */
export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
}

/** The code of anything thrown that is not a port's answer: a bug, reported as such. */
export const BUG_CODE = 'InternalBug';

/**
 * Code and message of a thrown value, for an `ActionResult.error`.
 *
 * @example errorInfoOf(new PortError('DeleteSnapshot', { code: 'InvalidSnapshot.InUse', message: 'm', transient: false }))
 * // { code: 'InvalidSnapshot.InUse', message: 'DeleteSnapshot failed: InvalidSnapshot.InUse: m' }
 */
export function errorInfoOf(error: unknown): ErrorInfo {
  if (error instanceof PortError) return { code: error.code, message: error.message };
  // The tool's own typed errors (a held lock, a bad config) name their kind; a config error
  // carries its problems, which whoever reads the notification needs.
  if (error instanceof ConfigError && error.problems.length > 0) {
    return { code: error.name, message: `${error.message}: ${error.problems.join('; ')}` };
  }
  if (error instanceof EbsSnapperError) return { code: error.name, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: BUG_CODE, message };
}

/** The port's error code, or {@link BUG_CODE}. */
export function errorCodeOf(error: unknown): string {
  return error instanceof PortError ? error.code : BUG_CODE;
}

/** True when a port said trying again may work (and that a create may have been carried out). */
export function isTransient(error: unknown): boolean {
  return error instanceof PortError && error.transient;
}
