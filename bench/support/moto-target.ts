/**
 * One moto server behind the counting proxy, for the API benches: the proxy pages Describe*
 * answers at EC2's maxima (moto does not page), and the tool's real AWS adapter talks to it.
 * Everything started here is stopped in `finally`, whatever the bench does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { type AwsClients, createAwsClients } from '../../src/aws/clients.js';
import { loadConfig } from '../../src/core/policy/parse.js';
import type { Config } from '../../src/core/policy/types.js';
import { type MotoServer, motoClientConfig, startMoto } from '../../test/support/moto/moto.js';
import { type FaultProxy, startFaultProxy } from '../../test/support/proxy/fault-proxy.js';
import { PAGE_SIZES } from './minimum.js';

export const BENCH_REGION = 'us-east-1';

/** The moto side of a bench. */
export interface MotoTarget {
  readonly moto: MotoServer;
  readonly proxy: FaultProxy;
  /** Straight to moto, bypassing the proxy: for seeding, which must not be counted. */
  readonly direct: EC2Client;
  /** A fresh folder for the run's lock file. */
  readonly lockDir: string;
  /** The tool's SDK clients, through the proxy (default retry strategy). */
  connect(): AwsClients;
}

/**
 * Start moto and the proxy, run `work`, and stop both (and remove the lock folder) afterwards.
 *
 * @example const figures = await withMotoTarget(async (target) => { ... });
 */
export async function withMotoTarget<T>(work: (target: MotoTarget) => Promise<T>): Promise<T> {
  const lockDir = await mkdtemp(join(tmpdir(), 'ebs-snapper-bench-'));
  const moto = await startMoto();
  let proxy: FaultProxy | undefined;
  const direct = new EC2Client({ ...motoClientConfig(moto.endpoint, BENCH_REGION), maxAttempts: 5 });
  try {
    proxy = await startFaultProxy({ target: moto.endpoint, faults: { pageSize: PAGE_SIZES } });
    const through = proxy;
    return await work({
      moto,
      proxy: through,
      direct,
      lockDir,
      connect: () =>
        createAwsClients({
          region: BENCH_REGION,
          endpoint: through.endpoint,
          credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
        }),
    });
  } finally {
    direct.destroy();
    await proxy?.stop();
    await moto.stop();
    await rm(lockDir, { recursive: true, force: true });
  }
}

/** The benches' policy: every seeded instance's volumes, daily, expired after a day. */
export function benchConfig(policy: string, minimum: number): Config {
  const text = `version: 1
settings:
  regions: [${BENCH_REGION}]
policies:
  - id: ${policy}
    select:
      instances:
        tag:Bench: "true"
    schedule:
      every: 1 day
    retention:
      max_age: 1 day
      minimum: ${minimum}
`;
  return loadConfig(text, { source: 'bench policy' }).config;
}

/** Tags on every seeded instance and volume: what {@link benchConfig} selects. */
export const BENCH_TAGS = { Bench: 'true' } as const;

export const DAY_MS = 86_400_000;
