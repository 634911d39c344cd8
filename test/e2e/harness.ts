/**
 * The shared set-up of the end-to-end files that watch the CLI's calls: moto behind the counting
 * proxy (test/support/use-moto.ts), and before each test a fresh demo fleet and a fresh work dir.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { beforeEach } from 'vitest';
import { type DemoFleet, seedDemoFleet } from '../../scripts/demo-fleet.js';
import { type MotoBehindProxy, useMotoBehindProxy } from '../support/moto/use-moto.js';
import { type CliEnv, workDir } from './cli.js';
import { ec2Client } from './fleet.js';

export interface ProxiedFleet extends MotoBehindProxy {
  /** A client straight to moto, for set-up and checks (its calls are not counted). */
  ec2: EC2Client;
  /** The CLI's environment: it talks to AWS through the proxy. */
  env: CliEnv;
  fleet: DemoFleet;
}

/** Register the hooks; the returned object's fields are filled in before each test. */
export function useDemoFleetBehindProxy(): ProxiedFleet {
  const context = useMotoBehindProxy() as ProxiedFleet;
  beforeEach(async () => {
    context.ec2 = ec2Client(context.moto.endpoint);
    context.fleet = await seedDemoFleet(context.ec2);
    context.env = { endpoint: context.proxy.endpoint, workDir: workDir() };
  });
  return context;
}
