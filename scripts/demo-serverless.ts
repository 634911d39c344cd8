/**
 * `npm run demo:serverless` (and the second half of `npm run demo`): the deployed path against a
 * local AWS (moto). The table, queues and topic are made here as the hub stack would make them;
 * the config is pushed with the CLI; then this script plays EventBridge Scheduler (it calls
 * `fanOut`) and Lambda's SQS poller (it calls `worker` for each message), and prints the run
 * records, a notification, a log line and a metric line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeployedClients } from '../src/aws/serverless-clients.js';
import { createRunRecordStore } from '../src/aws/table/run-records.js';
import {
  captureOutput,
  createDeployment,
  drainQueue,
  importHandlers,
  lambdaContext,
  readNotifications,
} from '../test/support/moto/deployment.js';
import { MEMBER_ROLE, seedWebFleet, webPolicy } from '../test/support/moto/member-accounts.js';
import { startMoto } from '../test/support/moto/moto.js';
import { startFaultProxy } from '../test/support/proxy/fault-proxy.js';

const ACCOUNTS = ['111111111111', '222222222222'];
const REGIONS = ['us-east-1', 'eu-west-1'];
const say = (text: string) => process.stdout.write(`${text}\n`);

async function demo(): Promise<void> {
  const moto = await startMoto();
  // Everything goes through the proxy, which answers DescribeLockedSnapshots (moto does not).
  const proxy = await startFaultProxy({ target: moto.endpoint });
  const dir = mkdtempSync(join(tmpdir(), 'ebs-snapper-demo-serverless-'));
  try {
    say(`\n\u001b[1m— The deployed path, against a local AWS (moto) at ${moto.endpoint} —\u001b[0m`);
    for (const account of ACCOUNTS)
      for (const region of REGIONS) await seedWebFleet(moto.endpoint, account, region);
    say(
      `Two web servers in each of ${ACCOUNTS.length} accounts × ${REGIONS.length} regions (${ACCOUNTS.join(', ')} × ${REGIONS.join(', ')})`,
    );
    const deployment = await createDeployment(proxy.endpoint);
    say(`Table ${deployment.table}, work queue with a dead-letter queue, topic ${deployment.topicArn}`);
    const notify = `  notify: {sns_topic_arn: "${deployment.topicArn}", on: [failure, summary]}\n`;
    const policy = webPolicy(ACCOUNTS, REGIONS, notify);
    const file = join(dir, 'ebs-snapper.yaml');
    writeFileSync(file, policy);
    const cli = ['dist/cli.js', 'config', 'push', file, '--table', deployment.table];
    say(`\n$ ebs-snapper ${cli.slice(1).join(' ')}`);
    // Not spawnSync: the proxy the CLI talks to runs in this process and must keep answering.
    const push = spawn(process.execPath, cli, {
      stdio: 'inherit',
      env: { ...process.env, ...deployment.env },
    });
    const pushed = await new Promise<number | null>((resolve, reject) => {
      push.on('error', reject);
      push.on('close', resolve);
    });
    if (pushed !== 0) throw new Error(`config push exited ${pushed}`);

    Object.assign(process.env, deployment.env, { EBS_SNAPPER_MEMBER_ROLE_NAME: MEMBER_ROLE });
    const { fanOut, worker } = await importHandlers();
    const { value, lines } = await captureOutput(async () => {
      const fanned = await fanOut(
        {},
        lambdaContext(() => 300_000),
      );
      return { fanned, invocations: await drainQueue(deployment, worker) };
    });
    const { fanned, invocations } = value;
    say(`\nfanOut → ${JSON.stringify(fanned)}`);
    say(
      `worker: ${invocations.length} invocations, ${invocations.filter((r) => r.batchItemFailures.length > 0).length} messages to retry`,
    );

    const { dynamo } = createDeployedClients({ region: deployment.region, endpoint: proxy.endpoint });
    const runId = String(lines.find((l) => typeof l.run_id === 'string')?.run_id);
    say(`\nRun records of ${runId} (table ${deployment.table}):`);
    for (const r of await createRunRecordStore(dynamo, deployment.table).list(runId)) {
      say(
        `  ${r.account} ${r.region.padEnd(9)} #${r.continuation}  ${r.outcome.padEnd(9)} created ${r.created}, deleted ${r.deleted}, failed ${r.failed}, deferred ${r.deferred}`,
      );
    }
    const [note] = await readNotifications(deployment);
    say(
      `\nA notification (SNS → an SQS queue subscribed to the topic):\n  ${note?.subject}\n  ${JSON.stringify(note?.message)}`,
    );
    say(`\nA JSON log line:\n  ${JSON.stringify(lines.find((l) => l.message === 'target done'))}`);
    say(`\nAn EMF metric line:\n  ${JSON.stringify(lines.find((l) => '_aws' in l))}`);
  } finally {
    await proxy.stop();
    await moto.stop();
    rmSync(dir, { recursive: true, force: true });
    say('\nmoto stopped.');
  }
}

await demo();
