/**
 * Vitest hooks for a file that talks to moto through the fault proxy: one server and one proxy
 * for the file, and before each test a reset of moto's state, the proxy's faults and its counts.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../proxy/fault-proxy.js';
import { type MotoServer, startMoto } from './moto.js';

export interface MotoBehindProxy {
  moto: MotoServer;
  proxy: FaultProxy;
}

/** Register the hooks; the returned object's fields are set before the first test runs. */
export function useMotoBehindProxy(): MotoBehindProxy {
  const context = {} as MotoBehindProxy;
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
  });
  return context;
}
