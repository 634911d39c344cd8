import { request } from 'node:http';
import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago: listen on port 0, read the port, close.
 * Another process may take it before the caller binds it; callers that can retry should.
 *
 * @example const port = await findFreePort(); // e.g. 41237
 */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error('findFreePort: the server has no TCP address');
  }
  return address.port;
}

/** Status and body of one plain HTTP exchange. */
export interface TextResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * One HTTP request without a keep-alive agent, so no idle socket outlives it (and none keeps a
 * test process alive).
 *
 * @example const { status } = await requestText('GET', 'http://127.0.0.1:5000/moto-api/');
 */
export function requestText(method: string, url: string, body = ''): Promise<TextResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, agent: false, headers: { 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
