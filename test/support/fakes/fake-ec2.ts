/**
 * An in-process EC2 (plus STS GetCallerIdentity and Auto Scaling DescribeAutoScalingGroups) for
 * fleet-scale tests and the benchmark: an SDK `requestHandler` that serves an `Inventory` as Query
 * API XML, so the SDK's real serializers, paginators and XML parser run without a network. Pages
 * are written when asked for, one at a time: a million snapshots never sit in memory as XML.
 */
import type { HttpRequest } from '@smithy/types';
import type { Inventory } from '../../../src/core/model.js';
import { FakeEc2Error } from './fake-ec2-filters.js';
import { type FakeReply, fakeEc2Handler } from './fake-ec2-handler.js';
import { createRegionState, LISTINGS, type RegionState, writeListingPage } from './fake-ec2-listings.js';
import { writeRegion } from './fake-ec2-xml.js';
import { answerQueryService } from './fake-query-services.js';

export { FakeEc2Error } from './fake-ec2-filters.js';

/** The fake, to pass as `requestHandler` to EC2Client, STSClient and AutoScalingClient. */
export interface FakeEc2 extends ReturnType<typeof fakeEc2Handler> {
  /** Requests per API action since creation or the last `resetCounts`. */
  counts(): Record<string, number>;
  resetCounts(): void;
}

export interface FakeEc2Options {
  /** What DescribeRegions lists. Default: the inventories' regions. */
  readonly regions?: readonly string[];
  /** Actions the fake refuses every time, e.g. `{ DescribeImages: { code: 'UnauthorizedOperation', status: 403 } }`. */
  readonly errorsFor?: Readonly<Record<string, { readonly code: string; readonly status: number }>>;
}
/**
 * Serves `inventories` (one account, one inventory per region; the region is read from the
 * request's signature). Supports MaxResults/NextToken, id lists, `Owner` self and the filters of
 * fake-ec2-filters.ts; DescribeLockedSnapshots lists the snapshots whose `locked` is set (true: a
 * lock in force, false: an expired one), DescribeSnapshotTierStatus the archived ones.
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

  function answer(action: string, params: URLSearchParams, request: HttpRequest): FakeReply {
    const refused = options.errorsFor?.[action];
    if (refused !== undefined) return { error: refused };
    const listing = LISTINGS[action];
    if (listing !== undefined)
      return { body: writeListingPage(action, listing, findRegion(request), params) };
    if (action === 'DescribeRegions') {
      const items = regionNames.map(writeRegion).join('');
      return { xml: items === '' ? '<regionInfo/>' : `<regionInfo>${items}</regionInfo>` };
    }
    const query = answerQueryService(action, params, findRegion(request).inventory);
    if (query !== undefined) return { body: query };
    throw new FakeEc2Error('InvalidAction', `The fake EC2 does not serve ${action}.`);
  }

  const handler = fakeEc2Handler((action, params, request) => {
    try {
      return answer(action, params, request);
    } catch (error) {
      if (!(error instanceof FakeEc2Error)) throw error;
      return { error: { code: error.code, message: error.message, status: 400 } };
    }
  });
  return Object.assign(handler, {
    counts: () => {
      const counts: Record<string, number> = {};
      for (const { action } of handler.calls) counts[action] = (counts[action] ?? 0) + 1;
      return counts;
    },
    resetCounts: () => {
      handler.calls.length = 0;
    },
  });
}

/** The region of the request's SigV4 credential scope, else of an `ec2.<region>.amazonaws.com` host. */
function readRegion(request: HttpRequest): string {
  const authorization = request.headers.authorization ?? request.headers.Authorization ?? '';
  const scoped = /Credential=[^/]+\/[^/]+\/([^/]+)\//.exec(authorization)?.[1];
  return scoped ?? /^[a-z]+\.([a-z0-9-]+)\.amazonaws/.exec(request.hostname)?.[1] ?? 'us-east-1';
}
