/**
 * What the deployed path tells people: SNS notifications (read through an SQS queue subscribed
 * to the topic), a webhook (a local server), JSON log lines and EMF metrics (captured stdout and
 * stderr). And the bundle stands alone: it loads in a fresh Node with no node_modules beside it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { snapshotVolume } from '../../scripts/seed-ec2.js';
import {
  captureOutput,
  createTopicInbox,
  drainQueue,
  importHandlers,
  lambdaContext,
  readNotifications,
  useDeployment,
} from '../support/moto/deployment.js';
import { ec2As, pushTestConfig, seedWebFleet, webPolicy } from '../support/moto/member-accounts.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const { fanOut, worker } = await importHandlers();
const A = '111111111111';
const THREE_DAYS_AGO = new Date(Date.now() - 3 * 86_400_000)
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\.\d{3}/, '');

describe('notifications, logs and metrics of the deployed path', () => {
  const t = useMotoBehindProxy();
  const deployed = useDeployment(t);
  let hook: {
    server: Server;
    url: string;
    bodies: Record<string, unknown>[];
    status: number;
    location?: string;
  };

  beforeAll(async () => {
    const bodies: Record<string, unknown>[] = [];
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      req.on('end', () => {
        bodies.push(JSON.parse(text) as Record<string, unknown>);
        res.writeHead(hook.status, hook.location === undefined ? {} : { location: hook.location }).end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as { port: number };
    hook = { server, url: `http://127.0.0.1:${port}/hook`, bodies, status: 200 };
  });
  beforeEach(() => {
    hook.bodies.length = 0;
    hook.status = 200;
    delete hook.location;
  });
  afterAll(async () => {
    await new Promise((done) => hook.server.close(done));
  });

  it('sends summary and overdue to SNS and the webhook, and logs and measures every target', async () => {
    // Prepare: one volume's newest snapshot is three days old on a daily schedule: overdue
    const [volume] = await seedWebFleet(t.moto.endpoint, A, 'us-east-1', 1);
    const ec2 = await ec2As(t.moto.endpoint, A, 'us-east-1');
    await snapshotVolume(ec2, volume!, {
      description: 'old',
      tags: { 'ebs-snapper:policy': 'web', 'ebs-snapper:run-id': `${THREE_DAYS_AGO}-aaaaaa` },
    });
    const notify = `  notify: {webhook_url: "${hook.url}", on: [failure, summary, overdue]}\n`;
    await pushTestConfig(
      t.moto.endpoint,
      deployed.current.region,
      deployed.current.table,
      webPolicy([A], ['us-east-1'], notify),
    );

    // Act
    const { lines } = await captureOutput(async () => {
      await fanOut(
        {},
        lambdaContext(() => 300_000),
      );
      await drainQueue(deployed.current, worker);
    });
    const notes = await readNotifications(deployed.current);

    // Assess: notifications
    const subjects = [`ebs-snapper: summary in ${A} us-east-1`, `ebs-snapper: overdue in ${A} us-east-1`];
    expect(notes.map((n) => n.subject).sort()).toEqual([...subjects].sort());
    expect(notes.find((n) => n.subject.includes('summary'))!.message).toMatchObject({
      account: A,
      region: 'us-east-1',
      counts: { created: 1, deleted: 0, failed: 0, deferred: 0 },
    });
    expect(hook.bodies.map((b) => String(b.text).split('\n')[0]).sort()).toEqual([...subjects].sort());
    // Assess: JSON logs name the run, account and region on the item's lines
    const done = lines.find((l) => l.message === 'target done');
    expect(done).toMatchObject({ account: A, region: 'us-east-1', outcome: 'ok' });
    expect(typeof done!.run_id).toBe('string');
    // Assess: EMF metrics, namespace ebs-snapper, dimensions Account and Region (and Policy)
    const emf = lines.filter((l) => '_aws' in l) as {
      _aws: {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
      };
    }[];
    const sets = emf.flatMap((l) => l._aws.CloudWatchMetrics);
    expect(sets.every((s) => s.Namespace === 'ebs-snapper')).toBe(true);
    const target = emf.find((l) => l._aws.CloudWatchMetrics[0]!.Dimensions[0]!.length === 2)!;
    expect(target._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Account', 'Region']]);
    expect(target._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name)).toEqual(
      expect.arrayContaining([
        'SnapshotsCreated',
        'SnapshotsDeleted',
        'ActionsFailed',
        'ActionsDeferred',
        'VolumesOverdue',
        'CollectMs',
        'PlanMs',
        'ApplyMs',
      ]),
    );
    expect(target).toMatchObject({ Account: A, Region: 'us-east-1', SnapshotsCreated: 1, VolumesOverdue: 1 });
    expect(emf.some((l) => l._aws.CloudWatchMetrics[0]!.Dimensions[0]!.includes('Policy'))).toBe(true);
  });

  it('EBS_SNAPPER_METRICS=deployment: every metric line without dimensions, the target still in its log line', async () => {
    // Prepare
    await seedWebFleet(t.moto.endpoint, A, 'us-east-1', 1);
    await pushTestConfig(
      t.moto.endpoint,
      deployed.current.region,
      deployed.current.table,
      webPolicy([A], ['us-east-1']),
    );
    process.env.EBS_SNAPPER_METRICS = 'deployment';

    // Act
    const { lines } = await captureOutput(async () => {
      try {
        await fanOut(
          {},
          lambdaContext(() => 300_000),
        );
        await drainQueue(deployed.current, worker);
      } finally {
        delete process.env.EBS_SNAPPER_METRICS;
      }
    });

    // Assess
    const emf = lines.filter((l) => '_aws' in l) as {
      _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] };
    }[];
    expect(emf).toHaveLength(1);
    expect(emf[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([[]]);
    expect(emf[0]).toMatchObject({ SnapshotsCreated: 1 });
    expect(emf[0]).not.toHaveProperty('Account');
    expect(lines.find((l) => l.message === 'target done')).toMatchObject({
      account: A,
      region: 'us-east-1',
      counts: { created: 1 },
    });
  });

  it('refuses an EBS_SNAPPER_METRICS that names no mode: the invocation fails, saying so', async () => {
    // Prepare
    process.env.EBS_SNAPPER_METRICS = 'per-account';
    const event = {
      Records: [{ messageId: 'm', body: '{}', attributes: { ApproximateReceiveCount: '1' } }],
    } as unknown as Parameters<typeof worker>[0];

    // Act
    const invoked = captureOutput(() =>
      worker(
        event,
        lambdaContext(() => 300_000),
      ),
    );

    // Assess
    try {
      await expect(invoked).rejects.toThrow('EBS_SNAPPER_METRICS is "per-account"');
    } finally {
      delete process.env.EBS_SNAPPER_METRICS;
    }
  });

  it("publishes to the config's topic from the topic's own region, another than the deployment's", async () => {
    // Prepare: the deployment is in us-east-1, the config's topic in eu-west-1
    await seedWebFleet(t.moto.endpoint, A, 'us-east-1', 1);
    const topic = await createTopicInbox(t.proxy.endpoint, 'eu-west-1');
    const notify = `  notify: {sns_topic_arn: "${topic.topicArn}", on: [summary]}\n`;
    await pushTestConfig(
      t.moto.endpoint,
      deployed.current.region,
      deployed.current.table,
      webPolicy([A], ['us-east-1'], notify),
    );

    // Act
    const { lines } = await captureOutput(async () => {
      await fanOut(
        {},
        lambdaContext(() => 300_000),
      );
      await drainQueue(deployed.current, worker);
    });
    const notes = await readNotifications(topic);

    // Assess
    expect(notes.map((n) => n.subject)).toEqual([`ebs-snapper: summary in ${A} us-east-1`]);
    expect(notes[0]!.message).toMatchObject({ account: A, counts: { created: 1 } });
    expect(lines.filter((l) => l.level === 'WARN')).toEqual([]);
  });

  it('logs a notifier that fails and still finishes the run', async () => {
    // Prepare
    await seedWebFleet(t.moto.endpoint, A, 'us-east-1', 1);
    hook.status = 500;
    const notify = `  notify: {webhook_url: "${hook.url}", on: [summary]}\n`;
    await pushTestConfig(
      t.moto.endpoint,
      deployed.current.region,
      deployed.current.table,
      webPolicy([A], ['us-east-1'], notify),
    );

    // Act
    const { value: responses, lines } = await captureOutput(async () => {
      await fanOut(
        {},
        lambdaContext(() => 300_000),
      );
      return drainQueue(deployed.current, worker);
    });

    // Assess
    expect(responses).toEqual([{ batchItemFailures: [] }]);
    expect(hook.bodies).toHaveLength(1);
    expect(
      lines.some(
        (l) => l.level === 'WARN' && String(l.message).includes('failed') && String(l.error).includes('500'),
      ),
    ).toBe(true);
    expect(lines.find((l) => l.message === 'target done')).toMatchObject({ outcome: 'ok' });
  });

  it('follows no redirect of the webhook: the notification fails, is logged, and nothing reaches the Location', async () => {
    // Prepare: the hook answers 302 to another server, which must hear nothing
    const elsewhere: string[] = [];
    const other = createServer((req, res) => {
      elsewhere.push(`${req.method} ${req.url}`);
      res.writeHead(200).end();
    });
    await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
    await seedWebFleet(t.moto.endpoint, A, 'us-east-1', 1);
    hook.status = 302;
    hook.location = `http://127.0.0.1:${(other.address() as { port: number }).port}/elsewhere`;
    const notify = `  notify: {webhook_url: "${hook.url}", on: [summary]}\n`;
    await pushTestConfig(
      t.moto.endpoint,
      deployed.current.region,
      deployed.current.table,
      webPolicy([A], ['us-east-1'], notify),
    );

    // Act
    const { value: responses, lines } = await captureOutput(async () => {
      await fanOut(
        {},
        lambdaContext(() => 300_000),
      );
      return drainQueue(deployed.current, worker);
    });
    other.closeAllConnections();
    await new Promise((done) => other.close(done));

    // Assess
    expect(responses).toEqual([{ batchItemFailures: [] }]);
    expect(hook.bodies).toHaveLength(1);
    expect(elsewhere).toEqual([]);
    expect(
      lines.some(
        (l) => l.level === 'WARN' && String(l.message).includes('failed') && String(l.error).includes('302'),
      ),
    ).toBe(true);
    expect(lines.find((l) => l.message === 'target done')).toMatchObject({ outcome: 'ok' });
  });
});

describe('the Lambda bundle', () => {
  it('loads in a fresh Node process with nothing beside it: the SDK and every dependency are inside', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'ebs-snapper-bundle-'));
    copyFileSync(resolve(import.meta.dirname, '../../dist/lambda/index.js'), join(dir, 'index.mjs'));

    // Act
    const output = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        'const m = await import("./index.mjs"); console.log(typeof m.fanOut, typeof m.worker);',
      ],
      { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } },
    );

    // Assess
    expect(output.trim()).toBe('function function');
  });
});
