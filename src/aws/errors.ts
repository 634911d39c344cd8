/**
 * AWS failures as the rest of the tool sees them: every SDK error becomes one `AwsCallError`
 * (the ports' `PortError`) with the AWS error code and whether trying again may work. This file
 * is the only place that knows which codes are transient.
 */
import { DEADLINE_CODE, PortError } from '../app/kit/ports.js';

/** Codes that mean "not now, later may work": throttling, rate and concurrency limits, 5xx, timeouts. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'SnapshotCreationPerVolumeRateExceeded',
  'ConcurrentSnapshotLimitExceeded',
  'InsufficientInstanceCapacity',
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

/**
 * True for an AWS or network error code after which trying again may work.
 *
 * @example isTransientCode('RequestLimitExceeded') // true
 */
export function isTransientCode(code: string): boolean {
  return TRANSIENT_CODES.has(code);
}

/**
 * An AWS call failed after the SDK's own retries.
 *
 * @example
 * try { await port.deleteSnapshot(id); }
 * catch (e) { if (e instanceof PortError && e.code === 'InvalidSnapshot.NotFound') ...; }
 */
export class AwsCallError extends PortError {
  /** HTTP status, when a response came back. */
  readonly httpStatusCode?: number;

  constructor(
    operation: string,
    details: { code: string; message: string; transient: boolean; httpStatusCode?: number },
    options?: { cause?: unknown },
  ) {
    super(operation, details, options);
    if (details.httpStatusCode !== undefined) this.httpStatusCode = details.httpStatusCode;
  }
}

interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/**
 * Wraps anything a call threw into an {@link AwsCallError} (a `PortError` passes through). The
 * code is the SDK's error `name` (the AWS error code) or Node's network error `code`.
 */
export function toAwsCallError(operation: string, error: unknown): PortError {
  if (error instanceof PortError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorLike;
  if (e.name === 'AbortError') {
    const message = 'cancelled: the run reached its deadline or was told to stop';
    return new AwsCallError(operation, { code: DEADLINE_CODE, message, transient: false }, { cause: error });
  }
  const nodeCode = typeof e.code === 'string' ? e.code : undefined;
  const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : undefined;
  const code =
    nodeCode !== undefined && isTransientCode(nodeCode) ? nodeCode : (name ?? nodeCode ?? 'UnknownError');
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const transient =
    isTransientCode(code) ||
    e.$retryable !== undefined ||
    (status !== undefined && (status >= 500 || status === 429));
  const message = typeof e.message === 'string' ? e.message : String(error);
  return new AwsCallError(
    operation,
    { code, message, transient, ...(status !== undefined && { httpStatusCode: status }) },
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

/** A response without a field the call must return: not transient (asking again would not help). */
export function missingField(operation: string, field: string): AwsCallError {
  return new AwsCallError(operation, {
    code: 'InvalidResponse',
    message: `the response has no ${field}`,
    transient: false,
  });
}
