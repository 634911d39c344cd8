/**
 * The timeouts of one HTTP call and their defaults, apart from the request handler: the CLI's
 * options name them without loading any SDK code (`--help` stays fast).
 */

/** Timeouts of one HTTP call, ms. */
export interface HttpTimeouts {
  /** TCP (and TLS) connect. Default 5 s. */
  readonly connectMs?: number;
  /** From sending the request to the end of the response. Default 60 s. */
  readonly requestMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
