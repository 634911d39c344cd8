/**
 * The deployment's adapters in memory, for driving the real worker handler in a bench: a config
 * store, leases, run records and a work queue held in plain maps and arrays.
 */
import type {
  ConfigStore,
  HandoffStore,
  Lease,
  LeaseStore,
  RunRecord,
  RunRecordStore,
  StoredConfig,
  WorkItem,
  WorkQueue,
} from '../../src/app/serverless/ports.js';
import type { RunIndexStore } from '../../src/app/serverless/run-index.js';
import { createAwsClients } from '../../src/aws/clients.js';
import { createEc2Port } from '../../src/aws/ec2-port.js';
import type { RequestHandlerLike } from '../../src/aws/http.js';
import { ThrottleRegistry } from '../../src/aws/throttle.js';
import type { Runtime } from '../../src/lambda/runtime.js';
import { inMemoryRunIndex } from '../../test/support/fakes/in-memory-run-index.js';

export interface MemoryDeployment {
  readonly configs: ConfigStore;
  readonly leases: LeaseStore;
  readonly records: RunRecordStore & { readonly all: RunRecord[] };
  readonly handoffs: HandoffStore;
  readonly runs: RunIndexStore;
  readonly queue: WorkQueue & { readonly items: WorkItem[] };
}

/** @example const deployment = memoryDeployment({ name: 'default', text, updatedAt, sha256: '' }); */
export function memoryDeployment(config: StoredConfig): MemoryDeployment {
  const configs = new Map([[config.name, config]]);
  const held = new Map<string, Lease>();
  const all: RunRecord[] = [];
  const items: WorkItem[] = [];
  return {
    configs: {
      put: async (c) => void configs.set(c.name, c),
      get: async (name) => configs.get(name),
      list: async () => [...configs.values()],
      delete: async (name) => configs.delete(name),
    },
    leases: {
      async acquire(key, owner, now, ttlMs) {
        const current = held.get(key);
        if (current !== undefined && current.owner !== owner && current.expiresAt > now) return undefined;
        const lease = { key, owner, expiresAt: now + ttlMs };
        held.set(key, lease);
        return lease;
      },
      async release(lease) {
        if (held.get(lease.key)?.owner === lease.owner) held.delete(lease.key);
      },
    },
    records: {
      all,
      put: async (r) => {
        all.push(r);
        return true;
      },
      list: async (runId) => all.filter((r) => r.runId === runId),
    },
    handoffs: { claim: async () => true, release: async () => {} },
    runs: inMemoryRunIndex(),
    queue: {
      items,
      send: async (sent) => {
        items.push(...sent);
        return [];
      },
    },
  };
}

/**
 * The runtime's `portFor` of a bench: the real EC2 port and SDK clients, answered by a fake EC2
 * (`handlerOf(account)`) instead of AWS, under the bench's throttle (a fresh one per port when none).
 *
 * @example portFor: fakePortFor(() => fake.handler(), throttle)
 */
export function fakePortFor(
  handlerOf: (account: string) => RequestHandlerLike,
  throttle?: ThrottleRegistry,
): Runtime['portFor'] {
  return (account, region, deadline) =>
    createEc2Port(
      createAwsClients({
        region,
        credentials: { accessKeyId: 'a', secretAccessKey: 's' },
        requestHandler: handlerOf(account),
        deadline,
      }),
      { account, region, throttle: throttle ?? new ThrottleRegistry({}), signal: deadline.signal },
    );
}
