/**
 * Which requests the fault proxy answers itself instead of forwarding: EC2-shaped token buckets,
 * forced error codes, random throttling and 500s, answers lost on their way back. Decisions are
 * deterministic for a given seed and clock, and each action draws from its own random stream: with
 * one call of an action at a time, calls of other actions side by side do not change its faults.
 */

import { mulberry32 } from '../random.js';
import type { AnswerRewrite } from './answer-rewrite.js';
import type { LockedSnapshotConfig } from './locked-snapshots.js';

/** One token bucket: `capacity` requests at once, then `refillPerSecond` more each second. */
export interface TokenBucketConfig {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/** An error answered for an action, `times` times (every time when omitted). */
export interface ForcedError {
  readonly code: string;
  readonly status: number;
  readonly times?: number;
  readonly message?: string;
  /** Only requests whose parameters have these values, e.g. `{ RoleArn: 'arn:aws:iam::2…:role/x' }`. */
  readonly when?: Readonly<Record<string, string>>;
  /** Carry the request out first, then answer the error: the response was lost. */
  readonly afterForward?: boolean;
}

/** What the fault proxy does; `configure` replaces the whole configuration. */
export interface FaultConfig {
  /** The snapshot locks the proxy answers DescribeLockedSnapshots with (moto has none). Default none. */
  readonly lockedSnapshots?: readonly LockedSnapshotConfig[];
  /** Per action; `'*'` gives every action without its own entry a bucket of its own of that size. */
  readonly buckets?: Readonly<Record<string, TokenBucketConfig>>;
  /** Share of requests (0..1) answered `RequestLimitExceeded` at random. */
  readonly throttleRate?: number;
  /** Share of requests (0..1) answered HTTP 500 `InternalError` at random. */
  readonly errorRate?: number;
  /**
   * Share of answers (0..1) lost at random, per action: the request is carried out, then the
   * connection is cut without an answer (the client sees a reset, not a timeout).
   */
  readonly loseAnswers?: Readonly<Record<string, number>>;
  /** Delay before every answer, in ms. */
  readonly delayMs?: number;
  /** Delay before the answers of these actions, in ms (the request reaches moto after it). */
  readonly delayFor?: Readonly<Record<string, number>>;
  /** Forced errors per action, e.g. `{ CreateSnapshot: { code: 'ConcurrentSnapshotLimitExceeded', status: 400, times: 2 } }`. */
  readonly errorsFor?: Readonly<Record<string, ForcedError>>;
  /** Largest page per Describe* action (the request's MaxResults applies when smaller). */
  readonly pageSize?: Readonly<Record<string, number>>;
  /** Seed of the random faults. Default 1. */
  readonly seed?: number;
  /** Actions the proxy never answers: the connection stays open and silent (a hung endpoint). */
  readonly hangFor?: readonly string[];
  /**
   * Once a request of this action has been answered, the proxy answers nothing more: the client
   * hangs right after that step (a test then kills it there).
   */
  readonly hangAfter?: string;
  /** DescribeSnapshots leaves out snapshots created through the proxy less than this long ago. */
  readonly listingLagMs?: number;
  /** For this long after a StopInstances, DescribeInstances shows `stopped` instances as `stopping`. */
  readonly stoppingForMs?: number;
  /** Answers rewritten on their way back, per action (what moto cannot produce). */
  readonly rewrite?: Readonly<Record<string, AnswerRewrite>>;
  /** APIs the proxy answers itself, in the service's own shapes (what moto lacks), first match wins. */
  readonly emulations?: readonly Emulation[];
}

/** A request the proxy hands to an emulation. */
export interface EmulatedRequest {
  /** The signing service: `ec2`, `ssm`, `rbin`, ... */
  readonly service: string;
  readonly action: string;
  /** The request's path and query (REST services route by it: `/2015-03-31/functions/f/invocations`). */
  readonly url: string;
  /** The same as `url`. */
  readonly path: string;
  /** The form of a Query request (EC2, STS, ...). */
  readonly params: URLSearchParams;
  /** The body of a JSON request (`X-Amz-Target`: SSM, DynamoDB, ...). */
  readonly json?: Record<string, unknown>;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * Send the request on to moto, for an emulation that completes what moto does; with `body`, that
   * body instead (an emulation that lets moto do part of a request).
   */
  forward(body?: Buffer): Promise<EmulatedAnswer>;
}

/** What an emulation answers. */
export interface EmulatedAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/**
 * An AWS API moto does not implement (or not faithfully), answered by the proxy itself: see
 * docs/testing.md, "Emulated behind the fault proxy".
 */
export interface Emulation {
  answers(service: string, action: string): boolean;
  /** The answer, or undefined to let the next emulation (or moto) answer this request. */
  answer(request: EmulatedRequest): EmulatedAnswer | undefined | Promise<EmulatedAnswer | undefined>;
  /**
   * Rewrites an answer that moto gave (after the proxy's paging), e.g. to hide what the emulation
   * keeps out of sight; undefined leaves it as it is.
   */
  rewrite?(
    request: EmulatedRequest,
    answer: EmulatedAnswer,
  ): EmulatedAnswer | undefined | Promise<EmulatedAnswer | undefined>;
}

/** An answer the proxy gives instead of forwarding. */
export interface InjectedFault {
  /** The EC2 error code; the Query services (Auto Scaling, STS) get `Throttling` for throttles. */
  readonly code: string;
  readonly status: number;
  readonly message: string;
  readonly throttle: boolean;
  /** Forward the request first, then answer the fault. */
  readonly afterForward?: boolean;
  /** Forward the request first, then cut the connection instead of answering. */
  readonly lost?: boolean;
}

export interface FaultInjector {
  /** The fault to answer this request of `action` (with these parameters) with, or undefined to forward it. */
  decide(action: string, params?: URLSearchParams): InjectedFault | undefined;
}

interface Bucket {
  tokens: number;
  last: number;
}

const THROTTLE: InjectedFault = {
  code: 'RequestLimitExceeded',
  status: 503,
  message: 'Request limit exceeded.',
  throttle: true,
};
const INTERNAL: InjectedFault = {
  code: 'InternalError',
  status: 500,
  message: 'An internal error has occurred.',
  throttle: false,
};
const LOST: InjectedFault = {
  code: 'AnswerLost',
  status: 0,
  message: 'answer lost',
  throttle: false,
  lost: true,
};

/**
 * Builds the fault decisions for one configuration; buckets start full.
 *
 * @example createFaultInjector({ buckets: { '*': { capacity: 100, refillPerSecond: 20 } } }).decide('DescribeVolumes')
 */
export function createFaultInjector(config: FaultConfig, now = () => performance.now()): FaultInjector {
  const streams = new Map<string, () => number>();
  const randomFor = (action: string): (() => number) => {
    let random = streams.get(action);
    if (random === undefined) {
      random = mulberry32((config.seed ?? 1) ^ hashOf(action));
      streams.set(action, random);
    }
    return random;
  };
  const buckets = new Map<string, Bucket>();
  const forcedLeft = new Map<string, number>();

  function takeToken(action: string): boolean {
    const size = config.buckets?.[action] ?? config.buckets?.['*'];
    if (size === undefined) return true;
    const time = now();
    const bucket = buckets.get(action) ?? { tokens: size.capacity, last: time };
    bucket.tokens = Math.min(
      size.capacity,
      bucket.tokens + ((time - bucket.last) / 1000) * size.refillPerSecond,
    );
    bucket.last = time;
    buckets.set(action, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  function takeForcedError(action: string, params: URLSearchParams | undefined): InjectedFault | undefined {
    const forced = config.errorsFor?.[action];
    if (forced === undefined) return undefined;
    for (const [name, value] of Object.entries(forced.when ?? {}))
      if (params?.get(name) !== value) return undefined;
    const left = forcedLeft.get(action) ?? forced.times ?? Number.POSITIVE_INFINITY;
    if (left <= 0) return undefined;
    forcedLeft.set(action, left - 1);
    const message = forced.message ?? `Injected ${forced.code}.`;
    return {
      code: forced.code,
      status: forced.status,
      message,
      throttle: false,
      afterForward: forced.afterForward === true,
    };
  }

  return {
    decide(action, params) {
      const forced = takeForcedError(action, params);
      if (forced !== undefined) return forced;
      if (!takeToken(action)) return THROTTLE;
      const random = randomFor(action);
      if (config.throttleRate !== undefined && random() < config.throttleRate) return THROTTLE;
      if (config.errorRate !== undefined && random() < config.errorRate) return INTERNAL;
      const lose = config.loseAnswers?.[action];
      if (lose !== undefined && random() < lose) return LOST;
      return undefined;
    },
  };
}

/** FNV-1a of an action name: a seed of its own random stream. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
