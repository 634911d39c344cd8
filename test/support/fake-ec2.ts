/**
 * An in-process EC2 (plus STS GetCallerIdentity and Auto Scaling DescribeAutoScalingGroups) for
 * fleet-scale tests and the benchmark: an SDK `requestHandler` that serves an `Inventory` as Query
 * API XML, so the SDK's real serializers, paginators and XML parser run without a network. Pages
 * are written when asked for, one at a time: a million snapshots never sit in memory as XML.
 */
import { HttpResponse } from '@smithy/protocol-http';
import type { HttpRequest } from '@smithy/types';
import type { Inventory } from '../../src/core/model.js';
import { FakeEc2Error } from './fake-ec2-filters.js';
import { createRegionState, LISTINGS, type RegionState, writeListingPage } from './fake-ec2-listings.js';
import { EC2_NAMESPACE, writeRegion } from './fake-ec2-xml.js';
import { answerQueryService } from './fake-query-services.js';

export { FakeEc2Error } from './fake-ec2-filters.js';

/** The fake, to pass as `requestHandler` to EC2Client, STSClient and AutoScalingClient. */
export interface FakeEc2 {
  readonly metadata: { readonly handlerProtocol: string };
  handle(request: HttpRequest): Promise<{ response: HttpResponse }>;
  /** Requests per API action since creation or the last `resetCounts`. */
  counts(): Record<string, number>;
  resetCounts(): void;
  updateHttpClientConfig(): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
}

export interface FakeEc2Options {
  /** What DescribeRegions lists. Default: the inventories' regions. */
  readonly regions?: readonly string[];
}
/**
 * Serves `inventories` (one account, one inventory per region; the region is read from the
 * request's signature). Supports MaxResults/NextToken, id lists, `Owner` self and the filters of
 * fake-ec2-filters.ts.
 *
 * @example
 * const fake = createFakeEc2([inventory]);
 * const ec2 = new EC2Client({ region: inventory.region, credentials, requestHandler: fake });
 * for await (const page of paginateDescribeSnapshots({ client: ec2, pageSize: 1000 }, {})) { ... }
 */
export function createFakeEc2(inventories: readonly Inventory[], options: FakeEc2Options = {}): FakeEc2 {
  const regions = new Map<string, RegionState>();
  for (const inventory of inventories) regions.set(inventory.region, createRegionState(inventory));
  const account = inventories[0]?.account ?? '123456789012';
  const regionNames = options.regions ?? [...regions.keys()];
  let counts: Record<string, number> = {};

  function findRegion(request: HttpRequest): RegionState {
    const name = readRegion(request);
    let region = regions.get(name);
    if (region === undefined) {
      const empty = { account, region: name, instances: [], volumes: [], snapshots: [], images: [] };
      region = createRegionState(empty);
      regions.set(name, region);
    }
    return region;
  }

  function answer(action: string, params: URLSearchParams, request: HttpRequest): string | Buffer {
    const listing = LISTINGS[action];
    if (listing !== undefined) return writeListingPage(action, listing, findRegion(request), params);
    if (action === 'DescribeRegions') {
      const items = regionNames.map(writeRegion).join('');
      return wrapEc2(action, items === '' ? '<regionInfo/>' : `<regionInfo>${items}</regionInfo>`);
    }
    const query = answerQueryService(action, params, findRegion(request).inventory);
    if (query !== undefined) return query;
    throw new FakeEc2Error('InvalidAction', `The fake EC2 does not serve ${action}.`);
  }

  return {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request) {
      const params = new URLSearchParams(readBody(request));
      const action = params.get('Action') ?? '';
      counts[action] = (counts[action] ?? 0) + 1;
      try {
        return { response: xmlResponse(200, answer(action, params, request)) };
      } catch (error) {
        if (!(error instanceof FakeEc2Error)) throw error;
        const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${error.code}</Code><Message>${error.message}</Message></Error></Errors><RequestID>fake</RequestID></Response>`;
        return { response: xmlResponse(400, body) };
      }
    },
    counts: () => ({ ...counts }),
    resetCounts: () => {
      counts = {};
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
    destroy: () => {},
  };
}

/** The region of the request's SigV4 credential scope, else of an `ec2.<region>.amazonaws.com` host. */
function readRegion(request: HttpRequest): string {
  const authorization = request.headers.authorization ?? request.headers.Authorization ?? '';
  const scoped = /Credential=[^/]+\/[^/]+\/([^/]+)\//.exec(authorization)?.[1];
  return scoped ?? /^[a-z]+\.([a-z0-9-]+)\.amazonaws/.exec(request.hostname)?.[1] ?? 'us-east-1';
}

function readBody(request: HttpRequest): string {
  const body: unknown = request.body;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return '';
}

function wrapEc2(action: string, content: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE}"><requestId>fake</requestId>${content}</${action}Response>`;
}

function xmlResponse(statusCode: number, body: string | Buffer): HttpResponse {
  return new HttpResponse({
    statusCode,
    headers: { 'content-type': 'text/xml;charset=UTF-8' },
    body: typeof body === 'string' ? Buffer.from(body) : body,
  });
}
