import { describe, expect, it } from 'vitest';
import { fleet } from '../../../test/support/builders/fleet.js';
import { memoryTargetMemory } from '../../../test/support/fakes/exclusive.js';
import { InMemoryEc2 } from '../../../test/support/fakes/in-memory-ec2.js';
import type { Inventory } from '../../core/model.js';
import type { Lease, RunRecord, UnqueuedItem, WorkItem, WorkQueue } from './ports.js';
import { type BatchDeps, type BatchRecord, processBatch } from './work-batch.js';
import type { WorkTelemetry } from './work-telemetry.js';

const ACCOUNT = '111122223333';
const REGIONS = ['eu-west-1', 'eu-west-2', 'eu-west-3', 'us-east-1'];
const NOW = Date.parse('2026-12-01T10:00:00Z');
const CONFIG = `version: 1
settings:
  accounts: ["${ACCOUNT}"]
  regions: [${REGIONS.join(', ')}]
policies:
  - id: web
    select: {instance_names: ["web*"]}
    schedule: {every: 1 day}
    retention: {minimum: 2}
`;

const busy = (region: string): Inventory =>
  fleet({ account: ACCOUNT, region })
    .instance('web-1')
    .volume({ id: `vol-${region}` })
    .build();
const empty = (region: string): Inventory => fleet({ account: ACCOUNT, region }).build();

const recordOfItem = (region: string, continuation = 0): BatchRecord => ({
  id: `m-${region}-${continuation}`,
  item: { account: ACCOUNT, region, run_id: 'r-1', continuation },
  receiveCount: 1,
});

/** A queue that keeps what it is sent, or refuses everything. */
function soloQueue(refuse = false): WorkQueue & { readonly sent: WorkItem[] } {
  const sent: WorkItem[] = [];
  return {
    sent,
    async send(items): Promise<readonly UnqueuedItem[]> {
      if (refuse) return items.map((item) => ({ item, code: 'AccessDenied', message: 'no' }));
      sent.push(...items);
      return [];
    },
  };
}

/** The deps of a batch over in-memory ports, one per region; what was asked is kept. */
function batchDeps(inventories: readonly Inventory[], extra: Partial<BatchDeps> = {}) {
  const ports = new Map(inventories.map((i) => [i.region, new InMemoryEc2(i, () => NOW)]));
  const asked: string[] = [];
  const records: RunRecord[] = [];
  const held = new Map<string, Lease>();
  const noop = () => {};
  const telemetry: WorkTelemetry = {
    skipped: noop,
    refused: noop,
    duplicate: noop,
    warn: noop,
    empty: noop,
    finished: noop,
  };
  const deps: BatchDeps = {
    table: 't',
    configName: 'default',
    configs: {
      get: async (name) => ({ name, text: CONFIG, updatedAt: '2026-12-01T00:00:00Z', sha256: 'x' }),
      put: async () => {},
      list: async () => [],
      delete: async () => false,
    },
    leases: {
      async acquire(key, owner, now, ttlMs) {
        // As the table's lease: free, expired, or already this owner's (a retried acquire).
        const current = held.get(key);
        if (current !== undefined && current.owner !== owner && current.expiresAt > now) return undefined;
        const lease = { key, owner, expiresAt: now + ttlMs };
        held.set(key, lease);
        return lease;
      },
      release: async (lease) => void held.delete(lease.key),
    },
    memory: memoryTargetMemory(),
    records: {
      async put(record) {
        records.push(record);
        return true;
      },
      list: async () => records,
    },
    handoffs: { claim: async () => true, release: async () => {} },
    queue: soloQueue(),
    ownAccount: ACCOUNT,
    isOrganizationMember: async () => false,
    portFor(_account, region) {
      asked.push(region);
      const port = ports.get(region);
      if (port === undefined) throw new Error(`no port for ${region}`);
      return port;
    },
    notifiersFor: () => [],
    clock: Date.now,
    telemetry,
    ...extra,
  };
  return { deps, ports, asked, records };
}

const invocation = { requestId: 'req-1', remainingMs: () => 900_000, marginMs: 60_000 };
const operations = (port: InMemoryEc2 | undefined) => [...new Set(port?.calls.map((c) => c.operation))];

describe('processBatch', () => {
  it('leaves the empty targets at a glance with a compact record, and works on the one with volumes', async () => {
    // Prepare
    const { deps, ports, records } = batchDeps([busy('eu-west-1'), empty('eu-west-2'), empty('eu-west-3')]);

    // Act
    const retried = await processBatch(
      ['eu-west-1', 'eu-west-2', 'eu-west-3'].map((r) => recordOfItem(r)),
      invocation,
      deps,
    );

    // Assess
    expect(retried).toEqual([]);
    expect(operations(ports.get('eu-west-2'))).toEqual(['glance']);
    expect(operations(ports.get('eu-west-3'))).toEqual(['glance']);
    expect(operations(ports.get('eu-west-1'))).toContain('collectInventory');
    expect(records.map((r) => `${r.region}:${r.outcome}:${r.created}:${r.empty === true}`).sort()).toEqual([
      'eu-west-1:ok:1:false',
      'eu-west-2:ok:0:true',
      'eu-west-3:ok:0:true',
    ]);
  });

  it('refuses an item the config does not cover before it asks for any port', async () => {
    // Prepare
    const { deps, asked, records } = batchDeps([empty('eu-west-2')]);

    // Act
    const retried = await processBatch(
      [recordOfItem('ap-south-1'), recordOfItem('eu-west-2')],
      invocation,
      deps,
    );

    // Assess
    expect(retried).toEqual([]);
    expect(asked).toEqual(['eu-west-2']);
    expect(records.find((r) => r.region === 'ap-south-1')).toMatchObject({
      outcome: 'failed',
      failures: [expect.objectContaining({ code: 'target.not-covered' })],
    });
  });

  it('works on the first large target with work and hands the next, unchanged, to the solo queue', async () => {
    // Prepare: every target counted as large
    const solo = soloQueue();
    const { deps, ports, records } = batchDeps([busy('eu-west-1'), busy('us-east-1'), empty('eu-west-2')], {
      solo,
      glanceConcurrency: 1,
      smallConcurrency: 0,
    });
    const batch = ['eu-west-1', 'eu-west-2', 'us-east-1'].map((r) => recordOfItem(r));

    // Act
    const retried = await processBatch(batch, invocation, deps);

    // Assess
    expect(retried).toEqual([]);
    expect(solo.sent).toEqual([batch[2]!.item]);
    expect(operations(ports.get('us-east-1'))).toEqual(['glance']);
    expect(records.map((r) => r.region).sort()).toEqual(['eu-west-1', 'eu-west-2']);
  });

  it('works on small targets with work here, side by side, and hands none of them on', async () => {
    // Prepare: both have a volume and a snapshot or two, well inside one page of each
    const solo = soloQueue();
    const { deps, records } = batchDeps([busy('eu-west-1'), busy('us-east-1'), empty('eu-west-2')], {
      solo,
      glanceConcurrency: 1,
    });

    // Act
    const retried = await processBatch(
      ['eu-west-1', 'eu-west-2', 'us-east-1'].map((r) => recordOfItem(r)),
      invocation,
      deps,
    );

    // Assess
    expect(retried).toEqual([]);
    expect(solo.sent).toEqual([]);
    expect(
      records
        .filter((r) => r.created === 1)
        .map((r) => r.region)
        .sort(),
    ).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('works on a target delivered twice in one batch once at a time: one snapshot, not two', async () => {
    // Prepare: the same message delivered twice (SQS is at least once); both copies share this
    // invocation's request id, so the lease alone cannot keep them apart
    const { deps, ports } = batchDeps([busy('eu-west-1'), empty('eu-west-2')]);
    // EC2's clock and the worker's agree, so a snapshot the first copy makes is the newest for the second.
    ports.set('eu-west-1', new InMemoryEc2(busy('eu-west-1'), Date.now));
    const twice = [recordOfItem('eu-west-1'), { ...recordOfItem('eu-west-1'), id: 'm-eu-west-1-again' }];

    // Act
    const retried = await processBatch([...twice, recordOfItem('eu-west-2')], invocation, deps);

    // Assess
    expect(retried).toEqual([]);
    const calls = ports.get('eu-west-1')!.calls.map((c) => c.operation);
    expect(calls.filter((c) => c === 'createSnapshot' || c === 'createSnapshots')).toHaveLength(1);
  });

  it('without a solo queue, works on every target with work here, one after the other', async () => {
    // Prepare
    const { deps, records } = batchDeps([busy('eu-west-1'), busy('us-east-1'), empty('eu-west-2')]);

    // Act
    const retried = await processBatch(
      ['eu-west-1', 'eu-west-2', 'us-east-1'].map((r) => recordOfItem(r)),
      invocation,
      deps,
    );

    // Assess
    expect(retried).toEqual([]);
    expect(
      records
        .filter((r) => r.created === 1)
        .map((r) => r.region)
        .sort(),
    ).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('has SQS deliver again the target the solo queue refused, and nothing else', async () => {
    // Prepare
    const { deps } = batchDeps([busy('eu-west-1'), busy('us-east-1'), empty('eu-west-2')], {
      solo: soloQueue(true),
      glanceConcurrency: 1,
      smallConcurrency: 0,
    });

    // Act
    const retried = await processBatch(
      ['eu-west-1', 'eu-west-2', 'us-east-1'].map((r) => recordOfItem(r)),
      invocation,
      deps,
    );

    // Assess
    expect(retried).toEqual(['m-us-east-1-0']);
  });

  it('works in full on a target it could not look at, and on a continuation without looking', async () => {
    // Prepare
    const { deps, ports, records } = batchDeps([empty('eu-west-2'), empty('eu-west-3')]);
    ports.get('eu-west-2')!.fail('glance', 'RequestLimitExceeded');

    // Act
    const retried = await processBatch(
      [recordOfItem('eu-west-2'), recordOfItem('eu-west-3', 1)],
      invocation,
      deps,
    );

    // Assess
    expect(retried).toEqual([]);
    expect(operations(ports.get('eu-west-2'))).toEqual(['glance', 'collectInventory']);
    expect(operations(ports.get('eu-west-3'))).toEqual(['collectInventory']);
    expect(records.every((r) => r.empty === undefined)).toBe(true);
  });

  it('has an empty target delivered again when its record cannot be written', async () => {
    // Prepare
    const { deps } = batchDeps([empty('eu-west-2'), empty('eu-west-3')]);
    const failing: BatchDeps = {
      ...deps,
      records: {
        ...deps.records,
        put: async (record) => {
          if (record.region === 'eu-west-3') throw new Error('ProvisionedThroughputExceededException');
          return true;
        },
      },
    };

    // Act
    const retried = await processBatch(
      [recordOfItem('eu-west-2'), recordOfItem('eu-west-3')],
      invocation,
      failing,
    );

    // Assess
    expect(retried).toEqual(['m-eu-west-3-0']);
  });
});
