/**
 * In-memory stand-ins for the deploy ports: CloudFormation stacks whose operations finish at the
 * first look (or go through the states a test scripts), an artifacts bucket, functions' code and
 * a config store. Every write is recorded in `writes`.
 */
import { createHash } from 'node:crypto';

import type {
  ArtifactStore,
  ChangeSetState,
  FunctionCodePort,
  StackChange,
  StackEvent,
  StackPort,
  StackRequest,
  StackSummary,
} from '../../../src/app/deploy/ports.js';
import type { ConfigStore, StoredConfig } from '../../../src/app/serverless/ports.js';

interface FakeStack {
  summary: StackSummary;
  template: string;
  events: StackEvent[];
  /** States the next looks show before `summary.status` (an operation in progress). */
  pending: string[];
}

export class FakeStacks implements StackPort {
  readonly writes: string[] = [];
  private readonly byId = new Map<string, FakeStack>();
  private serial = 0;
  /** The status a create or update ends in. */
  endsIn: { create: string; update: string } = { create: 'CREATE_COMPLETE', update: 'UPDATE_COMPLETE' };
  /** Called with each template and parameters a create or an update puts in place. */
  onApply: ((request: StackRequest) => void) | undefined;

  /** A stack as if deployed earlier, in `status`, going through `pending` first. */
  put(request: StackRequest, status: string, pending: string[] = []): StackSummary {
    const id = `arn:aws:cloudformation:us-east-1:123456789012:stack/${request.name}/${++this.serial}`;
    const summary = { id, name: request.name, status, parameters: { ...request.parameters }, outputs: {} };
    this.byId.set(id, { summary, template: request.templateBody, events: [], pending: [...pending] });
    return summary;
  }

  /** Record an event of the stack named `name`. */
  event(name: string, event: Omit<StackEvent, 'id' | 'timestamp'>): void {
    const stack = this.live(name);
    stack?.events.push({ ...event, id: `e${++this.serial}`, timestamp: this.serial });
  }

  private live(nameOrId: string): FakeStack | undefined {
    const byId = this.byId.get(nameOrId);
    if (byId !== undefined) return byId;
    return [...this.byId.values()].find(
      (s) => s.summary.name === nameOrId && s.summary.status !== 'DELETE_COMPLETE',
    );
  }

  private transition(stack: FakeStack, inProgress: string, end: string, request?: StackRequest): void {
    stack.pending = [inProgress];
    stack.summary = {
      ...stack.summary,
      status: end,
      ...(request === undefined ? {} : { parameters: { ...request.parameters } }),
    };
    if (request !== undefined) {
      stack.template = request.templateBody;
      this.onApply?.(request);
    }
    stack.events.push({
      id: `e${++this.serial}`,
      timestamp: this.serial,
      logicalId: stack.summary.name,
      resourceType: 'AWS::CloudFormation::Stack',
      status: end,
    });
  }

  async describe(nameOrId: string) {
    const stack = this.live(nameOrId);
    if (stack === undefined) return undefined;
    const pending = stack.pending.shift();
    return pending === undefined ? stack.summary : { ...stack.summary, status: pending };
  }
  async templateBody(nameOrId: string) {
    return this.live(nameOrId)?.template ?? '';
  }
  async create(request: StackRequest) {
    this.writes.push(`CreateStack ${request.name}`);
    const summary = this.put(request, 'CREATE_IN_PROGRESS');
    this.transition(this.byId.get(summary.id)!, 'CREATE_IN_PROGRESS', this.endsIn.create, request);
    return summary.id;
  }
  async update(request: StackRequest): Promise<'started' | 'no-updates'> {
    const stack = this.live(request.name)!;
    if (
      stack.template === request.templateBody &&
      JSON.stringify(stack.summary.parameters) === JSON.stringify(request.parameters)
    )
      return 'no-updates';
    this.writes.push(`UpdateStack ${request.name}`);
    this.transition(stack, 'UPDATE_IN_PROGRESS', this.endsIn.update, request);
    return 'started';
  }
  async delete(nameOrId: string) {
    this.writes.push(`DeleteStack ${nameOrId}`);
    const stack = this.live(nameOrId)!;
    this.transition(stack, 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE');
  }
  async latestEventId(nameOrId: string) {
    return this.live(nameOrId)?.events.at(-1)?.id;
  }
  async eventsAfter(nameOrId: string, afterId: string | undefined) {
    const events = this.live(nameOrId)?.events ?? [];
    const from = afterId === undefined ? 0 : events.findIndex((e) => e.id === afterId) + 1;
    return events.slice(from);
  }
  readonly changeSets = new Map<string, ChangeSetState>();
  private readonly changeSetRequests = new Map<string, StackRequest>();
  /** What the next change sets list when something differs (default: the worker modified). */
  changeSetChanges: StackChange[] = [
    { action: 'Modify', logicalId: 'Worker', resourceType: 'AWS::Lambda::Function', replacement: 'False' },
  ];
  async createChangeSet(request: StackRequest, name: string) {
    const stack = this.live(request.name)!;
    const same =
      stack.template === request.templateBody &&
      JSON.stringify(stack.summary.parameters) === JSON.stringify(request.parameters);
    // As CloudFormation: a change set with nothing to do fails, saying so.
    this.changeSets.set(
      name,
      same
        ? { status: 'FAILED', reason: "The submitted information didn't contain changes.", changes: [] }
        : { status: 'CREATE_COMPLETE', changes: [...this.changeSetChanges] },
    );
    this.changeSetRequests.set(name, request);
    return name;
  }
  async describeChangeSet(id: string) {
    return this.changeSets.get(id)!;
  }
  async executeChangeSet(id: string) {
    const request = this.changeSetRequests.get(id)!;
    this.writes.push(`ExecuteChangeSet ${request.name}`);
    this.changeSets.delete(id);
    this.changeSetRequests.delete(id);
    this.transition(this.live(request.name)!, 'UPDATE_IN_PROGRESS', this.endsIn.update, request);
  }
  async deleteChangeSet(id: string) {
    this.changeSets.delete(id);
    this.changeSetRequests.delete(id);
  }
}

const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('base64');

export function fakeArtifacts(writes: string[], objects = new Map<string, Uint8Array>()): ArtifactStore {
  let exists = false;
  return {
    bucket: 'ebs-snapper-artifacts-123456789012-us-east-1',
    async ensureBucket() {
      if (exists) return 'exists';
      writes.push('CreateBucket');
      exists = true;
      return 'created';
    },
    async describeObject(key) {
      const body = objects.get(key);
      return body === undefined ? undefined : { size: body.length };
    },
    async readSha256(key) {
      const body = objects.get(key);
      return body === undefined ? undefined : sha256Of(body);
    },
    async put(key, body, sha256Base64) {
      // As S3: a body that does not hash to the checksum sent is refused.
      if (sha256Of(body) !== sha256Base64) throw new Error(`checksum of ${key} does not match`);
      writes.push(`PutObject ${key}`);
      objects.set(key, body);
    },
  };
}

/**
 * Functions whose code is what their stack's `CodeKey` names, unless a test says otherwise; a zip
 * given to `updateCode` becomes the `CodeSha256` `digestOf` says (its real SHA-256 by default).
 */
export function fakeFunctions(
  writes: string[],
  code: Map<string, string>,
  digestOf: (zip: Uint8Array) => string = sha256Of,
): FunctionCodePort {
  return {
    async codeSha256(name) {
      return code.get(name);
    },
    async updateCode(name, zip) {
      writes.push(`UpdateFunctionCode ${name}`);
      code.set(name, digestOf(zip));
      return digestOf(zip);
    },
  };
}

export function fakeConfigStore(): ConfigStore & { readonly items: Map<string, StoredConfig> } {
  const items = new Map<string, StoredConfig>();
  return {
    items,
    async put(config) {
      items.set(config.name, config);
    },
    async get(name) {
      return items.get(name);
    },
    async list() {
      return [...items.values()];
    },
    async delete(name) {
      return items.delete(name);
    },
  };
}
