/**
 * A fake EC2 that snapshots and deletes, for the worker bench: listings come from the in-process
 * fake (rebuilt from the current state at each collection), CreateSnapshot and DeleteSnapshot
 * change the state, under EC2-shaped server-side buckets that answer RequestLimitExceeded.
 */
import type { RequestHandlerLike } from '../../src/aws/http.js';
import { type Inventory, type Snapshot, snapshotId, volumeId } from '../../src/core/model.js';
import { createFakeEc2 } from '../../test/support/fakes/fake-ec2.js';
import { fakeEc2Handler } from '../../test/support/fakes/fake-ec2-handler.js';
import { formatIsoTime } from '../../test/support/fakes/fake-ec2-xml.js';
import { createFaultInjector, type TokenBucketConfig } from '../../test/support/proxy/faults.js';

export interface MutableFakeEc2 {
  /** The request handler of one invocation's clients. */
  handler(): RequestHandlerLike;
  /** The state now. */
  inventory(): Inventory;
  /** Calls answered with RequestLimitExceeded by the server-side buckets. */
  readonly throttled: { count: number };
}

const MUTATIONS = new Set(['CreateSnapshot', 'DeleteSnapshot']);

export function createMutableFakeEc2(start: Inventory, bucket: TokenBucketConfig): MutableFakeEc2 {
  let snapshots: Snapshot[] = [...start.snapshots];
  let next = 1;
  const throttled = { count: 0 };
  const buckets = createFaultInjector({ buckets: { CreateSnapshot: bucket, DeleteSnapshot: bucket } });
  const inventory = (): Inventory => ({ ...start, snapshots });
  const mutate = fakeEc2Handler((action, params) => {
    const fault = buckets.decide(action);
    if (fault !== undefined) {
      throttled.count += 1;
      return { error: { code: fault.code, message: fault.message, status: fault.status } };
    }
    if (action === 'DeleteSnapshot') {
      const id = params.get('SnapshotId');
      if (!snapshots.some((s) => s.id === id))
        return { error: { code: 'InvalidSnapshot.NotFound', status: 400 } };
      snapshots = snapshots.filter((s) => s.id !== id);
      return { xml: '<return>true</return>' };
    }
    return { xml: createSnapshot(params) };
  });

  function createSnapshot(params: URLSearchParams): string {
    const tags: Record<string, string> = {};
    for (let i = 1; params.has(`TagSpecification.1.Tag.${i}.Key`); i++) {
      tags[params.get(`TagSpecification.1.Tag.${i}.Key`)!] =
        params.get(`TagSpecification.1.Tag.${i}.Value`) ?? '';
    }
    const id = `snap-${(next++).toString(16).padStart(17, 'b')}`;
    const volume = params.get('VolumeId')!;
    const startTime = Date.now();
    snapshots.push({
      id: snapshotId(id),
      volumeId: volumeId(volume),
      ownerId: start.account,
      state: 'pending',
      startTime,
      tags,
    });
    return `<snapshotId>${id}</snapshotId><volumeId>${volume}</volumeId><status>pending</status><startTime>${formatIsoTime(startTime)}</startTime><ownerId>${start.account}</ownerId><volumeSize>8</volumeSize>`;
  }

  return {
    throttled,
    inventory,
    handler() {
      const listings = createFakeEc2([inventory()]);
      return {
        handle(request) {
          const body = typeof request.body === 'string' ? request.body : '';
          const action = new URLSearchParams(body).get('Action') ?? '';
          return MUTATIONS.has(action) ? mutate.handle(request) : listings.handle(request);
        },
      };
    },
  };
}
