/**
 * The ports of `deploy`: CloudFormation stacks, the artifacts bucket and the functions' code.
 * `src/aws/` implements them (each operation declaring its IAM actions); tests may fake them.
 */
import { EbsSnapperError } from '../../core/errors.js';

/** A stack as `DescribeStacks` shows it. */
export interface StackSummary {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly outputs: Readonly<Record<string, string>>;
}

/** One line of a stack's history (`DescribeStackEvents`). */
export interface StackEvent {
  readonly id: string;
  /** Epoch ms. */
  readonly timestamp: number;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly status: string;
  readonly reason?: string;
}

/** What a stack should be: its template and every parameter's value. */
export interface StackRequest {
  readonly name: string;
  readonly templateBody: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/** One line of a change set. */
export interface StackChange {
  /** `Add`, `Modify`, `Remove`, `Import`, `Dynamic`. */
  readonly action: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** The resource's name or id, for a resource that exists. */
  readonly physicalId?: string;
  /** `True`, `False`, `Conditional` for a `Modify`. */
  readonly replacement?: string;
}

export interface ChangeSetState {
  /** `CREATE_PENDING`, `CREATE_IN_PROGRESS`, `CREATE_COMPLETE`, `FAILED`, ... */
  readonly status: string;
  readonly reason?: string;
  readonly changes: readonly StackChange[];
}

export interface StackPort {
  /** The stack, or undefined when there is none of that name (or id). */
  describe(nameOrId: string): Promise<StackSummary | undefined>;
  /** The template the stack was last deployed with, as it was sent. */
  templateBody(nameOrId: string): Promise<string>;
  /** Starts a create; resolves with the stack id. */
  create(request: StackRequest): Promise<string>;
  /** Starts an update; `no-updates` when CloudFormation finds nothing to do. */
  update(request: StackRequest): Promise<'started' | 'no-updates'>;
  delete(nameOrId: string): Promise<void>;
  /** The newest event's id (to show only what follows), undefined for a stack with none. */
  latestEventId(nameOrId: string): Promise<string | undefined>;
  /** The events after `afterId` (all when undefined), oldest first. */
  eventsAfter(nameOrId: string, afterId: string | undefined): Promise<readonly StackEvent[]>;
  /** Starts an UPDATE change set; resolves with its id. */
  createChangeSet(request: StackRequest, changeSetName: string): Promise<string>;
  /** The change set's state and every change it lists (all pages). */
  describeChangeSet(id: string): Promise<ChangeSetState>;
  /** Starts the update the change set describes (the change set is used up). */
  executeChangeSet(id: string): Promise<void>;
  deleteChangeSet(id: string): Promise<void>;
}

/** An object of the artifacts bucket, as HeadObject shows it. */
interface StoredObject {
  readonly size: number;
  /** The whole object's SHA-256 (base64) as S3 checked it on upload; absent when put without one. */
  readonly sha256Base64?: string;
}

/** Where the code goes: the artifacts bucket of the account and region. */
export interface ArtifactStore {
  readonly bucket: string;
  /** Create the bucket (public access blocked) unless it exists; `created` when it did not. */
  ensureBucket(): Promise<'created' | 'exists'>;
  /** What is at `key` (size, and S3's SHA-256 checksum when it has one); undefined: nothing. */
  describeObject(key: string): Promise<StoredObject | undefined>;
  /** The base64 SHA-256 of the bytes at `key`, read and hashed; undefined: nothing there. */
  readSha256(key: string): Promise<string | undefined>;
  /** Write `body`, which S3 refuses unless it hashes to `sha256Base64`. */
  put(key: string, body: Uint8Array, sha256Base64: string): Promise<void>;
}

/** The deployed functions' code. */
export interface FunctionCodePort {
  /** Lambda's `CodeSha256` (base64), or undefined when there is no such function. */
  codeSha256(functionName: string): Promise<string | undefined>;
  /** Give the function these zip bytes; resolves with its new `CodeSha256`. */
  updateCode(functionName: string, zip: Uint8Array): Promise<string>;
}

/** A DynamoDB table an earlier stack of the same name kept (`DeletionPolicy: Retain`). */
export interface KeptTable {
  readonly name: string;
  /** Epoch ms. */
  readonly createdAt?: number;
}

/** Finding the data table an earlier stack of this name left behind. */
export interface KeptTablePort {
  /** Tables of this region named and marked as `stackName`'s data table, with the hub's keys. */
  find(stackName: string): Promise<readonly KeptTable[]>;
}

/** A subscription of the stack's topic, as ListSubscriptionsByTopic shows it. */
export interface TopicSubscription {
  readonly protocol: string;
  readonly endpoint: string;
  /** False while the endpoint has not confirmed (SNS shows `PendingConfirmation` for its ARN). */
  readonly confirmed: boolean;
}

/** The stack's topic: who receives its notifications and alarms. */
export interface TopicPort {
  /** Every subscription of the topic (all pages). */
  subscriptions(topicArn: string): Promise<readonly TopicSubscription[]>;
  /** Subscribe an email address; AWS sends it a confirmation mail. */
  subscribeEmail(topicArn: string, address: string): Promise<void>;
}

/** A deploy that cannot go on (a stack in a state only a person can fix, a wait that never ends). */
export class DeployError extends EbsSnapperError {}
