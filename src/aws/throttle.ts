/**
 * Client-side token buckets, one per account × region × API action, shaped like EC2's own
 * request-rate buckets (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html).
 * A big run then proceeds at the limit instead of fighting it with `RequestLimitExceeded` retries.
 */

/** Time source and sleeper, injectable so unit tests run on a fake clock. */
export interface Clock {
  /** Milliseconds; only differences matter. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A bucket's shape: `capacity` tokens of burst, refilled at `refillPerSecond`. */
export interface BucketSpec {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/**
 * A token bucket. `take()` resolves when a token is available; callers that find the bucket empty
 * reserve a future token (the level goes negative) and sleep exactly until it refills, so waiters
 * are served in order without polling.
 *
 * @example
 * const bucket = new TokenBucket({ capacity: 100, refillPerSecond: 5 });
 * await bucket.take();
 */
export class TokenBucket {
  readonly spec: BucketSpec;
  private readonly clock: Clock;
  private level: number;
  private updatedAt: number;

  constructor(spec: BucketSpec, clock: Clock = SYSTEM_CLOCK) {
    if (!(spec.capacity >= 1) || !(spec.refillPerSecond > 0)) {
      throw new RangeError(`invalid bucket: capacity ${spec.capacity}, refill ${spec.refillPerSecond}/s`);
    }
    this.spec = spec;
    this.clock = clock;
    this.level = spec.capacity;
    this.updatedAt = clock.now();
  }

  /** Tokens available now (negative while callers are waiting for reserved tokens). */
  available(): number {
    this.refill();
    return this.level;
  }

  /** Takes one token, waiting for the refill when the bucket is empty. */
  async take(): Promise<void> {
    this.refill();
    this.level -= 1;
    if (this.level >= 0) return;
    const waitMs = (-this.level / this.spec.refillPerSecond) * 1000;
    await this.clock.sleep(Math.ceil(waitMs));
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsedMs = Math.max(0, now - this.updatedAt);
    this.updatedAt = now;
    this.level = Math.min(this.spec.capacity, this.level + (elapsedMs / 1000) * this.spec.refillPerSecond);
  }
}

/** EC2's published buckets for the actions the tool calls most (burst, refill per second). */
const EC2_BUCKETS: Readonly<Record<string, BucketSpec>> = {
  CreateSnapshot: { capacity: 100, refillPerSecond: 5 },
  CreateSnapshots: { capacity: 100, refillPerSecond: 5 },
  DeleteSnapshot: { capacity: 100, refillPerSecond: 5 },
};
/** EC2's bucket for every `Describe*` action. */
export const DESCRIBE_BUCKET: BucketSpec = { capacity: 100, refillPerSecond: 20 };
/** For any other action (EC2's "unfiltered and unpaginated non-mutating" and mutating defaults are at least this). */
export const DEFAULT_BUCKET: BucketSpec = { capacity: 50, refillPerSecond: 5 };

export interface ThrottleRegistryOptions {
  /** Per-action overrides, e.g. `{ CreateSnapshot: { capacity: 100, refillPerSecond: 50 } }`. */
  readonly buckets?: Readonly<Record<string, BucketSpec>>;
  /** Overrides {@link DESCRIBE_BUCKET}. */
  readonly describe?: BucketSpec;
  /** Overrides {@link DEFAULT_BUCKET}. */
  readonly fallback?: BucketSpec;
  readonly clock?: Clock;
}

/**
 * All buckets of a process, keyed `${account}/${region}/${action}`; buckets are made on first use.
 * Share one registry between every client of an account × region so that all calls count.
 *
 * @example
 * const throttle = new ThrottleRegistry({ buckets: { DeleteSnapshot: { capacity: 100, refillPerSecond: 50 } } });
 * await throttle.take('123456789012', 'us-east-1', 'DeleteSnapshot');
 */
export class ThrottleRegistry {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly options: ThrottleRegistryOptions;

  constructor(options: ThrottleRegistryOptions = {}) {
    this.options = options;
  }

  /** The bucket shape for an action: override, then EC2's published bucket, then Describe*, then the default. */
  specFor(action: string): BucketSpec {
    const override = this.options.buckets?.[action];
    if (override) return override;
    const published = EC2_BUCKETS[action];
    if (published) return published;
    if (action.startsWith('Describe')) return this.options.describe ?? DESCRIBE_BUCKET;
    return this.options.fallback ?? DEFAULT_BUCKET;
  }

  bucketFor(account: string, region: string, action: string): TokenBucket {
    const key = `${account}/${region}/${action}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.specFor(action), this.options.clock);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  take(account: string, region: string, action: string): Promise<void> {
    return this.bucketFor(account, region, action).take();
  }
}
