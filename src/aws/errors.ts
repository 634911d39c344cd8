/**
 * AWS failures as the rest of the tool sees them: one typed error with the EC2 error code.
 */
import { EbsSnapperError } from '../core/errors.js';

/** Codes that mean "not now, later may work" (EC2 and the SDK's throttling names). */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'SnapshotCreationPerVolumeRateExceeded',
  'ConcurrentSnapshotLimitExceeded',
  'InsufficientInstanceCapacity',
  'ServiceUnavailable',
  'Unavailable',
  'InternalError',
  'RequestTimeout',
  'TimeoutError',
]);
const RETRYABLE_NODE_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * An AWS call failed after the SDK's own retries.
 *
 * @example
 * try { await port.deleteSnapshot(id); }
 * catch (e) { if (e instanceof AwsCallError && e.code === 'InvalidSnapshot.NotFound') ...; }
 */
export class AwsCallError extends EbsSnapperError {
  /** The SDK error `name`, i.e. the EC2 error code: `InvalidSnapshot.NotFound`, `RequestLimitExceeded`, ... */
  readonly code: string;
  /** The API action: `DeleteSnapshot`, ... */
  readonly operation: string;
  /** A hint: trying again later could succeed (throttling, 5xx, timeouts, rate and concurrency limits). */
  readonly retryable: boolean;
  /** HTTP status, when a response came back. */
  readonly httpStatusCode?: number;

  constructor(
    operation: string,
    details: { code: string; message: string; retryable: boolean; httpStatusCode?: number },
    options?: { cause?: unknown },
  ) {
    super(`${operation} failed: ${details.code}: ${details.message}`, options);
    this.operation = operation;
    this.code = details.code;
    this.retryable = details.retryable;
    if (details.httpStatusCode !== undefined) this.httpStatusCode = details.httpStatusCode;
  }
}

interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** Wraps anything a call threw into an {@link AwsCallError} (an `AwsCallError` passes through). */
export function toAwsCallError(operation: string, error: unknown): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorLike;
  const nodeCode = typeof e.code === 'string' ? e.code : undefined;
  const code = typeof e.name === 'string' && e.name !== 'Error' ? e.name : (nodeCode ?? 'UnknownError');
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const retryable =
    RETRYABLE_CODES.has(code) ||
    (nodeCode !== undefined && RETRYABLE_NODE_CODES.has(nodeCode)) ||
    e.$retryable !== undefined ||
    (status !== undefined && (status >= 500 || status === 429));
  const message = typeof e.message === 'string' ? e.message : String(error);
  return new AwsCallError(
    operation,
    { code, message, retryable, ...(status !== undefined && { httpStatusCode: status }) },
    { cause: error },
  );
}

/** Runs one AWS call; a failure becomes an {@link AwsCallError} naming `operation`. */
export async function callAws<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAwsCallError(operation, error);
  }
}
