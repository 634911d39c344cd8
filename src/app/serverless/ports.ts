/**
 * The ports of the deployed (Lambda) path, besides EC2: the DynamoDB table's three uses (configs,
 * leases, run records), the work queue and the notifiers. `src/aws/*` implements them; tests may
 * implement them in memory. Each adapter operation declares its IAM actions in `src/aws/iam.ts`.
 */

/** A policy document kept in the table under a name (SPEC §10: the same YAML text as the file). */
export interface StoredConfig {
  readonly name: string;
  /** The YAML (or JSON) text, as pushed. */
  readonly text: string;
  /** ISO-8601 UTC. */
  readonly updatedAt: string;
  /** Hex SHA-256 of `text`, to tell versions apart. */
  readonly sha256: string;
}

export interface ConfigStore {
  put(config: StoredConfig): Promise<void>;
  get(name: string): Promise<StoredConfig | undefined>;
  list(): Promise<readonly Omit<StoredConfig, 'text'>[]>;
  /** False when there was nothing of that name. */
  delete(name: string): Promise<boolean>;
}

/** Who holds an account × region: one invocation (run id + Lambda request id), until `expiresAt`. */
export interface Lease {
  /** `account/region`. */
  readonly key: string;
  readonly owner: string;
  /** Epoch ms; a lease past it is as good as absent (DynamoDB's TTL deletes late, if ever). */
  readonly expiresAt: number;
}

export interface LeaseStore {
  /** Take the lease, or return undefined when another owner holds one that has not expired. */
  acquire(key: string, owner: string, now: number, ttlMs: number): Promise<Lease | undefined>;
  /** Give it back; a lease taken over meanwhile (ours expired) is left alone. */
  release(lease: Lease): Promise<void>;
}

/** What one invocation did to one account × region (SPEC §10), kept 90 days. */
export interface RunRecord {
  readonly runId: string;
  readonly account: string;
  readonly region: string;
  readonly continuation: number;
  /** ISO-8601 UTC. */
  readonly startedAt: string;
  readonly endedAt: string;
  readonly created: number;
  readonly deleted: number;
  readonly failed: number;
  readonly deferred: number;
  /** `ok`, `failed`, `skipped` (lease held elsewhere), `continued` (work handed on). */
  readonly outcome: 'ok' | 'failed' | 'skipped' | 'continued';
  readonly failures: readonly {
    readonly code: string;
    readonly message: string;
    readonly subject?: string;
  }[];
  /** Restore drills of the invocation, when it had any. */
  readonly drills?: {
    readonly started: number;
    readonly passed: number;
    readonly failed: number;
    /** Still in flight at the end (they go on in a later run). */
    readonly inFlight: number;
  };
  /** Found empty by two small pages (SPEC §16): no volume, no snapshot of the policies; nothing collected. */
  readonly empty?: true;
  /** The snapshots this invocation deleted, for `undo` (SPEC §14); kept beside the record, in parts. */
  readonly deletedSnapshotIds?: readonly string[];
}

/** What one account × region of a run deleted, as `undo` reads it back. */
export interface RunDeletes {
  readonly account: string;
  readonly region: string;
  readonly snapshotIds: readonly string[];
}

export interface RunRecordStore {
  /**
   * Write the record unless one of the same run, target and continuation is there that tells at
   * least as much (`precedence`, higher tells more): a message delivered again never rewrites the
   * record of the delivery that did the work. False when the record there was kept.
   */
  put(record: RunRecord, precedence: number): Promise<boolean>;
  /** Every record of a run, by account, region and continuation. */
  list(runId: string): Promise<readonly RunRecord[]>;
  /** What each account × region of a run deleted (every invocation's, once each); absent in fakes. */
  listDeleted?(runId: string): Promise<readonly RunDeletes[]>;
}

/**
 * Which continuations were sent: a continuation is claimed (a conditional write) before it is
 * sent, so a message delivered again — after its first delivery handed its work on — never starts
 * a second chain. Keyed by the continuation's own work item.
 */
export interface HandoffStore {
  /** True when `next` was not claimed yet and now is; false when an earlier delivery claimed it. */
  claim(next: WorkItem, now: number): Promise<boolean>;
  /** Give a claim back after its message could not be sent, so a later delivery may send it. */
  release(next: WorkItem): Promise<void>;
}

/** One SQS message: one account × region of one run (SPEC §10, snake_case on the wire). */
export interface WorkItem {
  readonly account: string;
  readonly region: string;
  readonly run_id: string;
  readonly continuation: number;
}

/** A work item the queue would not take (after trying again where that may help), and why. */
export interface UnqueuedItem {
  readonly item: WorkItem;
  readonly code: string;
  readonly message: string;
}

export interface WorkQueue {
  /**
   * Send the items (in batches of 10), visible after `delaySeconds`. A refusal of some items never
   * stops the others: what could not be queued is returned, not thrown.
   */
  send(items: readonly WorkItem[], delaySeconds?: number): Promise<readonly UnqueuedItem[]>;
}

const NOTIFY_WHAT = ['failure', 'summary', 'overdue'] as const;

/** A message for people: SNS (subject + JSON) and webhooks (Slack-compatible `text` + the same fields). */
export interface Notification {
  readonly event: (typeof NOTIFY_WHAT)[number];
  /** `ebs-snapper: <what> in <account> <region>`. */
  readonly subject: string;
  /** One line or a few, for people. */
  readonly text: string;
  /** The machine-readable part: run id, account, region, counts, failures. */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface Notifier {
  /** Where it sends, for logs: `sns:arn...`, `webhook:https://host/...`. */
  readonly target: string;
  send(notification: Notification): Promise<void>;
}
