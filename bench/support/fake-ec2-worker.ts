/**
 * The in-process fake EC2 on a worker thread, for the P5 bench: the fleet lives in the worker's
 * heap and pages are written there, so what the main thread measures — the SDK's paginators and
 * parser, and our collection — is the tool's work alone, as in AWS, where the service's work is
 * done elsewhere. Started by worker-ec2.ts; answers `request` messages with the page bytes
 * (transferred, not copied) and `stats` with the time spent answering.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { HttpRequest } from '@smithy/types';
import { createFakeEc2 } from '../../test/support/fakes/fake-ec2.js';
import { generateP5Fleet, type P5FleetOptions } from './p5-fleet.js';

/** What the main thread sends. */
export type WorkerRequest =
  | {
      readonly type: 'request';
      readonly id: number;
      readonly body: string;
      readonly authorization: string;
      readonly hostname: string;
    }
  | { readonly type: 'stats' };

/** What the worker answers. */
export type WorkerReply =
  | {
      readonly type: 'ready';
      readonly snapshots: number;
      readonly managed: number;
      readonly volumes: number;
      readonly instances: number;
    }
  | {
      readonly type: 'reply';
      readonly id: number;
      readonly statusCode: number;
      readonly headers: Record<string, string>;
      readonly body: ArrayBuffer;
    }
  | { readonly type: 'stats'; readonly servingMs: number };

if (parentPort !== null) {
  const port = parentPort;
  const options = workerData as P5FleetOptions;
  const { inventory } = generateP5Fleet(options);
  const fake = createFakeEc2([inventory]);
  (globalThis as { gc?: () => void }).gc?.();
  let servingMs = 0;
  port.on('message', async (message: WorkerRequest) => {
    if (message.type === 'stats') {
      port.postMessage({ type: 'stats', servingMs } satisfies WorkerReply);
      return;
    }
    const started = performance.now();
    const request = {
      headers: { authorization: message.authorization },
      hostname: message.hostname,
      body: message.body,
    };
    const { response } = await fake.handle(request as unknown as HttpRequest);
    const bytes = response.body as Buffer;
    const body = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    servingMs += performance.now() - started;
    const reply: WorkerReply = {
      type: 'reply',
      id: message.id,
      statusCode: response.statusCode,
      headers: response.headers,
      body: body as ArrayBuffer,
    };
    port.postMessage(reply, [body as ArrayBuffer]);
  });
  port.postMessage({
    type: 'ready',
    snapshots: inventory.snapshots.length,
    managed: options.managed,
    volumes: inventory.volumes.length,
    instances: inventory.instances.length,
  } satisfies WorkerReply);
}
