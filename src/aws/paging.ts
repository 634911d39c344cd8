/**
 * Drains an SDK paginator into mapped items, reporting after each page.
 */
import { toAwsCallError } from './errors.js';

/**
 * Reads every page of `pages`, keeps what `map` returns for each item, and calls `onPage` with the
 * running count after each page. A failure becomes an `AwsCallError` naming `operation`. Once
 * `signal` is aborted, no further page is asked for.
 *
 * @example
 * const volumes = await collectPages('DescribeVolumes', paginateDescribeVolumes({ client }, { MaxResults: 500 }),
 *   (page) => page.Volumes ?? [], mapVolume, (n) => console.error(n));
 */
export async function collectPages<Page, Item, Mapped>(
  operation: string,
  pages: AsyncIterable<Page>,
  itemsOf: (page: Page) => readonly Item[],
  map: (item: Item) => Mapped | undefined,
  onPage: (count: number) => void = () => {},
  signal?: AbortSignal,
): Promise<Mapped[]> {
  const out: Mapped[] = [];
  try {
    for await (const page of pages) {
      for (const item of itemsOf(page)) {
        const mapped = map(item);
        if (mapped !== undefined) out.push(mapped);
      }
      onPage(out.length);
      if (signal?.aborted === true) break;
    }
  } catch (error) {
    throw toAwsCallError(operation, error);
  }
  return out;
}
