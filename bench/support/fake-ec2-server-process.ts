/**
 * Starts fake-ec2-server.ts as a process of its own and talks to it: its port, its stats, stop.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import type { FakeEc2ServerReady, FakeEc2ServerStats } from './fake-ec2-server.js';
import type { P5FleetOptions } from './p5-fleet.js';
import { REPO_ROOT } from './process.js';

export interface FakeEc2ServerProcess {
  readonly ready: FakeEc2ServerReady;
  /** Calls per action and page-writing time since the last reset; `reset` starts counting anew. */
  stats(reset: boolean): Promise<FakeEc2ServerStats>;
  stop(): void;
}

const SERVER = new URL('./fake-ec2-server.ts', import.meta.url);

/**
 * Builds the fleet in a new process and resolves once it listens.
 *
 * @example const server = await startFakeEc2Server(p5Fleet(1, false), 250);
 */
export function startFakeEc2Server(fleet: P5FleetOptions, latencyMs: number): Promise<FakeEc2ServerProcess> {
  // The fleet needs room: a million snapshots and more.
  const argv = [
    '--max-old-space-size=8192',
    '--import',
    'tsx',
    SERVER.pathname,
    JSON.stringify(fleet),
    String(latencyMs),
  ];
  const child = spawn(process.execPath, argv, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (!out.includes('\n') || line === undefined) return;
      child.stdout.off('data', onData);
      const ready = JSON.parse(line) as FakeEc2ServerReady;
      resolve({ ready, stats: (reset) => readStats(ready.port, reset), stop: () => child.kill() });
    };
    child.stdout.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the fake EC2 server exited with ${code}`)));
  });
}

function readStats(port: number, reset: boolean): Promise<FakeEc2ServerStats> {
  return new Promise((resolve, reject) => {
    const path = reset ? '/stats?reset' : '/stats';
    request({ host: '127.0.0.1', port, path, method: 'GET' }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on('end', () => resolve(JSON.parse(body) as FakeEc2ServerStats));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
