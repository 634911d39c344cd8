/**
 * `npm run demo`: start a local AWS (moto), create a small fleet, then show the tool's main job:
 * plan → run → plan again (nothing left to do) → a what-if plan ten days later. Stops moto at the end.
 * The CLI talks to moto through the test proxy, which answers DescribeLockedSnapshots (moto does not).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { motoClientConfig, startMoto } from '../test/support/moto/moto.js';
import { startFaultProxy } from '../test/support/proxy/fault-proxy.js';
import { DEMO_POLICY, seedDemoFleet } from './demo-fleet.js';

const REGION = 'us-east-1';

/** Runs one CLI command; not spawnSync: the proxy answering the CLI lives in this process. */
async function step(title: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  process.stdout.write(`\n\u001b[1m$ ebs-snapper ${args.join(' ')}\u001b[0m   # ${title}\n`);
  const child = spawn(process.execPath, ['dist/cli.js', ...args], { stdio: 'inherit', env });
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  process.stdout.write(`(exit ${status})\n`);
  return status ?? 1;
}

async function demo(): Promise<void> {
  const moto = await startMoto();
  const proxy = await startFaultProxy({ target: moto.endpoint });
  const dir = mkdtempSync(join(tmpdir(), 'ebs-snapper-demo-'));
  try {
    process.stdout.write(`Local AWS (moto) at ${moto.endpoint}\n`);
    const fleet = await seedDemoFleet(new EC2Client(motoClientConfig(moto.endpoint, REGION)));
    process.stdout.write(
      `Demo fleet: web ${fleet.web.join(', ')}; db ${fleet.db}; detached volume ${fleet.detachedVolume}\n`,
    );
    const config = join(dir, 'ebs-snapper.yaml');
    writeFileSync(config, DEMO_POLICY);
    process.stdout.write(`\nPolicy file ${config}:\n${DEMO_POLICY}`);
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'demo',
      AWS_SECRET_ACCESS_KEY: 'demo',
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL: proxy.endpoint,
      EBS_SNAPPER_CONFIG: config,
      EBS_SNAPPER_LOCK_DIR: join(dir, 'locks'),
    };
    const later = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const codes = [
      await step('what would a run do?', ['plan'], env),
      await step('do it', ['run'], env),
      await step('right after: nothing left to do', ['plan', '--detailed-exitcode'], env),
      await step('what-if: ten days from now', ['plan', '--now', later], env),
    ];
    if (codes.some((code) => code === 1)) process.exitCode = 1;
  } finally {
    await proxy.stop();
    await moto.stop();
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write('\nmoto stopped.\n');
  }
}

await demo();
