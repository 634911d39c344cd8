/**
 * The main-thread side of the fake EC2 worker (fake-ec2-worker.ts): an SDK `requestHandler` that
 * sends each request to the worker and answers no sooner than `latencyMs` after it was sent — the
 * service time of a page in AWS — so pages cost time without costing this thread any work.
 */
import { Worker } from 'node:worker_threads';
import { HttpResponse } from '@smithy/protocol-http';
import type { HttpRequest } from '@smithy/types';
import type { WorkerReply, WorkerRequest } from './fake-ec2-worker.js';
import type { P5FleetOptions } from './p5-fleet.js';

export interface WorkerEc2 {
  /** Give it to `createAwsClients({ requestHandler })`. */
  readonly handler: {
    readonly metadata: { readonly handlerProtocol: string };
    handle(request: HttpRequest): Promise<{ response: HttpResponse }>;
    updateHttpClientConfig(): void;
    httpHandlerConfigs(): Record<string, never>;
    destroy(): void;
  };
  /** The fleet as the worker built it. */
  readonly fleet: Extract<WorkerReply, { type: 'ready' }>;
  /** Requests per API action. */
  counts(): Record<string, number>;
  /** Milliseconds the worker spent writing answers. */
  servingMs(): Promise<number>;
  stop(): Promise<void>;
}

/** Registers tsx, then loads fake-ec2-worker.ts (a worker gets no `--import tsx` of ours). */
const WORKER = new URL('./fake-ec2-worker-boot.mjs', import.meta.url);

/**
 * Starts the worker, which builds the fleet, and resolves once it is ready to answer.
 *
 * @example const ec2 = await startWorkerEc2(fleetOptions, 250);
 */
export async function startWorkerEc2(fleet: P5FleetOptions, latencyMs: number): Promise<WorkerEc2> {
  // The fleet needs room: up to 1.9 million snapshots.
  const worker = new Worker(WORKER, { workerData: fleet, resourceLimits: { maxOldGenerationSizeMb: 8192 } });
  const pending = new Map<number, (reply: Extract<WorkerReply, { type: 'reply' }>) => void>();
  let onStats: ((ms: number) => void) | undefined;
  const ready = new Promise<Extract<WorkerReply, { type: 'ready' }>>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') resolve(reply);
      else if (reply.type === 'stats') onStats?.(reply.servingMs);
      else {
        pending.get(reply.id)?.(reply);
        pending.delete(reply.id);
      }
    });
  });
  const calls: Record<string, number> = {};
  let next = 0;
  const send = (message: WorkerRequest) => worker.postMessage(message);
  const handler = {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
      const body =
        typeof request.body === 'string' ? request.body : Buffer.from(request.body as Uint8Array).toString();
      const action = /(?:^|&)Action=([^&]*)/.exec(body)?.[1] ?? 'Unknown';
      calls[action] = (calls[action] ?? 0) + 1;
      const id = next++;
      const answered = new Promise<Extract<WorkerReply, { type: 'reply' }>>((resolve) =>
        pending.set(id, resolve),
      );
      const authorization = String(request.headers.authorization ?? request.headers.Authorization ?? '');
      send({ type: 'request', id, body, authorization, hostname: request.hostname });
      const [reply] = await Promise.all([answered, new Promise((resolve) => setTimeout(resolve, latencyMs))]);
      return {
        response: new HttpResponse({
          statusCode: reply.statusCode,
          headers: reply.headers,
          body: Buffer.from(reply.body),
        }),
      };
    },
    updateHttpClientConfig(): void {},
    httpHandlerConfigs: () => ({}),
    destroy(): void {},
  };
  return {
    handler,
    fleet: await ready,
    counts: () => ({ ...calls }),
    servingMs: () =>
      new Promise((resolve) => {
        onStats = resolve;
        send({ type: 'stats' });
      }),
    stop: async () => {
      await worker.terminate();
    },
  };
}
