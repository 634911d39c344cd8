/**
 * The P5 fleet's fake EC2 as a process of its own, over HTTP on 127.0.0.1, for the
 * `collect-limits` bench: the measured worker is another process, throttled to a Lambda's CPU
 * share and capped to its memory, and the service's work (the fleet, writing pages) must count
 * against neither — as in AWS, where EC2's work is done elsewhere. Each answer leaves no sooner
 * than `latencyMs` after its request arrived (a page's service time in AWS).
 *
 * Started with `node --import tsx fake-ec2-server.ts '<P5FleetOptions JSON>' <latencyMs>`; prints
 * one JSON line `{ "port": ..., "snapshots": ..., ... }` once it listens. `GET /stats` answers the
 * calls per action and the milliseconds spent writing pages since the last `GET /stats?reset`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import process from 'node:process';
import type { HttpRequest } from '@smithy/types';
import { createFakeEc2 } from '../../test/support/fakes/fake-ec2.js';
import { generateP5Fleet, type P5FleetOptions } from './p5-fleet.js';

/** What `GET /stats` answers. */
export interface FakeEc2ServerStats {
  readonly calls: Record<string, number>;
  readonly servingMs: number;
}

/** The line the server prints once it listens. */
export interface FakeEc2ServerReady {
  readonly port: number;
  readonly snapshots: number;
  readonly volumes: number;
  readonly instances: number;
}

function readAll(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function serve(options: P5FleetOptions, latencyMs: number): void {
  const { inventory } = generateP5Fleet(options);
  const fake = createFakeEc2([inventory]);
  let calls: Record<string, number> = {};
  let servingMs = 0;

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const arrived = performance.now();
    if (request.method === 'GET' && request.url?.startsWith('/stats')) {
      const stats: FakeEc2ServerStats = { calls, servingMs };
      if (request.url.includes('reset')) [calls, servingMs] = [{}, 0];
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
      return;
    }
    const body = await readAll(request);
    const action = /(?:^|&)Action=([^&]*)/.exec(body)?.[1] ?? 'Unknown';
    calls[action] = (calls[action] ?? 0) + 1;
    const started = performance.now();
    const sdkRequest = {
      headers: { authorization: String(request.headers.authorization ?? '') },
      hostname: String(request.headers.host ?? ''),
      path: request.url ?? '/',
      body,
    };
    const { response: answered } = await fake.handle(sdkRequest as unknown as HttpRequest);
    servingMs += performance.now() - started;
    const wait = latencyMs - (performance.now() - arrived);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    response.writeHead(answered.statusCode, answered.headers).end(answered.body as Buffer);
  }

  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      console.error(error);
      response.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const ready: FakeEc2ServerReady = {
      port,
      snapshots: inventory.snapshots.length,
      volumes: inventory.volumes.length,
      instances: inventory.instances.length,
    };
    process.stdout.write(`${JSON.stringify(ready)}\n`);
  });
}

const [fleetJson, latency] = process.argv.slice(2);
if (fleetJson !== undefined) serve(JSON.parse(fleetJson) as P5FleetOptions, Number(latency ?? '250'));
