/**
 * SSM Run Command on the AWS SDK (the port is `app/kit/ssm-port.ts`): which instances SSM manages,
 * send a command, read where it stands. Calls go through `callAws`, so every failure is one
 * `AwsCallError` with the AWS code.
 */
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { type AgentPing, ENDED_STATUSES, type SsmPort } from '../app/kit/ssm-port.js';
import { AwsCallError, callAws } from './errors.js';

/** DescribeInstanceInformation's largest page, and how many ids its filter takes. */
const PAGE = 50;

/** @example const ssm = createSsmPort(clients.ssm); await ssm.managedInstances(['i-0abc']); */
export function createSsmPort(ssm: SSMClient): SsmPort {
  return {
    async managedInstances(ids) {
      const managed = new Map<string, AgentPing>();
      for (let start = 0; start < ids.length; start += PAGE) {
        const chunk = ids.slice(start, start + PAGE);
        let NextToken: string | undefined;
        do {
          const page = await callAws('DescribeInstanceInformation', () =>
            ssm.send(
              new DescribeInstanceInformationCommand({
                Filters: [{ Key: 'InstanceIds', Values: [...chunk] }],
                MaxResults: PAGE,
                ...(NextToken === undefined ? {} : { NextToken }),
              }),
            ),
          );
          for (const info of page.InstanceInformationList ?? []) {
            if (info.InstanceId !== undefined)
              managed.set(info.InstanceId, (info.PingStatus ?? 'Inactive') as AgentPing);
          }
          NextToken = page.NextToken;
        } while (NextToken !== undefined);
      }
      return managed;
    },
    async sendCommand(request) {
      const { Command } = await callAws('SendCommand', () =>
        ssm.send(
          new SendCommandCommand({
            InstanceIds: [request.instanceId],
            DocumentName: request.documentName,
            Parameters: Object.fromEntries(Object.entries(request.parameters).map(([k, v]) => [k, [...v]])),
            TimeoutSeconds: request.timeoutSeconds,
            ...(request.comment === undefined ? {} : { Comment: request.comment.slice(0, 100) }),
          }),
        ),
      );
      if (Command?.CommandId === undefined) {
        throw new AwsCallError('SendCommand', {
          code: 'InvalidResponse',
          message: 'no CommandId',
          transient: false,
        });
      }
      return Command.CommandId;
    },
    async commandState(commandId, instanceId) {
      try {
        const answer = await callAws('GetCommandInvocation', () =>
          ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId })),
        );
        const status = answer.Status ?? 'Pending';
        return {
          status,
          details: answer.StatusDetails ?? status,
          done: ENDED_STATUSES.has(status),
          ...(answer.ResponseCode === undefined || answer.ResponseCode < 0
            ? {}
            : { exitCode: answer.ResponseCode }),
          ...(answer.StandardOutputContent ? { stdout: answer.StandardOutputContent } : {}),
          ...(answer.StandardErrorContent ? { stderr: answer.StandardErrorContent } : {}),
        };
      } catch (error) {
        // SSM shows an invocation a moment after SendCommand answered: not there yet is Pending.
        if (error instanceof AwsCallError && error.code === 'InvocationDoesNotExist') {
          return { status: 'Pending', details: 'Pending', done: false };
        }
        throw error;
      }
    },
  };
}
