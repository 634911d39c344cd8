import { describe, expect, it } from 'vitest';
import { ACCOUNT, fleet, REGION } from '../../test/support/builders/fleet.js';
import { createFakeEc2, type FakeEc2Options } from '../../test/support/fakes/fake-ec2.js';
import { type FakeReply, fakeEc2Handler } from '../../test/support/fakes/fake-ec2-handler.js';
import type { CollectProgress } from '../app/kit/ports.js';
import { type Inventory, type Snapshot, snapshotId, TAG, volumeId } from '../core/model.js';
import { createAwsClients } from './clients.js';
import { collectInventory } from './ec2-inventory.js';
import { AwsCallError } from './errors.js';
import { listEnabledRegions } from './regions.js';

const T0 = Date.parse('2024-05-10T12:00:00Z');

/** An id whose first hex digit varies with n, as AWS's do. */
const hexId = (prefix: string, n: number) =>
  `${prefix}-${((Math.imul(n + 1, 0x9e3779b1) >>> 0) % 16).toString(16)}${n.toString(16).padStart(16, '0')}`;

function snapshot(n: number, extra: Partial<Snapshot> = {}, policy: string | null = 'daily'): Snapshot {
  return {
    id: snapshotId(hexId('snap', n)),
    volumeId: volumeId(hexId('vol', n % 50)),
    ownerId: ACCOUNT,
    state: 'completed',
    startTime: T0 - n * 60_000,
    tags: policy === null ? {} : { [TAG.policy]: policy },
    fullSizeBytes: 1000,
    ...extra,
  };
}

/** A fleet of `volumes` volumes and the given snapshots, served by the in-process fake EC2. */
function estate(snapshots: readonly Snapshot[], volumes = 3): Inventory {
  const base = fleet().instance('web-1').volume().build();
  const more = Array.from({ length: volumes - 1 }, (_, n) => ({
    id: volumeId(hexId('vol', n)),
    tags: {},
    type: 'gp3',
    sizeGiB: 8,
    attachments: [],
  }));
  return { ...base, volumes: [...base.volumes, ...more], snapshots: [...snapshots] };
}

function served(inventory: Inventory, options: FakeEc2Options = {}) {
  const fake = createFakeEc2([inventory], options);
  let inFlight = 0;
  let maxInFlight = 0;
  const handler = {
    ...fake,
    // Yield once per request so that requests sent side by side are seen side by side.
    handle: async (request: Parameters<typeof fake.handle>[0]) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return fake.handle(request);
    },
  };
  /** Resolves once no request has been in flight or sent for 20 turns of the event loop in a row. */
  const quiet = async () => {
    let seen = -1;
    for (let calm = 0; calm < 20; ) {
      await new Promise((resolve) => setImmediate(resolve));
      const sent = fake.calls.length;
      calm = sent === seen && inFlight === 0 ? calm + 1 : 0;
      seen = sent;
    }
  };
  return { fake, handler, maxInFlight: () => maxInFlight, quiet };
}

function clientsFor(handler: ReturnType<typeof fakeEc2Handler> | ReturnType<typeof served>['handler']) {
  return createAwsClients({
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: handler,
    retry: { random: () => 0 },
  });
}

const paramsOf = (fake: ReturnType<typeof createFakeEc2>, action: string) =>
  fake.calls.filter((c) => c.action === action).map((c) => Object.fromEntries(c.params));

const collect = (
  handler: Parameters<typeof clientsFor>[0],
  extra: Partial<Parameters<typeof collectInventory>[1]> = {},
) =>
  collectInventory(clientsFor(handler), { account: ACCOUNT, region: REGION, policyIds: ['daily'], ...extra });

describe('collectInventory: which snapshots', () => {
  it('asks only for the configured policies’ snapshots: one call when a page holds them', async () => {
    // Prepare
    const ours = [snapshot(1), snapshot(2), snapshot(3)];
    const { fake, handler } = served(estate([...ours, snapshot(4, {}, 'retired'), snapshot(5, {}, null)]));

    // Act
    const inventory = await collect(handler);

    // Assess
    expect(inventory.snapshots.map((s) => s.id).sort()).toEqual(ours.map((s) => s.id).sort());
    expect(paramsOf(fake, 'DescribeSnapshots')).toEqual([
      {
        Action: 'DescribeSnapshots',
        Version: expect.any(String),
        'Owner.1': 'self',
        MaxResults: '1000',
        'Filter.1.Name': `tag:${TAG.policy}`,
        'Filter.1.Value.1': 'daily',
      },
    ]);
    expect(fake.counts()).toEqual({
      DescribeInstances: 1,
      DescribeVolumes: 1,
      DescribeSnapshots: 1,
      DescribeImages: 1,
      DescribeLockedSnapshots: 1,
    });
    expect(inventory.unmanaged).toBeUndefined();
  });

  it('cuts a listing of more than one page into 16 chains run side by side, each snapshot once', async () => {
    // Prepare
    const ours = Array.from({ length: 2_500 }, (_, n) => snapshot(n));
    const others = Array.from({ length: 1_500 }, (_, n) => snapshot(10_000 + n, {}, null));
    const { fake, handler, maxInFlight } = served(estate([...ours, ...others], 1_200));
    const progress: CollectProgress[] = [];

    // Act
    const inventory = await collect(handler, { onProgress: (p) => progress.push(p) });

    // Assess
    const ids = inventory.snapshots.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ours.map((s) => s.id).sort());
    expect(inventory.volumes).toHaveLength(1_200);
    const chains = paramsOf(fake, 'DescribeSnapshots').slice(1);
    expect(chains.map((p) => p['Filter.2.Value.1']).sort()).toEqual(
      [...'0123456789abcdef'].map((d) => `snap-${d}*`),
    );
    expect(chains.every((p) => p['Filter.1.Value.1'] === 'daily')).toBe(true);
    expect(fake.counts()).toMatchObject({ DescribeSnapshots: 17, DescribeVolumes: 17 });
    expect(maxInFlight()).toBeGreaterThanOrEqual(16);
    expect(progress.filter((p) => p.resource === 'snapshots').at(-1)?.count).toBe(2_500);
  });

  it('with unmanaged: count, pages every snapshot the account owns once, keeps ours and counts the rest', async () => {
    // Prepare
    const ours = Array.from({ length: 1_200 }, (_, n) => snapshot(n));
    const others = [
      ...Array.from({ length: 800 }, (_, n) => snapshot(10_000 + n, {}, null)),
      snapshot(20_000, {}, 'retired'),
    ];
    const foreign = snapshot(30_000, { ownerId: '999988887777' }, null);
    const { fake, handler } = served(estate([...ours, ...others, foreign]));

    // Act
    const inventory = await collect(handler, { unmanaged: 'count' });

    // Assess
    expect(inventory.snapshots).toHaveLength(1_200);
    expect(inventory.unmanaged).toEqual({
      count: 801,
      fullSizeBytes: 801_000,
      unsized: 0,
      unknown: 0,
      standardBytes: 801_000,
      archiveBytes: 0,
    });
    expect(
      paramsOf(fake, 'DescribeSnapshots').some(
        (p) => 'Filter.1.Name' in p && p['Filter.1.Name'] !== 'snapshot-id',
      ),
    ).toBe(false);
  });
});

describe('collectInventory: delete safety', () => {
  it('marks snapshots under a lock in force as locked, not those whose lock has expired', async () => {
    // Prepare
    const snapshots = [snapshot(1, { locked: true }), snapshot(2, { locked: false }), snapshot(3)];
    const { fake, handler } = served(estate(snapshots));

    // Act
    const inventory = await collect(handler);

    // Assess
    const locked = Object.fromEntries(inventory.snapshots.map((s) => [s.id, s.locked]));
    expect(locked).toEqual({
      [snapshots[0]!.id]: true,
      [snapshots[1]!.id]: undefined,
      [snapshots[2]!.id]: undefined,
    });
    expect(paramsOf(fake, 'DescribeLockedSnapshots')[0]).toMatchObject({
      MaxResults: '1000',
      'Filter.1.Name': 'lock-state',
      'Filter.1.Value.1': 'compliance-cooloff',
      'Filter.1.Value.2': 'governance',
      'Filter.1.Value.3': 'compliance',
    });
  });

  it('asks when archived snapshots reached the archive, 200 a call, and only when some are archived', async () => {
    // Prepare
    const archived = Array.from({ length: 250 }, (_, n) =>
      snapshot(n, { storageTier: 'archive', archivedAt: T0 - n * 3_600_000 }),
    );
    const archive = served(estate([...archived, snapshot(900)]));
    const standard = served(estate([snapshot(901)]));

    // Act
    const inventory = await collect(archive.handler);
    await collect(standard.handler);

    // Assess
    const byId = new Map(inventory.snapshots.map((s) => [s.id, s]));
    for (const s of archived)
      expect(byId.get(s.id)).toMatchObject({ storageTier: 'archive', archivedAt: s.archivedAt });
    expect(archive.fake.counts().DescribeSnapshotTierStatus).toBe(2);
    expect(standard.fake.counts().DescribeSnapshotTierStatus).toBeUndefined();
  });

  it.each([
    ['DescribeImages', 'images'],
    ['DescribeLockedSnapshots', 'locked-snapshots'],
    ['DescribeSnapshotTierStatus', 'archive-tier'],
  ])(
    'does not fail when %s is refused: it records a gap (%s), which holds deletes',
    async (action, resource) => {
      // Prepare
      const snapshots = [snapshot(1, { storageTier: 'archive', archivedAt: T0 }), snapshot(2)];
      const { handler } = served(estate(snapshots), {
        errorsFor: { [action]: { code: 'UnauthorizedOperation', status: 403 } },
      });

      // Act
      const inventory = await collect(handler);

      // Assess
      expect(inventory.gaps).toEqual([{ resource, error: `${action}: UnauthorizedOperation` }]);
      expect(inventory.snapshots).toHaveLength(2);
    },
  );

  it('reads a region without snapshot locks (InvalidAction) as one where nothing is locked', async () => {
    // Prepare
    const { handler } = served(estate([snapshot(1)]), {
      errorsFor: { DescribeLockedSnapshots: { code: 'InvalidAction', status: 400 } },
    });

    // Act
    const inventory = await collect(handler);

    // Assess
    expect(inventory.gaps).toBeUndefined();
    expect(inventory.snapshots).toHaveLength(1);
  });
});

describe('collectInventory: instances and failures', () => {
  it('asks EC2 to leave terminated instances out', async () => {
    // Prepare
    const { fake, handler } = served(estate([]));

    // Act
    await collect(handler);

    // Assess
    const params = fake.calls.find((c) => c.action === 'DescribeInstances')?.params;
    expect(params?.get('Filter.1.Name')).toBe('instance-state-name');
    expect([1, 2, 3, 4, 5].map((n) => params?.get(`Filter.1.Value.${n}`))).toEqual([
      'pending',
      'running',
      'stopping',
      'stopped',
      'shutting-down',
    ]);
  });

  it.each(['DescribeVolumes', 'DescribeSnapshots', 'DescribeInstances'])(
    'fails the collection, naming the listing, when %s is refused',
    async (action) => {
      // Prepare
      const { handler } = served(estate([snapshot(1)]), {
        errorsFor: { [action]: { code: 'UnauthorizedOperation', status: 403 } },
      });

      // Act
      const failure = await collect(handler).catch((e: unknown) => e);

      // Assess
      expect(failure).toBeInstanceOf(AwsCallError);
      expect(failure).toMatchObject({ operation: action, code: 'UnauthorizedOperation' });
    },
  );
});

describe('collectInventory: a listing that fails', () => {
  it('stops the other listings from asking for more pages', async () => {
    // Prepare: 40,000 snapshots would take 1 + 16 × 3 pages
    const snapshots = Array.from({ length: 40_000 }, (_, n) => snapshot(n));
    const { fake, handler, quiet } = served(estate(snapshots), {
      errorsFor: { DescribeVolumes: { code: 'UnauthorizedOperation', status: 403 } },
    });

    // Act
    const failure = await collect(handler).catch((e: unknown) => e);
    await quiet();

    // Assess
    expect(failure).toMatchObject({ operation: 'DescribeVolumes' });
    expect(fake.counts().DescribeSnapshots).toBeGreaterThanOrEqual(1);
    expect(fake.counts().DescribeSnapshots).toBeLessThanOrEqual(17);
  });
});

describe('listEnabledRegions', () => {
  it('lists enabled regions and leaves out those not opted in', async () => {
    // Prepare
    const region = (name: string, status: string) =>
      `<item><regionName>${name}</regionName><optInStatus>${status}</optInStatus></item>`;
    const handler = fakeEc2Handler(
      (): FakeReply => ({
        xml: `<regionInfo>${region('us-east-1', 'opt-in-not-required')}${region('af-south-1', 'opted-in')}${region('me-south-1', 'not-opted-in')}</regionInfo>`,
      }),
    );

    // Act
    const regions = await listEnabledRegions(clientsFor(handler).ec2);

    // Assess
    expect(regions).toEqual(['af-south-1', 'us-east-1']);
    expect(handler.calls[0]?.params.get('AllRegions')).toBe('false');
  });
});
