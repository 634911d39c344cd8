import { describe, expect, it } from 'vitest';
import { daily, fleet, series } from '../../test/support/builders/fleet.js';
import { DAY, policy } from '../../test/support/builders/policy.js';
import { createFakeEc2 } from '../../test/support/fakes/fake-ec2.js';
import { type FakeReply, fakeEc2Handler } from '../../test/support/fakes/fake-ec2-handler.js';
import { planTarget } from '../app/run/run.js';
import { stoppedDeletes } from '../core/guard.js';
import { instanceId, snapshotId, volumeId } from '../core/model.js';
import type { Config } from '../core/policy/types.js';
import { createAwsClients } from './clients.js';
import { createEc2Port } from './ec2-port.js';
import { AwsCallError } from './errors.js';

const account = '123456789012';
const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function portAnswering(respond: (action: string, params: URLSearchParams, call: number) => FakeReply) {
  let call = 0;
  const handler = fakeEc2Handler((action, params) => {
    call += 1;
    return respond(action, params, call);
  });
  const clients = createAwsClients({
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: handler,
    retry: { random: () => 0 },
  });
  return { port: createEc2Port(clients, { account, region }), handler };
}

const created = { xml: '<snapshotId>snap-1</snapshotId><volumeId>vol-1</volumeId>' };

describe('createEc2Port', () => {
  it('creates a snapshot in one call with every tag at creation', async () => {
    // Prepare
    const { port, handler } = portAnswering(() => created);

    // Act
    const result = await port.createSnapshot({
      volumeId: volumeId('vol-1'),
      description: 'web-daily vol-1',
      tags: { 'ebs-snapper:policy': 'web-daily', Team: 'web' },
    });

    // Assess
    expect(result).toEqual({ snapshotId: 'snap-1', volumeId: 'vol-1' });
    expect(handler.calls).toHaveLength(1);
    const params = Object.fromEntries(handler.calls[0]?.params ?? []);
    expect(params).toMatchObject({
      Action: 'CreateSnapshot',
      VolumeId: 'vol-1',
      Description: 'web-daily vol-1',
      'TagSpecification.1.ResourceType': 'snapshot',
      'TagSpecification.1.Tag.1.Key': 'Team',
      'TagSpecification.1.Tag.1.Value': 'web',
      'TagSpecification.1.Tag.2.Key': 'ebs-snapper:policy',
      'TagSpecification.1.Tag.2.Value': 'web-daily',
    });
  });

  it('never retries a create on a 5xx: the first request may have made the snapshot', async () => {
    // Prepare
    const { port, handler } = portAnswering(() => ({ error: { code: 'InternalError', status: 500 } }));

    // Act
    const failure = await port
      .createSnapshot({ volumeId: volumeId('vol-1'), description: '', tags: {} })
      .catch((e: unknown) => e);

    // Assess
    expect(handler.calls).toHaveLength(1);
    expect(failure).toBeInstanceOf(AwsCallError);
    expect(failure).toMatchObject({ code: 'InternalError', operation: 'CreateSnapshot', transient: true });
  });

  it('retries a throttled create', async () => {
    // Prepare
    const { port, handler } = portAnswering((_a, _p, call) =>
      call === 1 ? { error: { code: 'RequestLimitExceeded', status: 503 } } : created,
    );

    // Act
    const result = await port.createSnapshot({ volumeId: volumeId('vol-1'), description: '', tags: {} });

    // Assess
    expect(result.snapshotId).toBe('snap-1');
    expect(handler.calls).toHaveLength(2);
  });

  it('creates an instance set in one call with its exclusions and tags', async () => {
    // Prepare
    const { port, handler } = portAnswering(() => ({
      xml: '<snapshotSet><item><snapshotId>snap-a</snapshotId><volumeId>vol-a</volumeId></item><item><snapshotId>snap-b</snapshotId><volumeId>vol-b</volumeId></item></snapshotSet>',
    }));

    // Act
    const result = await port.createSnapshots({
      instanceId: instanceId('i-1'),
      excludeBootVolume: true,
      excludeDataVolumeIds: [volumeId('vol-x')],
      description: 'set',
      tags: { 'ebs-snapper:policy': 'db' },
      copyTagsFromSource: true,
    });

    // Assess
    expect(result).toEqual([
      { snapshotId: 'snap-a', volumeId: 'vol-a' },
      { snapshotId: 'snap-b', volumeId: 'vol-b' },
    ]);
    expect(Object.fromEntries(handler.calls[0]?.params ?? [])).toMatchObject({
      Action: 'CreateSnapshots',
      'InstanceSpecification.InstanceId': 'i-1',
      'InstanceSpecification.ExcludeBootVolume': 'true',
      'InstanceSpecification.ExcludeDataVolumeId.1': 'vol-x',
      'TagSpecification.1.ResourceType': 'snapshot',
      'TagSpecification.1.Tag.1.Key': 'ebs-snapper:policy',
      CopyTagsFromSource: 'volume',
    });
    expect(handler.calls).toHaveLength(1);
  });

  it('retries a delete on a 5xx and reports EC2 codes of a failed one', async () => {
    // Prepare
    const { port, handler } = portAnswering((_a, params, call) => {
      if (call === 1) return { error: { code: 'InternalError', status: 500 } };
      if (params.get('SnapshotId') === 'snap-missing') {
        return { error: { code: 'InvalidSnapshot.NotFound', message: 'gone', status: 400 } };
      }
      return { xml: '<return>true</return>' };
    });

    // Act
    await port.deleteSnapshot(snapshotId('snap-1'));
    const failure = await port.deleteSnapshot(snapshotId('snap-missing')).catch((e: unknown) => e);

    // Assess
    expect(handler.calls).toHaveLength(3);
    expect(failure).toMatchObject({
      code: 'InvalidSnapshot.NotFound',
      operation: 'DeleteSnapshot',
      transient: false,
    });
  });

  it('finds a run by its tags, own snapshots only, through every page', async () => {
    // Prepare
    const item = (id: string, owner: string) =>
      `<item><snapshotId>${id}</snapshotId><ownerId>${owner}</ownerId><status>completed</status><startTime>2026-01-01T00:00:00.000Z</startTime></item>`;
    const { port, handler } = portAnswering((_a, params) =>
      params.get('NextToken')
        ? { xml: `<snapshotSet>${item('snap-2', account)}</snapshotSet>` }
        : {
            xml: `<snapshotSet>${item('snap-1', account)}${item('snap-9', '999999999999')}</snapshotSet><nextToken>p2</nextToken>`,
          },
    );

    // Act
    const found = await port.findRunSnapshots('run-1', 'web-daily');

    // Assess
    expect(found.map((s) => s.id)).toEqual(['snap-1', 'snap-2']);
    expect(found[0]).toMatchObject({ state: 'completed', startTime: Date.parse('2026-01-01T00:00:00Z') });
    expect(Object.fromEntries(handler.calls[0]?.params ?? [])).toMatchObject({
      'Owner.1': 'self',
      'Filter.1.Name': 'tag:ebs-snapper:run-id',
      'Filter.1.Value.1': 'run-1',
      'Filter.2.Name': 'tag:ebs-snapper:policy',
      'Filter.2.Value.1': 'web-daily',
    });
    expect(handler.calls).toHaveLength(2);
  });

  it('plans with DescribeImages refused: the creates go ahead, every delete is held, DescribeImages is named', async () => {
    // Prepare: a due volume with expired snapshots
    const now = Date.parse('2024-05-10T12:00:00Z');
    const inventory = fleet({ account, region })
      .instance('web-1', { tags: { Role: 'web' } })
      .volume()
      .snapshots(series('web', daily(5, { from: now - 2 * DAY })))
      .build();
    const fake = createFakeEc2([inventory], {
      errorsFor: { DescribeImages: { code: 'UnauthorizedOperation', status: 403 } },
    });
    const clients = createAwsClients({
      region,
      credentials,
      requestHandler: fake,
      retry: { random: () => 0 },
    });
    const web = policy({
      id: 'web',
      select: { instances: { 'tag:Role': 'web' } },
      every: '1d',
      retention: { minimum: 1 },
    });
    const config: Config = { version: 1, settings: { guard: {}, organization: false }, policies: [web] };

    // Act
    const { plan } = await planTarget(createEc2Port(clients, { account, region }), config, {
      now,
      runId: 'r',
    });

    // Assess
    expect(plan.summary).toMatchObject({ create: 1, delete: 0 });
    expect(plan.actions.filter((a) => a.reason.code === 'guard.unverified')).toHaveLength(4);
    expect(plan.deletesHeld).toEqual(['images (DescribeImages: UnauthorizedOperation)']);
    expect(stoppedDeletes(plan)).toBe(true);
  });
});
