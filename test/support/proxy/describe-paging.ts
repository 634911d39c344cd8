import { createHash } from 'node:crypto';
import { joinListItems, splitListItems } from './xml-items.js';

/**
 * MaxResults/NextToken paging for the Describe* calls moto answers in one page. The proxy asks
 * moto for the whole list and cuts the page out of it; NextToken encodes the offset and a hash of
 * the request, so a token replayed with other filters is refused as AWS refuses it.
 */

/** The list element of each paged action's response. */
export const PAGED_LISTS: Readonly<Record<string, string>> = {
  DescribeSnapshots: 'snapshotSet',
  DescribeVolumes: 'volumeSet',
  DescribeInstances: 'reservationSet',
  DescribeImages: 'imagesSet',
};

/** Which page a request asks for. */
export interface PageRequest {
  readonly listName: string;
  readonly offset: number;
  readonly limit: number;
  /** Hash of the request without its paging parameters. */
  readonly requestHash: string;
  /** The request to send to moto: the same without MaxResults and NextToken. */
  readonly unpaged: URLSearchParams;
}

/** A NextToken that was not made for this request. */
export class InvalidPaginationTokenError extends Error {
  override readonly name = 'InvalidPaginationTokenError';
}

/**
 * The page a request asks for, or undefined when it is not paged: not a paged action, or neither
 * MaxResults nor a configured page size applies.
 *
 * @example readPageRequest(params, { DescribeSnapshots: 1000 })
 */
export function readPageRequest(
  params: URLSearchParams,
  pageSizes: Readonly<Record<string, number>> = {},
): PageRequest | undefined {
  const action = params.get('Action') ?? '';
  const listName = PAGED_LISTS[action];
  if (listName === undefined) return undefined;
  const asked = params.has('MaxResults') ? Number(params.get('MaxResults')) : Number.POSITIVE_INFINITY;
  const limit = Math.min(asked, pageSizes[action] ?? Number.POSITIVE_INFINITY);
  if (!Number.isFinite(limit) || limit < 1) return undefined;
  const unpaged = new URLSearchParams(params);
  unpaged.delete('MaxResults');
  unpaged.delete('NextToken');
  const requestHash = hashParams(unpaged);
  // moto pages DescribeInstances by reservation, 100 by default: ask it for everything at once.
  if (action === 'DescribeInstances') unpaged.set('MaxResults', '1000000');
  const token = params.get('NextToken');
  const offset = token === null || token === '' ? 0 : readToken(token, requestHash);
  return { listName, offset, limit, requestHash, unpaged };
}

/**
 * Cuts one page out of moto's complete answer; the answer is returned unchanged when it holds no
 * list (an error, say).
 */
export function pageResponse(xml: string, page: PageRequest): string {
  const split = splitListItems(xml, page.listName);
  if (split === undefined) return xml;
  const end = page.offset + page.limit;
  const token = end < split.items.length ? makeToken(end, page.requestHash) : undefined;
  return joinListItems(split, split.items.slice(page.offset, end), token);
}

function hashParams(params: URLSearchParams): string {
  const sorted = [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

function makeToken(offset: number, requestHash: string): string {
  return Buffer.from(`${offset}:${requestHash}`).toString('base64url');
}

function readToken(token: string, requestHash: string): number {
  const [offset, hash] = Buffer.from(token, 'base64url').toString('utf8').split(':');
  const value = Number(offset);
  if (hash !== requestHash || !Number.isInteger(value) || value < 0) {
    throw new InvalidPaginationTokenError(`The pagination token ${token} is invalid for this request.`);
  }
  return value;
}
