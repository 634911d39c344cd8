import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ec2Response } from '../fakes/fake-ec2-xml.js';
import { createAnswerRewriter } from './answer-rewrite.js';
import { InvalidPaginationTokenError, pageResponse, readPageRequest } from './describe-paging.js';
import { faultAnswer } from './error-answers.js';
import { createFaultInjector, type EmulatedRequest, type FaultConfig, type InjectedFault } from './faults.js';
import { createListingLag, type ListingLag } from './listing-lag.js';
import { answerLockedSnapshots } from './locked-snapshots.js';
import { iamActionOf, restActionOf } from './rest-actions.js';

export type {
  EmulatedAnswer,
  EmulatedRequest,
  Emulation,
  FaultConfig,
  ForcedError,
  TokenBucketConfig,
} from './faults.js';
export type { LockedSnapshotConfig } from './locked-snapshots.js';

/** A counting, fault-injecting HTTP proxy in front of moto. */
export interface FaultProxy {
  /** e.g. `http://127.0.0.1:40611`: give it to SDK clients instead of moto's endpoint. */
  readonly endpoint: string;
  /** Requests per API action (the form's `Action`, the JSON target, a REST route), faulted ones included. */
  counts(): Record<string, number>;
  /** Requests per action that the proxy answered with an injected fault. */
  faultCounts(): Record<string, number>;
  /** Every IAM action asked for since the last reset, as `service:Action` (`ec2:CreateSnapshot`). */
  iamActions(): string[];
  resetCounts(): void;
  /**
   * Requests received and not yet done with (delayed, forwarded, answered): a request whose client
   * died still reaches moto after its delay, as a request EC2 received still runs.
   */
  inFlight(): number;
  /** Replaces the fault configuration; buckets start full again and the random faults restart. */
  configure(faults: FaultConfig): void;
  /** Closes the server and every open socket, both sides. */
  stop(): Promise<void>;
}

export interface StartFaultProxyOptions {
  /** moto's endpoint, e.g. `http://127.0.0.1:41237`. */
  readonly target: string;
  readonly faults?: FaultConfig;
}

interface Forwarded {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
  /** The upstream's Content-Length, kept for HEAD answers (which have no body to measure). */
  readonly upstreamLength?: string;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/**
 * Starts the proxy on a free loopback port. Besides faults, it pages DescribeSnapshots,
 * DescribeVolumes, DescribeInstances and DescribeImages by MaxResults (moto answers them in one page),
 * and answers DescribeLockedSnapshots itself from `lockedSnapshots` (moto does not implement it).
 *
 * @example
 * const proxy = await startFaultProxy({ target: moto.endpoint, faults: { throttleRate: 0.3 } });
 * const ec2 = new EC2Client(motoClientConfig(proxy.endpoint, 'us-east-1'));
 * proxy.counts(); // { DescribeVolumes: 2, CreateSnapshot: 14 }
 */
export async function startFaultProxy(options: StartFaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true });
  let counts: Record<string, number> = {};
  const seen = new Set<string>();
  let faultCounts: Record<string, number> = {};
  let config: FaultConfig = {};
  let injector = createFaultInjector(config);

  let lag: ListingLag | undefined;
  let hungAfter = false;
  let stoppedAt = Number.NEGATIVE_INFINITY;
  let rewriter = createAnswerRewriter();
  const configure = (faults: FaultConfig) => {
    config = faults;
    hungAfter = false;
    injector = createFaultInjector(faults);
    rewriter = createAnswerRewriter(faults.rewrite);
    lag = faults.listingLagMs === undefined ? undefined : createListingLag(faults.listingLagMs);
  };
  configure(options.faults ?? {});

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const params = readParams(req, body);
    // Query protocols (EC2, STS, SNS, CloudFormation) name the action in the form; JSON ones
    // (DynamoDB, SQS) in the X-Amz-Target header (`DynamoDB_20120810.PutItem`).
    // REST services (S3, Lambda, Scheduler) name it by method and path.
    const target = req.headers['x-amz-target'];
    const action =
      params.get('Action') ??
      (typeof target === 'string' ? (target.split('.').pop() ?? null) : null) ??
      restActionOf(readService(req), req.method ?? 'GET', req.url ?? '/', req.headers);
    if (action !== null) counts[action] = (counts[action] ?? 0) + 1;
    if (action !== null) seen.add(iamActionOf(IAM_PREFIX[readService(req)] ?? readService(req), action));
    if (action !== null) rewriter.intercept(res, action, params);
    if (action !== null && config.hangFor?.includes(action)) return; // never answered; closed by stop()
    if (hungAfter) return;
    const delay = (config.delayMs ?? 0) + (action === null ? 0 : (config.delayFor?.[action] ?? 0));
    if (delay > 0) await sleep(delay);
    const fault = action === null ? undefined : injector.decide(action, params);
    if (fault !== undefined && action !== null) {
      faultCounts[action] = (faultCounts[action] ?? 0) + 1;
      if (fault.lost === true) {
        noteCreated(action, await forward(req, body));
        req.socket.destroy();
        return;
      }
      if (fault.afterForward === true) noteCreated(action, await forward(req, body));
      return sendFault(res, req, fault);
    }
    const service = readService(req);
    const json = typeof req.headers['x-amz-target'] === 'string' ? { json: parseJson(body) } : {};
    const request: EmulatedRequest | undefined =
      action === null
        ? undefined
        : {
            service,
            action,
            url: req.url ?? '/',
            path: req.url ?? '/',
            params,
            body,
            ...json,
            headers: req.headers,
            forward: (other) => forward(req, other ?? body),
          };
    for (const emulation of request === undefined ? [] : (config.emulations ?? [])) {
      if (!emulation.answers(service, request!.action)) continue;
      const answered = await emulation.answer(request!);
      if (answered === undefined) continue;
      // A test may hang the client right after an emulated step too (an SSM command sent, say).
      if (action === config.hangAfter) hungAfter = true;
      return send(res, answered);
    }
    const rewritten = async (answer: Forwarded): Promise<Forwarded> => {
      let current = answer;
      for (const emulation of request === undefined ? [] : (config.emulations ?? []))
        current = (await emulation.rewrite?.(request!, current)) ?? current;
      return current;
    };
    if (service === 'rbin' && action === 'ListRules') {
      // moto has no Recycle Bin: no emulation configured means a region without rules, and an empty bin.
      return send(res, {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"Rules":[]}'),
      });
    }
    if (action === 'ListSnapshotsInRecycleBin') {
      const empty = ec2Response('ListSnapshotsInRecycleBin', '<snapshotSet/>');
      return send(res, {
        status: 200,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: Buffer.from(empty),
      });
    }
    if (action === 'DescribeLockedSnapshots') {
      const body = answerLockedSnapshots(params, config.lockedSnapshots ?? []);
      return send(res, {
        status: 200,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: Buffer.from(body),
      });
    }
    const page = readPageRequest(params, config.pageSize);
    if (page === undefined) {
      const answer = await rewritten(lagged(action, await forward(req, body)));
      if (action !== null && action === config.hangAfter) hungAfter = true;
      return send(res, answer);
    }
    const moto = lagged(action, await forward(req, Buffer.from(page.unpaged.toString()), true));
    if (moto.status !== 200) return send(res, moto);
    send(
      res,
      await rewritten({ ...moto, body: Buffer.from(pageResponse(moto.body.toString('utf8'), page)) }),
    );
  }

  function noteCreated(action: string | null, answer: Forwarded): Forwarded {
    if (
      lag !== undefined &&
      answer.status === 200 &&
      (action === 'CreateSnapshot' || action === 'CreateSnapshots')
    ) {
      lag.noteCreated(answer.body.toString('utf8'));
    }
    return answer;
  }

  /** Plays EC2's listing lag on a forwarded answer (see `listingLagMs`), and a slow stop (`stoppingForMs`). */
  function lagged(action: string | null, answer: Forwarded): Forwarded {
    noteCreated(action, answer);
    if (action === 'StopInstances') stoppedAt = performance.now();
    const stuck = config.stoppingForMs !== undefined && performance.now() - stoppedAt < config.stoppingForMs;
    if (stuck && action === 'DescribeInstances') {
      const text = answer.body
        .toString('utf8')
        .replace(/<code>80<\/code>(\s*)<name>stopped<\/name>/g, '<code>64</code>$1<name>stopping</name>');
      return { ...answer, body: Buffer.from(text) };
    }
    if (lag === undefined || action !== 'DescribeSnapshots' || answer.status !== 200) return answer;
    return { ...answer, body: Buffer.from(lag.hideRecent(answer.body.toString('utf8'))) };
  }

  /** Forward as received, or (`asForm`) as a form POST to `/` with a rewritten Query body. */
  function forward(req: IncomingMessage, body: Buffer, asForm = false): Promise<Forwarded> {
    const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
    if (asForm) headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    const path = asForm ? '/' : (req.url ?? '/');
    return new Promise((resolve, reject) => {
      const upstream = request(new URL(path, target), {
        method: asForm ? 'POST' : req.method,
        headers,
        agent,
      });
      upstream.on('response', (res) => {
        readBody(res).then(
          (data) =>
            resolve({
              status: res.statusCode ?? 502,
              headers: copyHeaders(res),
              body: data,
              ...(res.headers['content-length'] === undefined
                ? {}
                : { upstreamLength: res.headers['content-length'] }),
            }),
          reject,
        );
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight += 1;
    handle(req, res)
      .finally(() => {
        inFlight -= 1;
      })
      .catch((error: unknown) => {
        if (error instanceof InvalidPaginationTokenError) {
          const fault = {
            code: 'InvalidPaginationToken',
            status: 400,
            message: error.message,
            throttle: false,
          };
          return sendFault(res, req, fault);
        }
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`fault proxy: ${(error as Error).message}`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    inFlight: () => inFlight,
    faultCounts: () => ({ ...faultCounts }),
    iamActions: () => [...seen].sort(),
    resetCounts: () => {
      seen.clear();
      counts = {};
      faultCounts = {};
    },
    configure,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}

/** Form parameters of an AWS Query request: the POST body, or the query string of a GET. */
function readParams(req: IncomingMessage, body: Buffer): URLSearchParams {
  const query = new URL(req.url ?? '/', 'http://proxy').searchParams;
  const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  if (!isForm || body.length === 0) return query;
  const params = new URLSearchParams(body.toString('utf8'));
  for (const [key, value] of query) if (!params.has(key)) params.set(key, value);
  return params;
}

/** IAM's prefix of a signing service where they differ. */
const IAM_PREFIX: Readonly<Record<string, string>> = { monitoring: 'cloudwatch', email: 'ses' };

/** The signing service in the Authorization header (`.../us-east-1/ec2/aws4_request`). */
function readService(req: IncomingMessage): string {
  return /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 'ec2';
}

function sendFault(res: ServerResponse, req: IncomingMessage, fault: InjectedFault): void {
  send(res, faultAnswer(req, fault, readService(req)));
}

function send(res: ServerResponse, answer: Forwarded): void {
  // A HEAD answer has no body but tells the size of what a GET would return (S3's HeadObject).
  const upstreamLength = res.req?.method === 'HEAD' ? answer.upstreamLength : undefined;
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-length': upstreamLength ?? String(answer.body.length),
  });
  res.end(answer.body);
}

function copyHeaders(res: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  }
  return headers;
}

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    return JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
