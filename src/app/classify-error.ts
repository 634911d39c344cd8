/**
 * How the apply step reads a thrown error. It never imports the AWS adapter: it reads the EC2
 * error name from a `code` (or `name`) string property, which the adapter's `AwsCallError`, SDK
 * service exceptions and Node's network errors all carry.
 */

/** A failure as a result carries it. */
export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
}

/** Codes that mean the request may or may not have been carried out (5xx, network, timeout). */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'Unavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'NetworkingError',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
]);

/** Names too generic to be an error code: look further (at `cause`) when this is all there is. */
const GENERIC_NAMES: ReadonlySet<string> = new Set(['Error', 'AwsCallError', 'EbsSnapperError']);

const readString = (value: unknown, key: string): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field.length > 0 ? field : undefined;
};

const readStatus = (value: unknown): number | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const metadata = record.$metadata as Record<string, unknown> | undefined;
  const status = record.httpStatusCode ?? record.statusCode ?? metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
};

/**
 * The EC2 error code of a thrown value: its `code`, else a specific `name`, else the same of its
 * `cause`; `Unknown` when none says.
 *
 * @example readErrorCode(Object.assign(new Error('x'), { code: 'InvalidSnapshot.NotFound' })) // 'InvalidSnapshot.NotFound'
 */
export function readErrorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const code = readString(current, 'code') ?? readString(current, 'Code');
    if (code !== undefined) return code;
    const name = readString(current, 'name');
    if (name !== undefined && !GENERIC_NAMES.has(name)) return name;
    current = (current as { cause?: unknown }).cause;
  }
  return 'Unknown';
}

/** Code and message of a thrown value, for an `ActionResult.error`. */
export function describeError(error: unknown): ErrorInfo {
  const message = error instanceof Error ? error.message : String(error);
  return { code: readErrorCode(error), message };
}

/**
 * True when a create that failed this way may still have been carried out server-side (5xx,
 * timeouts, dropped connections): it is worth a retry, after checking for the snapshot.
 */
export function isTransientError(error: unknown): boolean {
  if (TRANSIENT_CODES.has(readErrorCode(error))) return true;
  const status = readStatus(error) ?? readStatus((error as { cause?: unknown } | null)?.cause);
  return status !== undefined && status >= 500;
}
