/**
 * CloudFormation stacks for `deploy`: describe, create, update, delete, events and change sets.
 * "Does not exist" and "No updates are to be performed" are answers here, not errors.
 */
import {
  type CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  type DescribeChangeSetCommandOutput,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  type ResourceChange,
  type StackEvent as SdkStackEvent,
  type Stack,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import type { StackChange, StackEvent, StackPort, StackRequest, StackSummary } from '../app/deploy/ports.js';
import { callAws, toAwsCallError } from './errors.js';
import type { AwsOperation } from './iam.js';

/** What these calls need, on the stacks `deploy` makes (`{stack}`, `{member-role}`). */
export const STACK_OPERATIONS = [
  {
    operation: 'stacks',
    actions: [
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'cloudformation:GetTemplate',
      'cloudformation:CreateStack',
      'cloudformation:UpdateStack',
      'cloudformation:DeleteStack',
      'cloudformation:CreateChangeSet',
      'cloudformation:DescribeChangeSet',
      'cloudformation:ExecuteChangeSet',
      'cloudformation:DeleteChangeSet',
    ],
    resources: [
      'arn:{partition}:cloudformation:*:*:stack/{stack}/*',
      'arn:{partition}:cloudformation:*:*:stack/{member-role}/*',
    ],
  },
] as const satisfies readonly AwsOperation[];

/** Named roles (the functions', the member role) need the named capability. */
const CAPABILITIES = ['CAPABILITY_NAMED_IAM' as const];

/** Pages of events read at most, when looking for where the last deploy's events end. */
const MAX_EVENT_PAGES = 20;

const isMissing = (error: unknown) =>
  error instanceof Error && error.name === 'ValidationError' && /does not exist/.test(error.message);
const isNoUpdates = (error: unknown) =>
  error instanceof Error && /No updates are to be performed/.test(error.message);

/** @example const stacks = createStackPort(new CloudFormationClient(sdkClientConfig(target))); */
export function createStackPort(client: CloudFormationClient): StackPort {
  const input = (request: StackRequest) => ({
    StackName: request.name,
    TemplateBody: request.templateBody,
    Parameters: Object.entries(request.parameters).map(([key, value]) => ({
      ParameterKey: key,
      ParameterValue: value,
    })),
    Capabilities: CAPABILITIES,
  });
  return {
    async describe(nameOrId) {
      try {
        const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: nameOrId }));
        const stack = Stacks?.[0];
        return stack === undefined ? undefined : toSummary(stack);
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw toAwsCallError('DescribeStacks', error);
      }
    },
    async templateBody(nameOrId) {
      const { TemplateBody } = await callAws('GetTemplate', () =>
        client.send(new GetTemplateCommand({ StackName: nameOrId, TemplateStage: 'Original' })),
      );
      return TemplateBody ?? '';
    },
    async create(request) {
      const { StackId } = await callAws('CreateStack', () =>
        client.send(new CreateStackCommand(input(request))),
      );
      return StackId ?? request.name;
    },
    async update(request) {
      try {
        await client.send(new UpdateStackCommand(input(request)));
        return 'started';
      } catch (error) {
        if (isNoUpdates(error)) return 'no-updates';
        throw toAwsCallError('UpdateStack', error);
      }
    },
    async delete(nameOrId) {
      await callAws('DeleteStack', () => client.send(new DeleteStackCommand({ StackName: nameOrId })));
    },
    async latestEventId(nameOrId) {
      const { StackEvents } = await callAws('DescribeStackEvents', () =>
        client.send(new DescribeStackEventsCommand({ StackName: nameOrId })),
      );
      return StackEvents?.[0]?.EventId;
    },
    async eventsAfter(nameOrId, afterId) {
      // Newest first, page by page, until the event we have already shown.
      const events: StackEvent[] = [];
      let token: string | undefined;
      for (let page = 0; page < MAX_EVENT_PAGES; page++) {
        const answer = await callAws('DescribeStackEvents', () =>
          client.send(new DescribeStackEventsCommand({ StackName: nameOrId, NextToken: token })),
        );
        for (const event of answer.StackEvents ?? []) {
          if (event.EventId === afterId) return events.reverse();
          events.push(toEvent(event));
        }
        token = answer.NextToken;
        if (token === undefined) break;
      }
      return events.reverse();
    },
    async createChangeSet(request, changeSetName) {
      const { Id } = await callAws('CreateChangeSet', () =>
        client.send(
          new CreateChangeSetCommand({
            ...input(request),
            ChangeSetName: changeSetName,
            ChangeSetType: 'UPDATE',
          }),
        ),
      );
      return Id ?? changeSetName;
    },
    async describeChangeSet(id) {
      // Changes come in pages; a check of what an update replaces must see every one.
      const changes: StackChange[] = [];
      let token: string | undefined;
      let answer: DescribeChangeSetCommandOutput;
      do {
        answer = await callAws('DescribeChangeSet', () =>
          client.send(new DescribeChangeSetCommand({ ChangeSetName: id, NextToken: token })),
        );
        changes.push(...(answer.Changes ?? []).map(({ ResourceChange: change }) => toChange(change)));
        token = answer.NextToken;
      } while (token !== undefined);
      return {
        status: answer.Status ?? 'UNKNOWN',
        ...(answer.StatusReason === undefined ? {} : { reason: answer.StatusReason }),
        changes,
      };
    },
    async executeChangeSet(id) {
      await callAws('ExecuteChangeSet', () =>
        client.send(new ExecuteChangeSetCommand({ ChangeSetName: id })),
      );
    },
    async deleteChangeSet(id) {
      await callAws('DeleteChangeSet', () => client.send(new DeleteChangeSetCommand({ ChangeSetName: id })));
    },
  };
}

function toSummary(stack: Stack): StackSummary {
  return {
    id: stack.StackId ?? stack.StackName ?? '',
    name: stack.StackName ?? '',
    status: stack.StackStatus ?? 'UNKNOWN',
    ...(stack.StackStatusReason === undefined ? {} : { statusReason: stack.StackStatusReason }),
    parameters: toRecord(stack.Parameters ?? [], (p) => [p.ParameterKey, p.ParameterValue]),
    outputs: toRecord(stack.Outputs ?? [], (o) => [o.OutputKey, o.OutputValue]),
  };
}

function toRecord<T>(
  items: readonly T[],
  pair: (item: T) => [string | undefined, string | undefined],
): Record<string, string> {
  const record: Record<string, string> = {};
  for (const item of items) {
    const [key, value] = pair(item);
    if (key !== undefined) record[key] = value ?? '';
  }
  return record;
}

function toChange(change: ResourceChange | undefined): StackChange {
  return {
    action: change?.Action ?? 'Unknown',
    logicalId: change?.LogicalResourceId ?? '?',
    resourceType: change?.ResourceType ?? '?',
    ...(change?.PhysicalResourceId === undefined ? {} : { physicalId: change.PhysicalResourceId }),
    ...(change?.Replacement === undefined ? {} : { replacement: change.Replacement }),
  };
}

function toEvent(event: SdkStackEvent): StackEvent {
  return {
    id: event.EventId ?? '',
    timestamp: event.Timestamp?.getTime() ?? 0,
    logicalId: event.LogicalResourceId ?? '',
    resourceType: event.ResourceType ?? '',
    status: event.ResourceStatus ?? '',
    ...(event.ResourceStatusReason === undefined ? {} : { reason: event.ResourceStatusReason }),
  };
}
