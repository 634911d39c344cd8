/**
 * The SDK retry strategy of every client the tool builds.
 *
 * Why not the SDK's `StandardRetryStrategy`: it spends a shared retry quota (500 tokens, a few per
 * retry) on throttling too, so under sustained `RequestLimitExceeded` — normal for a big run — the
 * quota drains and calls fail even though waiting would have worked. Its quota is private, so a
 * subclass cannot exempt throttling. This strategy implements the SDK's `RetryStrategyV2` directly:
 * exponential backoff with full jitter, capped, throttling retried without a quota, 5xx and timeouts
 * retried against a quota (so a sick endpoint is not hammered; see `QUOTA`). The SDK's retry
 * middleware still classifies each error (`THROTTLING`, `TRANSIENT`, `SERVER_ERROR`, `CLIENT_ERROR`).
 *
 * Why a time budget per call rather than a count of timeouts: `TRANSIENT` covers both an endpoint
 * that never answers (each try may take the whole request timeout) and a connection that failed
 * fast (reset, answer lost on the way back, HTTP 500/502/503/504). Counting them alike gave a delete
 * whose answers were often lost three quick tries where ten were cheap. Bounding the time a call
 * has spent bounds a hung endpoint (about three request timeouts) and leaves quick failures their
 * full count of attempts with backoff.
 */
import type { RetryErrorInfo, RetryErrorType, RetryStrategyV2, RetryToken } from '@smithy/types';
import { type CallDeadline, callBudgetMs } from './http.js';

/** Which errors a strategy retries. `throttling-only` is for non-idempotent calls (CreateSnapshot). */
const RETRY_SCOPES = ['all', 'throttling-only'] as const;
export type RetryScope = (typeof RETRY_SCOPES)[number];

export interface RetryOptions {
  /** Attempts in all, first one included. Default 10. */
  readonly maxAttempts?: number;
  readonly scope?: RetryScope;
  /** Backoff base for throttling errors, ms. Default 500. */
  readonly throttlingBaseDelayMs?: number;
  /** Backoff base for other retryable errors, ms. Default 100. */
  readonly baseDelayMs?: number;
  /** Cap of one delay, ms. Default 20,000. */
  readonly maxDelayMs?: number;
  /** Uniform [0, 1); injectable for tests. */
  readonly random?: () => number;
  /**
   * Time one call may spend in all, ms, retries and waits included: past it, a failure other than
   * throttling is not retried again. Default `callBudgetMs()` (three default request timeouts);
   * clients pass the budget of their own timeouts.
   */
  readonly callBudgetMs?: number;
  /** Monotonic ms, for the call budget; injectable for tests. Default `performance.now`. */
  readonly clock?: () => number;
  /** No retry once its signal aborted, and no wait past its time. */
  readonly deadline?: CallDeadline;
}

/**
 * Quota for non-throttling retries, as the SDK's standard mode: 500 tokens, 5 a retry, 10 after a
 * timeout or a dropped connection. Unlike the SDK, a call that gets through gives back all its
 * retries took (the SDK gives back the last one's): an endpoint that loses many answers but does
 * the work is retried as long as calls get through, while calls that fail in the end drain the
 * quota, so an endpoint that answers nothing is soon asked once a call.
 */
const QUOTA = 500;
const RETRY_COST = 5;
const TIMEOUT_COST = 10;

class BackoffToken implements RetryToken {
  constructor(
    private readonly count: number,
    private readonly delayMs: number,
    /** What the call's retries have taken from the quota so far. */
    readonly spent: number,
    /** When the call began (the strategy's clock): its budget counts from there. */
    readonly startedAt: number,
  ) {}
  getRetryCount(): number {
    return this.count;
  }
  getRetryDelay(): number {
    return this.delayMs;
  }
}

/**
 * Retries throttling (never limited by a quota), and — with scope `all` — 5xx, timeouts and dropped
 * connections while the call is within its time budget. Every retry counts toward `maxAttempts`.
 * Returns tokens that carry the delay: the SDK's retry middleware sleeps (and honours abort signals).
 *
 * @example
 * new EC2Client({ retryStrategy: new SnapperRetryStrategy({ maxAttempts: 10 }), maxAttempts: 10 });
 */
export class SnapperRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  private capacity = QUOTA;
  private readonly options: Required<Omit<RetryOptions, 'deadline'>>;
  private readonly deadline: CallDeadline | undefined;

  constructor(options: RetryOptions = {}) {
    this.options = {
      maxAttempts: options.maxAttempts ?? 10,
      scope: options.scope ?? 'all',
      throttlingBaseDelayMs: options.throttlingBaseDelayMs ?? 500,
      baseDelayMs: options.baseDelayMs ?? 100,
      maxDelayMs: options.maxDelayMs ?? 20_000,
      random: options.random ?? Math.random,
      callBudgetMs: options.callBudgetMs ?? callBudgetMs(),
      clock: options.clock ?? performance.now.bind(performance),
    };
    this.deadline = options.deadline;
  }

  async acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    return new BackoffToken(0, 0, 0, this.options.clock());
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const { errorType } = errorInfo;
    const attempts = token.getRetryCount() + 1;
    if (!this.retries(errorType) || attempts >= this.options.maxAttempts) {
      throw new Error('No retry token available');
    }
    if (this.deadline?.signal.aborted === true) throw new Error('No retry token available: the run must end');
    const startedAt = token instanceof BackoffToken ? token.startedAt : this.options.clock();
    const delay = this.delayFor(token.getRetryCount(), errorInfo);
    // Throttling answers come at once and say "wait": the budget bounds calls that hang or fail.
    if (errorType !== 'THROTTLING' && this.options.clock() - startedAt + delay >= this.options.callBudgetMs) {
      throw new Error(
        `No retry token available: the call has spent its time budget (${this.options.callBudgetMs} ms)`,
      );
    }
    const cost = this.costOf(errorType);
    if (cost > this.capacity) throw new Error('No retry token available: retry quota exhausted');
    this.capacity -= cost;
    const spent = token instanceof BackoffToken ? token.spent + cost : cost;
    return new BackoffToken(attempts, delay, spent, startedAt);
  }

  recordSuccess(token: RetryToken): void {
    const refund = token instanceof BackoffToken && token.spent > 0 ? token.spent : 1;
    this.capacity = Math.min(QUOTA, this.capacity + refund);
  }

  /** Remaining quota for non-throttling retries (for tests and diagnostics). */
  getCapacity(): number {
    return this.capacity;
  }

  private retries(errorType: RetryErrorType): boolean {
    if (errorType === 'THROTTLING') return true;
    if (this.options.scope === 'throttling-only') return false;
    return errorType === 'TRANSIENT' || errorType === 'SERVER_ERROR';
  }

  private costOf(errorType: RetryErrorType): number {
    if (errorType === 'THROTTLING') return 0;
    return errorType === 'TRANSIENT' ? TIMEOUT_COST : RETRY_COST;
  }

  /** Full jitter: uniform in [0, min(cap, base · 2^retry)), at least a server's Retry-After hint. */
  private delayFor(retryCount: number, errorInfo: RetryErrorInfo): number {
    const { throttlingBaseDelayMs, baseDelayMs, maxDelayMs, random } = this.options;
    const base = errorInfo.errorType === 'THROTTLING' ? throttlingBaseDelayMs : baseDelayMs;
    const ceiling = Math.min(maxDelayMs, base * 2 ** retryCount);
    const jittered = Math.floor(random() * ceiling);
    const hinted = errorInfo.retryAfterHint ? errorInfo.retryAfterHint.getTime() - Date.now() : 0;
    const left = this.deadline?.at === undefined ? maxDelayMs : Math.max(0, this.deadline.at - Date.now());
    return Math.min(maxDelayMs, left, Math.max(jittered, hinted));
  }
}
