import type { Filter } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AwsCallError } from './errors.js';
import { listSplit, type SplitListing } from './split-listing.js';

interface Page {
  readonly Items: readonly string[];
  readonly NextToken?: string;
}

/** How the fake service reads an id filter value. */
type IdMatch = (id: string, value: string) => boolean;
const wildcard: IdMatch = (id, value) =>
  value.endsWith('*') ? id.startsWith(value.slice(0, -1)) : id === value;

/** A paged listing of `ids` in pages of `size`, honouring id filters as `match` says; records every request. */
function service(ids: () => readonly string[], size: number, match: IdMatch = wildcard) {
  const requests: (readonly Filter[])[] = [];
  const listing: SplitListing<Page, string> = {
    operation: 'DescribeThings',
    idFilter: 'thing-id',
    idPrefix: 'thing-',
    pages: (extra) => ({
      async *[Symbol.asyncIterator]() {
        const selected = ids().filter((id) =>
          extra.every((f) => (f.Values ?? []).some((value) => match(id, value))),
        );
        for (let at = 0; ; at += size) {
          requests.push(extra);
          await new Promise((resolve) => setImmediate(resolve));
          const next = at + size < selected.length ? String(at + size) : undefined;
          yield { Items: selected.slice(at, at + size), ...(next && { NextToken: next }) };
          if (next === undefined) return;
        }
      },
    }),
    itemsOf: (page) => page.Items,
    idOf: (id) => id,
  };
  return { listing, requests };
}

const hexIds = (count: number): string[] =>
  Array.from(
    { length: count },
    (_, n) => `thing-${((n * 2654435761) >>> 0).toString(16).padStart(8, '0')}${n}`,
  );

function collect() {
  const items: string[] = [];
  return {
    items,
    sink: { add: (page: readonly string[]) => items.push(...page), clear: () => (items.length = 0) },
  };
}

describe('listSplit', () => {
  it('takes one call when the first page holds everything', async () => {
    // Prepare
    const { listing, requests } = service(() => hexIds(40), 100);
    const { items, sink } = collect();

    // Act
    const outcome = await listSplit(listing, sink);

    // Assess
    expect(outcome).toBe('single');
    expect(requests).toEqual([[]]);
    expect(items).toHaveLength(40);
  });

  it('lists a bigger listing as 16 chains by the first hex digit of the id, each item once', async () => {
    // Prepare
    const ids = hexIds(2_000);
    const { listing, requests } = service(() => ids, 100);
    const { items, sink } = collect();

    // Act
    const outcome = await listSplit(listing, sink);

    // Assess
    expect(outcome).toBe('split');
    expect([...items].sort()).toEqual([...ids].sort());
    const chains = new Set(requests.slice(1).map((filters) => filters[0]?.Values?.[0]));
    expect([...chains].sort()).toEqual([...'0123456789abcdef'].map((d) => `thing-${d}*`));
    const perChain = (d: string) => ids.filter((id) => id.startsWith(`thing-${d}`)).length;
    const expected =
      1 + [...'0123456789abcdef'].reduce((sum, d) => sum + Math.max(1, Math.ceil(perChain(d) / 100)), 0);
    expect(requests).toHaveLength(expected);
  });

  it('lists again whole when the service ignores the id filter (items outside their chain)', async () => {
    // Prepare
    const ids = hexIds(300);
    const { listing } = service(
      () => ids,
      100,
      () => true,
    );
    const { items, sink } = collect();

    // Act
    const outcome = await listSplit(listing, sink);

    // Assess
    expect(outcome).toBe('whole');
    expect([...items].sort()).toEqual([...ids].sort());
  });

  it('lists again whole when the chains miss items the first page showed (no wildcards)', async () => {
    // Prepare
    const ids = hexIds(300);
    const { listing } = service(
      () => ids,
      100,
      (id, value) => id === value,
    );
    const { items, sink } = collect();

    // Act
    const outcome = await listSplit(listing, sink);

    // Assess
    expect(outcome).toBe('whole');
    expect([...items].sort()).toEqual([...ids].sort());
  });

  it('does not start over for an item deleted between the first page and the chains', async () => {
    // Prepare
    let ids = hexIds(300);
    const { listing, requests } = service(() => ids, 100);
    const { items, sink } = collect();
    const pages = listing.pages;
    let calls = 0;
    const deleting: SplitListing<Page, string> = {
      ...listing,
      pages: (extra) => {
        // After the first page, the first item it showed is deleted by someone else.
        if (calls++ === 1) ids = ids.slice(1);
        return pages(extra);
      },
    };

    // Act
    const outcome = await listSplit(deleting, sink);

    // Assess
    expect(outcome).toBe('split');
    expect([...items].sort()).toEqual([...ids].sort());
    expect(requests.at(-1)?.[0]?.Values).toContain(hexIds(1)[0]);
  });

  it('fails naming the operation, and stops the other chains', async () => {
    // Prepare
    const { listing, requests } = service(() => hexIds(5_000), 10);
    const pages = listing.pages;
    const failing: SplitListing<Page, string> = {
      ...listing,
      pages: (extra) => {
        if (extra[0]?.Values?.[0] !== 'thing-3*') return pages(extra);
        return {
          // biome-ignore lint/correctness/useYield: a page that fails before it yields anything
          async *[Symbol.asyncIterator]() {
            throw Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' });
          },
        };
      },
    };

    // Act
    const failure = await listSplit(failing, collect().sink).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AwsCallError);
    expect(failure).toMatchObject({ operation: 'DescribeThings', code: 'UnauthorizedOperation' });
    expect(requests.length).toBeLessThan(100);
  });
});
