/**
 * One Describe* listing as independent paginations run side by side (SPEC §8): a pagination is a
 * chain (each page needs the previous page's NextToken), so one chain gets at most one page per
 * round trip, while the Describe bucket allows 20 a second. Cut into 16 chains, a listing keeps
 * the bucket busy even when AWS takes most of a second per page.
 *
 * The cut is by the first hex digit of the resource id (`snap-0*` … `snap-f*`, an id filter with
 * a wildcard), so the chains are complete (every id is the prefix and a hex digit) and disjoint
 * (no id starts with two digits). Both are also checked while listing, because a wrong cut would
 * be silent: every item must carry its chain's prefix, and every item of the first page (listed
 * whole before cutting) must turn up again, or still be gone when asked for by id. When a check
 * fails the listing is done again whole, one page after another.
 */
import type { Filter } from '@aws-sdk/client-ec2';
import { toAwsCallError } from './errors.js';

/** How a listing is paged and cut. */
export interface SplitListing<Page extends { NextToken?: string | undefined }, Item> {
  /** The API action, named in errors: `DescribeSnapshots`. */
  readonly operation: string;
  /** The filter that matches ids (`snapshot-id`) and the fixed start of every id (`snap-`). */
  readonly idFilter: string;
  readonly idPrefix: string;
  /** A paginator over the listing narrowed by `extra` filters (none: the whole listing). */
  readonly pages: (extra: readonly Filter[]) => AsyncIterable<Page>;
  readonly itemsOf: (page: Page) => readonly Item[];
  readonly idOf: (item: Item) => string | undefined;
}

/** Where items go, page by page, as they arrive; `clear` forgets them all when the cut failed its checks. */
export interface PageSink<Item> {
  add(items: readonly Item[]): void;
  clear(): void;
}

/** `single`: one page held everything; `split`: 16 chains; `whole`: the cut failed its checks, listed again whole. */
export type SplitOutcome = 'single' | 'split' | 'whole';

const HEX_DIGITS = '0123456789abcdef';
/** EC2 takes at most 200 filter values in one call. */
const MAX_FILTER_VALUES = 200;

/**
 * Lists everything `listing` holds into `sink`: the first page whole; when there is more, 16
 * chains side by side. Throws an `AwsCallError` naming the operation when a page fails. Once
 * `signal` is aborted (another listing of the collection failed), no further page is asked for.
 *
 * @example
 * const outcome = await listSplit(snapshotListing, { add: (items) => out.push(...items), clear: () => (out.length = 0) });
 */
export async function listSplit<Page extends { NextToken?: string | undefined }, Item>(
  listing: SplitListing<Page, Item>,
  sink: PageSink<Item>,
  signal?: AbortSignal,
): Promise<SplitOutcome> {
  const stopped = () => signal?.aborted === true;
  try {
    const first = await firstPage(listing.pages([]));
    if (first === undefined) return 'single';
    if (!first.NextToken) {
      sink.add(listing.itemsOf(first));
      return 'single';
    }
    if (stopped()) return 'split';
    const sample = new Set(idsOf(listing, listing.itemsOf(first)));
    const strays = await listChains(listing, sink, sample, signal);
    if (stopped()) return 'split';
    if (strays === 0 && (sample.size === 0 || !(await anyListed(listing, [...sample])))) return 'split';
    sink.clear();
    for await (const page of listing.pages([])) {
      sink.add(listing.itemsOf(page));
      if (stopped()) break;
    }
    return 'whole';
  } catch (error) {
    throw toAwsCallError(listing.operation, error);
  }
}

async function firstPage<Page>(pages: AsyncIterable<Page>): Promise<Page | undefined> {
  // Leaving the loop ends the paginator: the rest is listed by the chains.
  for await (const page of pages) return page;
  return undefined;
}

/**
 * The 16 chains, side by side. Crosses each item off `sample`; returns how many items did not
 * carry their chain's prefix. The first failure (or `signal`) stops the other chains after their
 * current page.
 */
async function listChains<Page extends { NextToken?: string | undefined }, Item>(
  listing: SplitListing<Page, Item>,
  sink: PageSink<Item>,
  sample: Set<string>,
  signal: AbortSignal | undefined,
): Promise<number> {
  let strays = 0;
  let failed = false;
  const chain = async (prefix: string) => {
    const filter = { Name: listing.idFilter, Values: [`${prefix}*`] };
    for await (const page of listing.pages([filter])) {
      const items = listing.itemsOf(page);
      for (const id of idsOf(listing, items)) {
        if (id.startsWith(prefix)) sample.delete(id);
        else strays++;
      }
      sink.add(items);
      if (failed || signal?.aborted === true) return;
    }
  };
  const outcomes = await Promise.allSettled(
    [...HEX_DIGITS].map((digit) =>
      chain(listing.idPrefix + digit).catch((error: unknown) => {
        failed = true;
        throw error;
      }),
    ),
  );
  for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
  return strays;
}

/** True when any of `ids` is still listed: the chains missed it (it was not deleted meanwhile). */
async function anyListed<Page extends { NextToken?: string | undefined }, Item>(
  listing: SplitListing<Page, Item>,
  ids: readonly string[],
): Promise<boolean> {
  for (let i = 0; i < ids.length; i += MAX_FILTER_VALUES) {
    const filter = { Name: listing.idFilter, Values: ids.slice(i, i + MAX_FILTER_VALUES) };
    for await (const page of listing.pages([filter])) {
      if (listing.itemsOf(page).length > 0) return true;
    }
  }
  return false;
}

function idsOf<Page extends { NextToken?: string | undefined }, Item>(
  listing: SplitListing<Page, Item>,
  items: readonly Item[],
): string[] {
  const ids: string[] = [];
  for (const item of items) {
    const id = listing.idOf(item);
    if (id !== undefined) ids.push(id);
  }
  return ids;
}
