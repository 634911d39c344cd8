/**
 * The shared set-up of the end-to-end files that watch the CLI's calls: one moto server and one
 * counting proxy per file, and before each test a reset, a fresh demo fleet and a fresh work dir.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type DemoFleet, seedDemoFleet } from '../../scripts/demo-fleet.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { type MotoServer, startMoto } from '../support/moto.js';
import { type CliEnv, workDir } from './cli.js';
import { ec2Client } from './fleet.js';

export interface ProxiedFleet {
  moto: MotoServer;
  proxy: FaultProxy;
  /** A client straight to moto, for set-up and checks (its calls are not counted). */
  ec2: EC2Client;
  /** The CLI's environment: it talks to AWS through the proxy. */
  env: CliEnv;
  fleet: DemoFleet;
}

/** Register the hooks; the returned object's fields are filled in before each test. */
export function useDemoFleetBehindProxy(): ProxiedFleet {
  const context = {} as ProxiedFleet;
  beforeAll(async () => {
    context.moto = await startMoto();
    context.proxy = await startFaultProxy({ target: context.moto.endpoint });
  });
  afterAll(async () => {
    await context.proxy?.stop();
    await context.moto?.stop();
  });
  beforeEach(async () => {
    await context.moto.reset();
    context.proxy.configure({});
    context.proxy.resetCounts();
    context.ec2 = ec2Client(context.moto.endpoint);
    context.fleet = await seedDemoFleet(context.ec2);
    context.env = { endpoint: context.proxy.endpoint, workDir: workDir() };
  });
  return context;
}
