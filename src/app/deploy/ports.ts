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
  describeChangeSet(id: string): Promise<ChangeSetState>;
  deleteChangeSet(id: string): Promise<void>;
}

/** Where the code goes: the artifacts bucket of the account and region. */
export interface ArtifactStore {
  readonly bucket: string;
  /** Create the bucket (public access blocked) unless it exists; `created` when it did not. */
  ensureBucket(): Promise<'created' | 'exists'>;
  has(key: string): Promise<boolean>;
  put(key: string, body: Uint8Array): Promise<void>;
}

/** The deployed functions' code. */
export interface FunctionCodePort {
  /** Lambda's `CodeSha256` (base64), or undefined when there is no such function. */
  codeSha256(functionName: string): Promise<string | undefined>;
  /** Point the function at an object of the artifacts bucket; resolves with the new `CodeSha256`. */
  updateCode(functionName: string, bucket: string, key: string): Promise<string>;
}

/** A deploy that cannot go on (a stack in a state only a person can fix, a wait that never ends). */
export class DeployError extends EbsSnapperError {}
