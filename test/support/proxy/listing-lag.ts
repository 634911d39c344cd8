/**
 * EC2's listings lag its creates: a snapshot made a moment ago may not be in DescribeSnapshots
 * yet. The fault proxy plays that: it notes the snapshots each create answered with, and leaves
 * them out of DescribeSnapshots answers until `lagMs` has passed.
 */
import { joinListItems, splitListItems } from './xml-items.js';

export interface ListingLag {
  /** Note the snapshots a forwarded CreateSnapshot(s) answer made. */
  noteCreated(responseXml: string): void;
  /** A DescribeSnapshots answer without the snapshots made less than `lagMs` ago. */
  hideRecent(responseXml: string): string;
}

const SNAPSHOT_ID = /<snapshotId>(snap-[0-9a-f]+)<\/snapshotId>/g;

/** @example const lag = createListingLag(3_000); lag.noteCreated(createXml); lag.hideRecent(describeXml) */
export function createListingLag(lagMs: number, now: () => number = () => performance.now()): ListingLag {
  const createdAt = new Map<string, number>();
  const isRecent = (id: string) => {
    const at = createdAt.get(id);
    return at !== undefined && now() - at < lagMs;
  };
  return {
    noteCreated(responseXml) {
      for (const match of responseXml.matchAll(SNAPSHOT_ID)) createdAt.set(match[1]!, now());
    },
    hideRecent(responseXml) {
      const split = splitListItems(responseXml, 'snapshotSet');
      if (split === undefined) return responseXml;
      const kept = split.items.filter(
        (item) => !isRecent(/<snapshotId>(snap-[0-9a-f]+)<\/snapshotId>/.exec(item)?.[1] ?? ''),
      );
      return kept.length === split.items.length
        ? responseXml
        : joinListItems(split, kept, tokenOf(responseXml));
    },
  };
}

function tokenOf(xml: string): string | undefined {
  return /<nextToken>([^<]+)<\/nextToken>/.exec(xml)?.[1];
}
