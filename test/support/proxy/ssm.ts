/**
 * SSM Run Command for the fault proxy. moto's SSM says every command succeeded at once (exit 0,
 * nothing run) and has no instance information, so the proxy answers these itself, in SSM's JSON
 * 1.1 shapes (botocore's `ssm/2014-11-06` model): `SendCommand`, `GetCommandInvocation`,
 * `ListCommandInvocations`, `DescribeInstanceInformation`.
 *
 * Each instance behaves as the test says: managed (Online), not managed, or ConnectionLost; each
 * command to it succeeds, fails with an exit code, runs until the caller gives up, or cannot be
 * delivered. Time is counted in looks, not milliseconds, so a test never depends on the machine's
 * speed: an invocation is `Pending`, then `InProgress` for `polls` GetCommandInvocation calls, then
 * ends. Right after SendCommand an invocation may not exist yet (`InvocationDoesNotExist`), as in AWS.
 */
import type { Emulation } from './faults.js';

/** What one command does on one instance. */
export interface SsmOutcome {
  readonly status: 'Success' | 'Failed' | 'TimedOut' | 'Undeliverable' | 'Hang';
  /** `ResponseCode` of a command that ran; default 0 for Success, 1 for Failed. */
  readonly exitCode?: number;
  readonly stdout?: string;
  readonly stderr?: string;
  /** GetCommandInvocation calls that see it `InProgress` before it ends. Default 1. */
  readonly polls?: number;
}

/** How one instance answers SSM. */
export interface SsmInstance {
  /** `Online` (default), `ConnectionLost`, or `none` (not a managed instance: not listed). */
  readonly ping?: 'Online' | 'ConnectionLost' | 'Inactive' | 'none';
  /** Outcomes of the commands sent to it, in order; the last one repeats. Default: Success. */
  readonly outcomes?: readonly SsmOutcome[];
  /** Outcomes by document name, before `outcomes` (e.g. the pre script fails, the post succeeds). */
  readonly byDocument?: Readonly<Record<string, readonly SsmOutcome[]>>;
  /** Answer `InvocationDoesNotExist` to this many first looks of each command. Default 1. */
  readonly lagLooks?: number;
}

export interface SsmEmulation {
  /** By instance id; an instance not named is not managed. */
  readonly instances: Readonly<Record<string, SsmInstance>>;
}

/** A command the proxy was sent, as sent. */
export interface SentCommand {
  readonly commandId: string;
  readonly instanceIds: readonly string[];
  readonly documentName: string;
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  readonly timeoutSeconds?: number;
  readonly comment?: string;
}

const ACTIONS = new Set([
  'SendCommand',
  'GetCommandInvocation',
  'ListCommandInvocations',
  'DescribeInstanceInformation',
]);

interface Invocation {
  readonly command: SentCommand;
  readonly instanceId: string;
  readonly outcome: SsmOutcome;
  readonly requestedAt: Date;
  looks: number;
}

/** An answer: HTTP status and JSON body. */
interface SsmAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** The proxy's SSM (give it to `proxy.configure({ emulations: [ssm] })`), and what it was sent. */
export interface SsmEmulator extends Emulation {
  /** Every command sent so far, in order. */
  sent(): readonly SentCommand[];
}

/** @example createSsmEmulator({ instances: { 'i-1': { outcomes: [{ status: 'Failed', exitCode: 3 }] } } }) */
export function createSsmEmulator(emulation: SsmEmulation, now: () => Date = () => new Date()): SsmEmulator {
  const sent: SentCommand[] = [];
  const invocations = new Map<string, Invocation>();
  const counts = new Map<string, number>();
  let serial = 0;

  const outcomeFor = (instanceId: string, documentName: string): SsmOutcome => {
    const spec = emulation.instances[instanceId];
    const list = spec?.byDocument?.[documentName] ?? spec?.outcomes ?? [{ status: 'Success' as const }];
    const key = `${instanceId}\n${spec?.byDocument?.[documentName] === undefined ? '' : documentName}`;
    const n = counts.get(key) ?? 0;
    counts.set(key, n + 1);
    return list[Math.min(n, list.length - 1)] ?? { status: 'Success' };
  };

  const answerOf = (action: string, request: Record<string, unknown>): SsmAnswer => {
    if (action === 'SendCommand') return sendCommand(request);
    if (action === 'GetCommandInvocation') return getInvocation(request);
    if (action === 'ListCommandInvocations') return listInvocations(request);
    return describeInstances(emulation, request);
  };
  return {
    answers: (service, action) => service === 'ssm' && ACTIONS.has(action),
    sent: () => [...sent],
    answer(request) {
      const { status, body } = answerOf(request.action, request.json ?? {});
      return {
        status,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `ssm-${serial}` },
        body: Buffer.from(JSON.stringify(body)),
      };
    },
  };

  function sendCommand(request: Record<string, unknown>): SsmAnswer {
    const instanceIds = (request.InstanceIds as string[] | undefined) ?? [];
    const unknown = instanceIds.filter((id) => !isManaged(emulation, id));
    if (unknown.length > 0)
      return error(
        400,
        'InvalidInstanceId',
        `Instances [[${unknown.join(', ')}]] not in a valid state for account`,
      );
    serial += 1;
    const command: SentCommand = {
      commandId: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
      instanceIds,
      documentName: String(request.DocumentName),
      parameters: (request.Parameters as Record<string, string[]> | undefined) ?? {},
      ...(typeof request.TimeoutSeconds === 'number' ? { timeoutSeconds: request.TimeoutSeconds } : {}),
      ...(typeof request.Comment === 'string' ? { comment: request.Comment } : {}),
    };
    sent.push(command);
    const requestedAt = now();
    for (const instanceId of instanceIds) {
      const outcome = outcomeFor(instanceId, command.documentName);
      invocations.set(`${command.commandId}/${instanceId}`, {
        command,
        instanceId,
        outcome,
        requestedAt,
        looks: 0,
      });
    }
    return {
      status: 200,
      body: {
        Command: {
          CommandId: command.commandId,
          DocumentName: command.documentName,
          InstanceIds: instanceIds,
          Parameters: command.parameters,
          RequestedDateTime: requestedAt.getTime() / 1000,
          Status: 'Pending',
          StatusDetails: 'Pending',
          TargetCount: instanceIds.length,
          CompletedCount: 0,
          ErrorCount: 0,
          ...(command.timeoutSeconds === undefined ? {} : { TimeoutSeconds: command.timeoutSeconds }),
        },
      },
    };
  }

  function getInvocation(request: Record<string, unknown>): SsmAnswer {
    const key = `${String(request.CommandId)}/${String(request.InstanceId)}`;
    const invocation = invocations.get(key);
    if (invocation === undefined) return error(400, 'InvocationDoesNotExist', '');
    invocation.looks += 1;
    const lag = emulation.instances[invocation.instanceId]?.lagLooks ?? 1;
    if (invocation.looks <= lag) return error(400, 'InvocationDoesNotExist', '');
    return { status: 200, body: invocationBody(invocation, invocation.looks - lag) };
  }

  function listInvocations(request: Record<string, unknown>): SsmAnswer {
    const list = [...invocations.values()].filter(
      (i) =>
        (request.CommandId === undefined || i.command.commandId === request.CommandId) &&
        (request.InstanceId === undefined || i.instanceId === request.InstanceId),
    );
    return {
      status: 200,
      body: {
        CommandInvocations: list.map((i) => {
          const body = invocationBody(i, i.looks);
          return {
            CommandId: body.CommandId,
            InstanceId: body.InstanceId,
            DocumentName: body.DocumentName,
            RequestedDateTime: i.requestedAt.getTime() / 1000,
            Status: body.Status,
            StatusDetails: body.StatusDetails,
          };
        }),
      },
    };
  }
}

/** The invocation as GetCommandInvocation shows it after `looks` looks at it. */
function invocationBody(invocation: Invocation, looks: number): Record<string, unknown> {
  const { outcome } = invocation;
  const base = {
    CommandId: invocation.command.commandId,
    InstanceId: invocation.instanceId,
    DocumentName: invocation.command.documentName,
    PluginName: 'aws:runShellScript',
    ExecutionStartDateTime: invocation.requestedAt.toISOString(),
  };
  const running = outcome.status === 'Hang' || looks <= (outcome.polls ?? 1);
  if (running)
    return {
      ...base,
      Status: looks <= 1 ? 'Pending' : 'InProgress',
      StatusDetails: looks <= 1 ? 'Pending' : 'InProgress',
      ResponseCode: -1,
    };
  if (outcome.status === 'Undeliverable') {
    // The agent never picked it up: SSM says so once the delivery timeout has passed.
    return { ...base, Status: 'TimedOut', StatusDetails: 'DeliveryTimedOut', ResponseCode: -1 };
  }
  const code = outcome.exitCode ?? (outcome.status === 'Success' ? 0 : 1);
  return {
    ...base,
    Status: outcome.status,
    StatusDetails: outcome.status === 'TimedOut' ? 'ExecutionTimedOut' : outcome.status,
    ResponseCode: outcome.status === 'TimedOut' ? -1 : code,
    StandardOutputContent: outcome.stdout ?? '',
    StandardErrorContent: outcome.stderr ?? '',
    ExecutionEndDateTime: new Date().toISOString(),
  };
}

function isManaged(emulation: SsmEmulation, instanceId: string): boolean {
  const ping = emulation.instances[instanceId]?.ping ?? (emulation.instances[instanceId] ? 'Online' : 'none');
  return ping !== 'none';
}

/** DescribeInstanceInformation: the managed instances asked for (filter `InstanceIds`), paged. */
function describeInstances(emulation: SsmEmulation, request: Record<string, unknown>): SsmAnswer {
  const filters = [
    ...((request.Filters as { Key: string; Values: string[] }[] | undefined) ?? []).map((f) => ({
      key: f.Key,
      values: f.Values,
    })),
    ...(
      (request.InstanceInformationFilterList as { key: string; valueSet: string[] }[] | undefined) ?? []
    ).map((f) => ({
      key: f.key,
      values: f.valueSet,
    })),
  ];
  const wanted = filters.find((f) => f.key === 'InstanceIds')?.values;
  const managed = Object.entries(emulation.instances)
    .filter(([id]) => isManaged(emulation, id) && (wanted === undefined || wanted.includes(id)))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const size = Math.min(Math.max(Number(request.MaxResults ?? 50), 5), 50);
  const start = Number(request.NextToken ?? 0);
  const page = managed.slice(start, start + size);
  return {
    status: 200,
    body: {
      InstanceInformationList: page.map(([id, spec]) => ({
        InstanceId: id,
        PingStatus: spec.ping ?? 'Online',
        LastPingDateTime: Date.now() / 1000,
        AgentVersion: '3.3.1142.0',
        IsLatestVersion: true,
        PlatformType: 'Linux',
        PlatformName: 'Amazon Linux',
        ResourceType: 'EC2Instance',
      })),
      ...(start + size < managed.length ? { NextToken: String(start + size) } : {}),
    },
  };
}

function error(status: number, type: string, message: string): SsmAnswer {
  return { status, body: { __type: type, message } };
}
