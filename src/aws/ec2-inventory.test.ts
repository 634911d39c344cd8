import { describe, expect, it } from 'vitest';
import { type FakeReply, fakeEc2Handler } from '../../test/support/fake-ec2-handler.js';
import type { CollectProgress } from '../app/ports.js';
import { createAwsClients } from './clients.js';
import { collectInventory } from './ec2-inventory.js';
import { AwsCallError } from './errors.js';
import { listEnabledRegions } from './regions.js';

const account = '123456789012';
const region = 'eu-west-1';

/** Serves `count` items per action in pages of `pageSize`, as EC2 pages with NextToken. */
function pagedFleet(counts: Record<string, number>, pageSize: number) {
  const xmlOf: Record<string, (i: number) => string> = {
    DescribeInstances: (i) =>
      `<item><instancesSet><item><instanceId>i-${i}</instanceId><instanceState><name>running</name></instanceState></item></instancesSet></item>`,
    DescribeVolumes: (i) =>
      `<item><volumeId>vol-${i}</volumeId><size>8</size><volumeType>gp3</volumeType></item>`,
    DescribeSnapshots: (i) =>
      `<item><snapshotId>snap-${i}</snapshotId><ownerId>${account}</ownerId><status>completed</status></item>`,
    DescribeImages: (i) => `<item><imageId>ami-${i}</imageId></item>`,
  };
  const setOf: Record<string, string> = {
    DescribeInstances: 'reservationSet',
    DescribeVolumes: 'volumeSet',
    DescribeSnapshots: 'snapshotSet',
    DescribeImages: 'imagesSet',
  };
  return fakeEc2Handler((action, params): FakeReply => {
    const total = counts[action] ?? 0;
    const start = Number(params.get('NextToken') ?? '0');
    const end = Math.min(total, start + pageSize);
    const items = Array.from({ length: end - start }, (_, k) => xmlOf[action]?.(start + k) ?? '').join('');
    const next = end < total ? `<nextToken>${end}</nextToken>` : '';
    return { xml: `<${setOf[action]}>${items}</${setOf[action]}>${next}` };
  });
}

function clientsFor(handler: ReturnType<typeof fakeEc2Handler>) {
  return createAwsClients({
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: handler,
    retry: { random: () => 0 },
  });
}

describe('collectInventory', () => {
  it('pages each listing to the end at the largest page sizes, one call per page', async () => {
    // Prepare
    const handler = pagedFleet(
      { DescribeInstances: 7, DescribeVolumes: 12, DescribeSnapshots: 25, DescribeImages: 2 },
      5,
    );
    const progress: CollectProgress[] = [];

    // Act
    const inventory = await collectInventory(clientsFor(handler), {
      account,
      region,
      onProgress: (p) => progress.push(p),
    });

    // Assess
    expect(
      [inventory.instances, inventory.volumes, inventory.snapshots, inventory.images].map((l) => l.length),
    ).toEqual([7, 12, 25, 2]);
    const calls = (action: string) => handler.calls.filter((c) => c.action === action);
    expect([
      calls('DescribeInstances').length,
      calls('DescribeVolumes').length,
      calls('DescribeSnapshots').length,
      calls('DescribeImages').length,
    ]).toEqual([2, 3, 5, 1]);
    expect(calls('DescribeInstances')[0]?.params.get('MaxResults')).toBe('1000');
    expect(calls('DescribeVolumes')[0]?.params.get('MaxResults')).toBe('500');
    expect(calls('DescribeSnapshots')[0]?.params.get('MaxResults')).toBe('1000');
    expect(calls('DescribeSnapshots')[0]?.params.get('Owner.1')).toBe('self');
    expect(calls('DescribeImages')[0]?.params.get('Owner.1')).toBe('self');
    expect(calls('DescribeImages')[0]?.params.get('MaxResults')).toBe('1000');
    expect(progress.filter((p) => p.resource === 'snapshots').map((p) => p.count)).toEqual([
      5, 10, 15, 20, 25,
    ]);
    expect(inventory).toMatchObject({ account, region });
  });

  it('asks EC2 to leave terminated instances out', async () => {
    // Prepare
    const handler = pagedFleet({}, 5);

    // Act
    await collectInventory(clientsFor(handler), { account, region });

    // Assess
    const params = handler.calls.find((c) => c.action === 'DescribeInstances')?.params;
    expect(params?.get('Filter.1.Name')).toBe('instance-state-name');
    expect(params?.getAll('Filter.1.Value.1')).toEqual(['pending']);
    expect([2, 3, 4, 5].map((n) => params?.get(`Filter.1.Value.${n}`))).toEqual([
      'running',
      'stopping',
      'stopped',
      'shutting-down',
    ]);
  });

  it('names the listing that failed', async () => {
    // Prepare
    const handler = fakeEc2Handler((action) =>
      action === 'DescribeVolumes'
        ? { error: { code: 'UnauthorizedOperation', status: 403 } }
        : { xml: '<reservationSet/><snapshotSet/><imagesSet/>' },
    );

    // Act
    const failure = await collectInventory(clientsFor(handler), { account, region }).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AwsCallError);
    expect(failure).toMatchObject({ operation: 'DescribeVolumes', code: 'UnauthorizedOperation' });
  });
});

describe('listEnabledRegions', () => {
  it('lists enabled regions and leaves out those not opted in', async () => {
    // Prepare
    const region = (name: string, status: string) =>
      `<item><regionName>${name}</regionName><optInStatus>${status}</optInStatus></item>`;
    const handler = fakeEc2Handler(() => ({
      xml: `<regionInfo>${region('us-east-1', 'opt-in-not-required')}${region('af-south-1', 'opted-in')}${region('me-south-1', 'not-opted-in')}</regionInfo>`,
    }));

    // Act
    const regions = await listEnabledRegions(clientsFor(handler).ec2);

    // Assess
    expect(regions).toEqual(['af-south-1', 'us-east-1']);
    expect(handler.calls[0]?.params.get('AllRegions')).toBe('false');
  });
});
