/**
 * The deployment's own monthly bill (issue 19), from per-target figures: Lambda (GB-seconds and
 * requests, both functions), SQS requests, DynamoDB on-demand units and storage, EventBridge
 * Scheduler invocations, CloudWatch Logs (ingestion and storage) and the custom metrics the EMF
 * lines create. Pure: figures and prices in, dollars out. No free tier is subtracted (the hub
 * account's free tier is shared with whatever else runs there).
 */

/** When the prices below were read from the public AWS pricing pages. */
export const PRICES_AS_OF = '2025-06';

/** Public us-east-1 prices (USD), as of {@link PRICES_AS_OF}. */
export const PRICES = {
  /** Lambda, arm64 (the template's architecture), per GB-second of billed duration. */
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  /** SQS standard queue, per request (a 64 KB chunk of payload is one request). */
  sqsRequest: 0.4 / 1e6,
  /** DynamoDB on-demand (prices of November 2024). */
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  dynamoStorageGbMonth: 0.25,
  schedulerInvocation: 1 / 1e6,
  /** CloudWatch Logs, standard class: ingestion per GB, storage per GB-month (compressed; we count raw). */
  logsIngestGb: 0.5,
  logsStorageGbMonth: 0.03,
  /** Custom metrics (one per name × dimension combination), per month, prorated by the hour; tiers. */
  metricTiers: [
    { upTo: 10_000, perMonth: 0.3 },
    { upTo: 250_000, perMonth: 0.1 },
    { upTo: 1_000_000, perMonth: 0.05 },
    { upTo: Number.POSITIVE_INFINITY, perMonth: 0.02 },
  ],
  /** EBS snapshot storage, standard tier, per GB-month: the same whether AWS Backup, DLM or ebs-snapper made it. */
  snapshotGbMonth: 0.05,
} as const;

export type Prices = typeof PRICES;

const GB = 1e9;
const HOURS_PER_MONTH = 730;

/** What one target costs in one run, on average (see docs/cost.md for how each is measured). */
export interface TargetFigures {
  /** Worker invocations per target per run (below 1 when one invocation takes several targets). */
  readonly invocations: number;
  /** Billed worker milliseconds per target per run (its share of invocations that take several). */
  readonly billedMs: number;
  /** SQS requests per target per run: its share of SendMessageBatch, ReceiveMessage, DeleteMessageBatch, continuations. */
  readonly sqsRequests: number;
  readonly dynamoWriteUnits: number;
  readonly dynamoReadUnits: number;
  /** Bytes the target adds to the table per run and that stay `retentionDays` (the run record). */
  readonly storedBytes: number;
  /** Log bytes per target per run: JSON lines, EMF lines, Lambda's START/END/REPORT lines. */
  readonly logBytes: number;
  /** Metric name × dimension combinations the target publishes in each run. */
  readonly metricSeries: number;
}

/** The fan-out's share of one run, whatever the fleet: a base plus a part per account. */
export interface FanOutFigures {
  readonly memoryMb: number;
  readonly baseMs: number;
  readonly msPerAccount: number;
  readonly logBytesPerAccount: number;
}

export interface Fleet {
  readonly accounts: number;
  readonly regions: number;
  /** Runs a month: 730 hourly, 30.4 daily. */
  readonly runsPerMonth: number;
  /** The share of targets that select or manage something; the rest are empty. */
  readonly nonEmptyShare: number;
  readonly workerMemoryMb: number;
  /** Days run records stay in the table (and log lines in their group). */
  readonly retentionDays: number;
  /** Metric series the deployment publishes as a whole each run (no Account or Region dimension). */
  readonly sharedMetricSeries?: number;
}

export interface Bill {
  readonly lambda: number;
  readonly sqs: number;
  readonly dynamo: number;
  readonly scheduler: number;
  readonly logs: number;
  readonly metrics: number;
  /** Lambda + SQS + DynamoDB + Scheduler: what running the work costs. */
  readonly compute: number;
  readonly total: number;
}

/** SQS requests a month the worker's event source mapping makes polling an idle queue (5 long pollers, 20 s waits). */
export const IDLE_POLLING_REQUESTS = 5 * 3 * 60 * HOURS_PER_MONTH;

/**
 * Custom metrics' monthly charge for `metricMonths` (metrics × the share of the month's hours in
 * which each gets data), through the tiers.
 *
 * @example metricCharge(20_000) // 10,000 × $0.30 + 10,000 × $0.10 = 4,000
 */
export function metricCharge(metricMonths: number, prices: Prices = PRICES): number {
  let charge = 0;
  let below = 0;
  for (const tier of prices.metricTiers) {
    const inTier = Math.max(0, Math.min(metricMonths, tier.upTo) - below);
    charge += inTier * tier.perMonth;
    below = tier.upTo;
  }
  return charge;
}

/** Per-target figures of the fleet's mix of empty and non-empty targets. */
export function blend(empty: TargetFigures, nonEmpty: TargetFigures, nonEmptyShare: number): TargetFigures {
  const mix = (key: keyof TargetFigures) => empty[key] * (1 - nonEmptyShare) + nonEmpty[key] * nonEmptyShare;
  return {
    invocations: mix('invocations'),
    billedMs: mix('billedMs'),
    sqsRequests: mix('sqsRequests'),
    dynamoWriteUnits: mix('dynamoWriteUnits'),
    dynamoReadUnits: mix('dynamoReadUnits'),
    storedBytes: mix('storedBytes'),
    logBytes: mix('logBytes'),
    metricSeries: mix('metricSeries'),
  };
}

/**
 * The monthly bill of `fleet` whose targets cost `perTarget` each per run (already blended).
 *
 * @example monthlyBill(fleet, blend(EMPTY, TYPICAL, 0.1), FANOUT).total
 */
export function monthlyBill(
  fleet: Fleet,
  perTarget: TargetFigures,
  fanOut: FanOutFigures,
  prices: Prices = PRICES,
): Bill {
  const targets = fleet.accounts * fleet.regions;
  const runs = fleet.runsPerMonth;
  const workerGbS = ((targets * perTarget.billedMs) / 1000) * (fleet.workerMemoryMb / 1024) * runs;
  const fanOutGbS =
    ((fanOut.baseMs + fanOut.msPerAccount * fleet.accounts) / 1000) * (fanOut.memoryMb / 1024) * runs;
  const requests = (targets * perTarget.invocations + 1) * runs;
  const lambda = (workerGbS + fanOutGbS) * prices.lambdaGbSecond + requests * prices.lambdaRequest;
  const sqs = (targets * perTarget.sqsRequests * runs + IDLE_POLLING_REQUESTS) * prices.sqsRequest;
  const storedGb = (targets * perTarget.storedBytes * runs * (fleet.retentionDays / 30.4)) / GB;
  const dynamo =
    targets *
      runs *
      (perTarget.dynamoWriteUnits * prices.dynamoWriteUnit +
        perTarget.dynamoReadUnits * prices.dynamoReadUnit) +
    storedGb * prices.dynamoStorageGbMonth;
  const scheduler = runs * prices.schedulerInvocation;
  const logGb = ((targets * perTarget.logBytes + fleet.accounts * fanOut.logBytesPerAccount) * runs) / GB;
  const logs = logGb * prices.logsIngestGb + logGb * (fleet.retentionDays / 30.4) * prices.logsStorageGbMonth;
  // A metric is charged for the hours in which it gets data: every hour when hourly, one in 24 when daily.
  const series = targets * perTarget.metricSeries + (fleet.sharedMetricSeries ?? 0);
  const metrics = metricCharge(series * Math.min(1, runs / HOURS_PER_MONTH), prices);
  const compute = lambda + sqs + dynamo + scheduler;
  return { lambda, sqs, dynamo, scheduler, logs, metrics, compute, total: compute + logs + metrics };
}

/** A non-empty target's two kinds of run: one with work to do (creates, deletes), one without. */
export interface NonEmptyTarget {
  readonly work: TargetFigures;
  readonly idle: TargetFigures;
}

/**
 * A non-empty target's average run when its policies want a snapshot a day: every daily run has
 * work, one hourly run in 24.
 *
 * @example perRun(target, 730) // 1/24 of target.work + 23/24 of target.idle
 */
export function perRun(target: NonEmptyTarget, runsPerMonth: number): TargetFigures {
  return blend(target.idle, target.work, Math.min(1, 30.4 / runsPerMonth));
}
