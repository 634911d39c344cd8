/**
 * The normalized policy model: what `parseConfig` returns once a YAML/JSON policy file has been
 * validated. Durations are milliseconds, names are camelCase, every default is filled in, so the
 * planner never has to think about aliases or missing keys.
 */
import type { Warning } from '../warnings.js';

/** EC2 filter name → accepted values (OR). EC2 semantics: `*` and `?` are wildcards. */
export type FilterMap = Readonly<Record<string, readonly string[]>>;

export interface Exclusions {
  /** Exclude the volume attached at the instance's root device. Default false. */
  readonly bootVolume: boolean;
  readonly volumeIds: readonly string[];
  readonly instanceIds: readonly string[];
  /** A volume is excluded when it, or its instance, carries any of these tag key/value pairs. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Which volumes a policy covers. Every given selector must hold (AND). */
export interface Selection {
  /** DescribeInstances filter names, e.g. `tag:Role`, `instance-state-name`. */
  readonly instances?: FilterMap;
  /** Shortcut for `tag:Name` (wildcards allowed). */
  readonly instanceNames?: readonly string[];
  readonly instanceIds?: readonly string[];
  /** Instances of these Auto Scaling groups. */
  readonly asg?: readonly string[];
  /** DescribeVolumes filter names. Alone (no instance selector) it is a volume-targeted policy. */
  readonly volumes?: FilterMap;
  readonly exclude: Exclusions;
}

export type Schedule =
  | {
      readonly kind: 'every';
      readonly everyMs: number;
      readonly toleranceMs: number;
      /** The text the user wrote, for messages. */
      readonly source: string;
    }
  | {
      readonly kind: 'cron';
      /**
       * A pattern `croner` understands (seconds first, optional year last) derived from the
       * user's 5-field, AWS 6-field or `@daily` form.
       */
      readonly pattern: string;
      /** IANA time zone, default `UTC`. */
      readonly timezone: string;
      readonly toleranceMs: number;
      /** The text the user wrote, for messages. */
      readonly source: string;
    };

export type Orphaned =
  | { readonly kind: 'keep' }
  | { readonly kind: 'expire-after'; readonly afterMs: number };

export interface Retention {
  /** Undefined: age never expires a snapshot (only the count and tier rules apply). */
  readonly maxAgeMs?: number;
  /** Keep the newest N completed snapshots. Default 1. */
  readonly minimum: number;
  readonly keepDaily: number;
  readonly keepWeekly: number;
  readonly keepMonthly: number;
  readonly keepYearly: number;
  readonly orphaned: Orphaned;
}

export const CONSISTENCIES = ['volume', 'instance', 'application'] as const;
export type Consistency = (typeof CONSISTENCIES)[number];

/** The built-in pre and post script: freeze (and thaw) the selected volumes' filesystems. */
export const BUILTIN_FSFREEZE = 'fsfreeze';
/** What happens to an instance whose pre script failed or that SSM does not manage. */
export const FREEZE_FAILURE_MODES = ['crash-consistent', 'skip'] as const;
export type FreezeFailureMode = (typeof FREEZE_FAILURE_MODES)[number];

/** `consistency: application`: the scripts run around the instance's CreateSnapshots (SPEC §15). */
export interface FreezeScripts {
  /** `fsfreeze`, or the name or ARN of an SSM command document. */
  readonly pre: string;
  readonly post: string;
  /** How long each script may take, 10–120 s. */
  readonly timeoutMs: number;
  /** Attempts after the first, 0–3. */
  readonly retries: number;
  readonly onFailure: FreezeFailureMode;
}
export const COPY_TAGS = ['none', 'volume', 'instance+volume'] as const;
type CopyTags = (typeof COPY_TAGS)[number];

export interface SnapshotSettings {
  readonly consistency: Consistency;
  readonly copyTags: CopyTags;
  /** Extra tags; values may use {instance_id} {volume_id} {device} {policy} {date}. */
  readonly tags: Readonly<Record<string, string>>;
  /** Template with the same placeholders. Default `"{policy} {volume_id} from {instance_id}"`. */
  readonly description: string;
  readonly stopInstance: boolean;
  /** How long to wait for `stopped` before starting the instance again. Default 10 minutes. */
  readonly stopTimeoutMs: number;
  /** Instances of the policy stopped at once; undefined = 1 per Auto Scaling group, unlimited otherwise. */
  readonly maxStopped?: number;
  /** Set exactly when `consistency` is `application`. */
  readonly scripts?: FreezeScripts;
  /** `snapshot.lock`: each new snapshot is locked (EBS snapshot lock) as soon as EC2 accepts it. */
  readonly lock?: LockRule;
}

export const DRILL_CHECKS = ['available', 'initialized', 'ssm'] as const;
/** What a restore drill proves; each includes the ones before it. */
export type DrillCheck = (typeof DRILL_CHECKS)[number];

/** Where an `ssm` drill's volume is attached: one instance, or the running instances with these tags. */
export type DrillHost = { readonly instanceId: string } | { readonly tags: Readonly<Record<string, string>> };

/** `drill`: restore drills of the policy's snapshots (docs/drills.md). */
export interface DrillSettings {
  readonly everyMs: number;
  /** The text the user wrote, for messages. */
  readonly everySource: string;
  /** Series drilled per policy per account × region when due. Default 1. */
  readonly sample: number;
  readonly check: DrillCheck;
  /** A drill not finished by then is failed and cleaned up. Default 2 hours. */
  readonly timeoutMs: number;
  /** Where drill volumes are made (in its own region only); default the source volume's zone. */
  readonly availabilityZone?: string;
  /** `check: ssm` only. */
  readonly host?: DrillHost;
  /** `check: ssm` only: run with AWS-RunShellScript; exit 0 = passed. */
  readonly commands: readonly string[];
}

export const LOCK_MODES = ['governance', 'compliance'] as const;
export type LockMode = (typeof LOCK_MODES)[number];

/** How snapshots are locked (`snapshot.lock`, or a `copy_to` entry's `lock`). */
export interface LockRule {
  readonly mode: LockMode;
  /**
   * `until: <duration>`: locked for this long from the snapshot's creation. Undefined
   * (`until: expiry`): until its `ebs-snapper:expires-at`, when its `max_age` passes.
   */
  readonly durationMs?: number;
  /** Compliance mode: hours during which the lock can still be changed or removed (1–72). */
  readonly coolOffHours?: number;
}

export interface CopyTarget {
  readonly region: string;
  readonly retention: Retention;
  readonly kmsKeyId?: string;
  readonly lock?: LockRule;
}

/**
 * A `copy_to` entry with an `account`: copies owned by that (vault) account, made by it through
 * its role from a share of the source, and planned and deleted only through that role.
 */
export interface VaultTarget {
  readonly account: string;
  /** Undefined: the source snapshot's own region. */
  readonly region?: string;
  /** The vault's role (default `ebs-snapper-member`). */
  readonly roleName: string;
  readonly retention: Retention;
  /** The vault's KMS key for the copy. */
  readonly kmsKeyId?: string;
  readonly lock?: LockRule;
}

export interface Policy {
  /** `^[a-z0-9][a-z0-9-]{0,62}$`, unique in the file. */
  readonly id: string;
  readonly select: Selection;
  readonly schedule: Schedule;
  readonly retention: Retention;
  readonly snapshot: SnapshotSettings;
  readonly copyTo: readonly CopyTarget[];
  /** Restore drills; absent when the policy has none. */
  readonly drill?: DrillSettings;
  /** `copy_to` entries with an `account` (vault copies); absent or empty when there are none. */
  readonly vaultTo?: readonly VaultTarget[];
}

export type GuardLimit =
  | { readonly kind: 'count'; readonly count: number }
  | { readonly kind: 'percent'; readonly percent: number };

export const NOTIFY_EVENTS = ['failure', 'summary', 'overdue'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** When EventBridge Scheduler starts a deployed run. */
export interface DeploySchedule {
  /** `rate(1 hour)` or `cron(0 3 * * ? *)`, as EventBridge Scheduler takes it. */
  readonly expression: string;
  /** IANA zone the cron is read in; default UTC. */
  readonly timezone: string;
}

export interface Settings {
  /** Undefined: every region the account has enabled. */
  readonly regions?: readonly string[];
  /** Deployed: the accounts to work on; undefined = the deployment's own account. */
  readonly accounts?: readonly string[];
  /** Deployed: every ACTIVE account of the AWS Organization (`organizations:ListAccounts`). */
  readonly organization: boolean;
  /** Deployed: the Scheduler's schedule (`deploy`); undefined = `deploy --schedule` or its default. */
  readonly schedule?: DeploySchedule;
  readonly guard: { readonly maxDeletes?: GuardLimit };
  readonly notify?: {
    readonly snsTopicArn?: string;
    readonly webhookUrl?: string;
    readonly on: readonly NotifyEvent[];
  };
}

export interface Config {
  readonly version: 1;
  readonly settings: Settings;
  readonly policies: readonly Policy[];
}

/** Result of parsing: errors and warnings are `"path.to.key: message"` strings. */
export interface ParseResult {
  readonly config?: Config;
  readonly errors: readonly string[];
  readonly warnings: readonly Warning[];
}
