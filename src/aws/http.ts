/**
 * Every AWS call has a connection timeout, a request timeout and the run's deadline: an endpoint
 * that accepts a connection and never answers must not hold a run (and its lock) forever.
 */
import { setMaxListeners } from 'node:events';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpRequest, HttpResponse } from '@smithy/protocol-http';
import type { HttpHandlerOptions } from '@smithy/types';
import { abortAt, type Deadline } from '../app/kit/deadline.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, type HttpTimeouts } from './http-timeouts.js';

export { DEFAULT_CONNECT_TIMEOUT_MS, type HttpTimeouts };

/** When a run must end: calls in flight are cancelled when its signal aborts; no retry waits past `at`. */
export type CallDeadline = Deadline;

export { abortAt };

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * How many request timeouts one call may spend in all, retries and their waits included, before a
 * failure other than throttling is no longer retried: an endpoint that never answers is asked about
 * three times, while a connection that fails fast is retried like any quick failure.
 */
const CALL_BUDGET_IN_TIMEOUTS = 3;

/**
 * The time budget of one call with these timeouts (see `CALL_BUDGET_IN_TIMEOUTS`), ms.
 *
 * @example callBudgetMs({ requestMs: 30_000 }) // 90_000
 */
export function callBudgetMs(timeouts: HttpTimeouts = {}): number {
  return CALL_BUDGET_IN_TIMEOUTS * (timeouts.requestMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
}

/** The smallest interface of an SDK request handler (NodeHttpHandler, or a test fake). */
export interface RequestHandlerLike {
  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }>;
}

/**
 * The request handler of every client: Node's with timeouts (unless a handler is given, e.g. an
 * in-process fake), cancelled by the deadline's signal. A timeout throws `TimeoutError`, which the
 * SDK retries like a 5xx.
 *
 * @example new EC2Client({ requestHandler: createRequestHandler({ requestMs: 30_000 }, deadline) })
 */
export function createRequestHandler(
  timeouts: HttpTimeouts = {},
  deadline?: CallDeadline,
  inner?: RequestHandlerLike,
): RequestHandlerLike {
  const handler =
    inner ??
    new NodeHttpHandler({
      connectionTimeout: timeouts.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      requestTimeout: timeouts.requestMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    });
  if (deadline === undefined) return handler;
  return {
    handle: (request, options) =>
      handler.handle(request, {
        ...options,
        abortSignal: mergeSignals(options?.abortSignal, deadline.signal),
      }),
  };
}

function mergeSignals(given: HttpHandlerOptions['abortSignal'], deadline: AbortSignal): AbortSignal {
  if (given === undefined) return deadline;
  const both = new AbortController();
  allowManyListeners(both.signal);
  for (const signal of [given as AbortSignal, deadline]) {
    if (signal.aborted) both.abort();
    else signal.addEventListener('abort', () => both.abort(), { once: true });
  }
  return both.signal;
}

/**
 * Every call in flight listens to the run's signal (hundreds at once in a big run): that is not
 * the leak Node's default limit of 10 listeners warns about.
 */
export function allowManyListeners(signal: AbortSignal): void {
  setMaxListeners(0, signal);
}

/**
 * Resolves with `work`, or rejects with an `AbortError` as soon as `signal` aborts (for waits
 * that are not HTTP calls, such as a token bucket).
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
}
