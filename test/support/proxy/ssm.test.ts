/**
 * The proxy's SSM through the real SDK: the shapes parse, invocations move Pending → InProgress →
 * an end the test chose, unmanaged instances are refused and not listed, commands are recorded.
 */
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, motoClientConfig, startMoto } from '../moto/moto.js';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';
import { createSsmEmulator } from './ssm.js';

describe('the proxy’s SSM Run Command', () => {
  let moto: MotoServer;
  let proxy: FaultProxy;
  let ssm: SSMClient;

  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startFaultProxy({ target: moto.endpoint });
    ssm = new SSMClient({ ...motoClientConfig(proxy.endpoint, 'us-east-1'), maxAttempts: 1 });
  });
  afterAll(async () => {
    await proxy.stop();
    await moto.stop();
  });

  const look = (CommandId: string, InstanceId: string) =>
    ssm.send(new GetCommandInvocationCommand({ CommandId, InstanceId })).then(
      (r) => `${r.Status}/${r.StatusDetails}/${r.ResponseCode}`,
      (e: Error) => e.name,
    );

  it('runs a command to the end the test chose, one look at a time, and records what was sent', async () => {
    // Prepare
    const emulator = createSsmEmulator({
      instances: { 'i-1': { outcomes: [{ status: 'Failed', exitCode: 3, stderr: 'fsck: bad', polls: 2 }] } },
    });
    proxy.configure({ emulations: [emulator] });

    // Act
    const sent = await ssm.send(
      new SendCommandCommand({
        InstanceIds: ['i-1'],
        DocumentName: 'AWS-RunShellScript',
        Parameters: { commands: ['fsck -n /dev/xvdz1'] },
        TimeoutSeconds: 60,
      }),
    );
    const id = sent.Command!.CommandId!;
    const looks = [];
    for (let i = 0; i < 5; i++) looks.push(await look(id, 'i-1'));
    const last = await ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: 'i-1' }));

    // Assess
    expect(sent.Command?.Status).toBe('Pending');
    expect(looks).toEqual([
      'InvocationDoesNotExist',
      'Pending/Pending/-1',
      'InProgress/InProgress/-1',
      'Failed/Failed/3',
      'Failed/Failed/3',
    ]);
    expect(last.StandardErrorContent).toBe('fsck: bad');
    expect(emulator.sent()).toEqual([
      expect.objectContaining({
        documentName: 'AWS-RunShellScript',
        parameters: { commands: ['fsck -n /dev/xvdz1'] },
      }),
    ]);
  });

  it('lists managed instances only, and refuses a command to one that is not', async () => {
    // Prepare
    proxy.configure({
      emulations: [
        createSsmEmulator({
          instances: { 'i-1': {}, 'i-2': { ping: 'ConnectionLost' }, 'i-3': { ping: 'none' } },
        }),
      ],
    });

    // Act
    const listed = await ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'InstanceIds', Values: ['i-1', 'i-2', 'i-3'] }],
      }),
    );
    const refused = await ssm
      .send(new SendCommandCommand({ InstanceIds: ['i-3'], DocumentName: 'AWS-RunShellScript' }))
      .catch((e: Error) => e.name);

    // Assess
    expect(listed.InstanceInformationList?.map((i) => [i.InstanceId, i.PingStatus])).toEqual([
      ['i-1', 'Online'],
      ['i-2', 'ConnectionLost'],
    ]);
    expect(refused).toBe('InvalidInstanceId');
  });

  it('plays an undeliverable command and one that never ends', async () => {
    // Prepare
    proxy.configure({
      emulations: [
        createSsmEmulator({
          instances: { 'i-1': { outcomes: [{ status: 'Undeliverable' }, { status: 'Hang' }], lagLooks: 0 } },
        }),
      ],
    });
    const send = async () =>
      (await ssm.send(new SendCommandCommand({ InstanceIds: ['i-1'], DocumentName: 'AWS-RunShellScript' })))
        .Command!.CommandId!;

    // Act
    const undeliverable = await send();
    const hung = await send();
    const first = [await look(undeliverable, 'i-1'), await look(undeliverable, 'i-1')];
    const second = [await look(hung, 'i-1'), await look(hung, 'i-1'), await look(hung, 'i-1')];

    // Assess
    expect(first).toEqual(['Pending/Pending/-1', 'TimedOut/DeliveryTimedOut/-1']);
    expect(second).toEqual(['Pending/Pending/-1', 'InProgress/InProgress/-1', 'InProgress/InProgress/-1']);
  });
});
