import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { PortError } from '../app/kit/ports.js';
import type { Notification } from '../app/serverless/ports.js';
import { createWebhookNotifier } from './webhook.js';

/** A local HTTP server that records every request and answers each with `answer`. */
async function localServer(answer: { status: number; headers?: Record<string, string> }) {
  const seen: { method: string; url: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.writeHead(answer.status, answer.headers ?? {}).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  servers.push(server);
  return { url: `http://127.0.0.1:${port}`, seen };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

const notification: Notification = {
  event: 'failure',
  subject: 'ebs-snapper: failure in 111111111111 eu-west-1',
  text: 'create web vol-1: InternalError',
  details: { run_id: 'r' },
};

describe('the webhook notifier', () => {
  it('POSTs the notification as Slack-compatible JSON', async () => {
    // Prepare
    const hook = await localServer({ status: 200 });

    // Act
    await createWebhookNotifier(`${hook.url}/hook`).send(notification);

    // Assess
    expect(hook.seen).toHaveLength(1);
    expect(hook.seen[0]).toMatchObject({ method: 'POST', url: '/hook' });
    expect(JSON.parse(hook.seen[0]!.body)).toMatchObject({
      text: `${notification.subject}\n${notification.text}`,
      event: 'failure',
      run_id: 'r',
    });
  });

  it.each([301, 302, 303, 307, 308])(
    'follows no redirect: a %i is a failed notification, and nothing reaches the Location',
    async (status) => {
      // Prepare
      const elsewhere = await localServer({ status: 200 });
      const hook = await localServer({ status, headers: { location: `${elsewhere.url}/stolen` } });

      // Act
      const sent = createWebhookNotifier(`${hook.url}/hook`).send(notification);

      // Assess
      const error = await sent.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PortError);
      expect(error).toMatchObject({ code: `HTTP${status}`, transient: false });
      expect((error as Error).message).toContain('redirect');
      expect(hook.seen).toHaveLength(1);
      expect(elsewhere.seen).toEqual([]);
    },
  );

  it('is a failed notification when the hook answers 500', async () => {
    // Prepare
    const hook = await localServer({ status: 500 });

    // Act
    const error = await createWebhookNotifier(hook.url)
      .send(notification)
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    // Assess
    expect(error).toMatchObject({ code: 'HTTP500', transient: true });
  });
});
