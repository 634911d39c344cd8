/**
 * Just enough XML to page EC2 Describe* responses: find the top-level `<item>`s of one list
 * element under the root and cut them, without parsing the rest. Items nest (`tagSet` and
 * `attachmentSet` hold `<item>`s too), so the scan counts depth instead of matching `</item>`.
 */

/** A response split around one list: `head` + items + `middle` + `tail` is the original text. */
export interface SplitResponse {
  /** Up to and including the list's opening tag. */
  readonly head: string;
  readonly items: readonly string[];
  /** From the list's closing tag up to the root's closing tag, without any `<nextToken>`. */
  readonly middle: string;
  /** The root's closing tag and what follows it. */
  readonly tail: string;
}

interface Tag {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  readonly kind: 'open' | 'close' | 'empty';
}

/**
 * Splits `xml` around the top-level items of the root's child element `listName`.
 * Returns undefined when that list is missing or written as an empty element (`<snapshotSet/>`).
 *
 * @example splitListItems(body, 'snapshotSet')?.items.length // 12
 */
export function splitListItems(xml: string, listName: string): SplitResponse | undefined {
  const items: string[] = [];
  const cuts: Array<readonly [number, number]> = [];
  let depth = 0;
  let listOpenEnd = -1;
  let listCloseStart = -1;
  let itemStart = -1;
  let tokenStart = -1;
  let rootCloseStart = -1;
  for (const tag of scanTags(xml)) {
    if (tag.kind === 'open') {
      if (depth === 1 && tag.name === listName && listOpenEnd < 0) listOpenEnd = tag.end;
      if (depth === 1 && tag.name === 'nextToken') tokenStart = tag.start;
      if (depth === 2 && tag.name === 'item' && isInsideList(listOpenEnd, listCloseStart))
        itemStart = tag.start;
      depth++;
    } else if (tag.kind === 'close') {
      depth--;
      if (depth === 2 && tag.name === 'item' && itemStart >= 0) {
        items.push(xml.slice(itemStart, tag.end));
        itemStart = -1;
      }
      if (depth === 1 && tag.name === listName && isInsideList(listOpenEnd, listCloseStart)) {
        listCloseStart = tag.start;
      }
      if (depth === 1 && tag.name === 'nextToken' && tokenStart >= 0) cuts.push([tokenStart, tag.end]);
      if (depth === 0) rootCloseStart = tag.start;
    } else {
      if (depth === 2 && tag.name === 'item' && isInsideList(listOpenEnd, listCloseStart)) {
        items.push(xml.slice(tag.start, tag.end));
      }
      if (depth === 1 && tag.name === 'nextToken') cuts.push([tag.start, tag.end]);
    }
  }
  if (listOpenEnd < 0 || listCloseStart < 0 || rootCloseStart < 0) return undefined;
  return {
    head: cutRanges(xml, 0, listOpenEnd, cuts),
    items,
    middle: cutRanges(xml, listCloseStart, rootCloseStart, cuts),
    tail: xml.slice(rootCloseStart),
  };
}

/**
 * Rebuilds a response holding `items` and, when given, a `<nextToken>` for the next page.
 *
 * @example joinListItems(split, split.items.slice(0, 5), 'eyJvIjo1fQ')
 */
export function joinListItems(split: SplitResponse, items: readonly string[], nextToken?: string): string {
  const token = nextToken === undefined ? '' : `<nextToken>${nextToken}</nextToken>`;
  return split.head + items.join('') + split.middle + token + split.tail;
}

function isInsideList(listOpenEnd: number, listCloseStart: number): boolean {
  return listOpenEnd >= 0 && listCloseStart < 0;
}

function cutRanges(xml: string, from: number, to: number, cuts: ReadonlyArray<readonly [number, number]>) {
  let text = '';
  let at = from;
  for (const [start, end] of cuts) {
    if (start < from || end > to) continue;
    text += xml.slice(at, start);
    at = end;
  }
  return text + xml.slice(at, to);
}

/** Yields element tags in order; skips the declaration, processing instructions, comments, CDATA. */
function* scanTags(xml: string): Generator<Tag> {
  let at = xml.indexOf('<');
  while (at >= 0) {
    const next = xml[at + 1];
    if (next === '?' || next === '!') {
      const closer = xml.startsWith('<!--', at) ? '-->' : xml.startsWith('<![CDATA[', at) ? ']]>' : '>';
      const end = xml.indexOf(closer, at);
      if (end < 0) return;
      at = xml.indexOf('<', end + closer.length);
      continue;
    }
    const end = findTagEnd(xml, at);
    if (end < 0) return;
    const closing = next === '/';
    const empty = !closing && xml[end - 2] === '/';
    const nameStart = closing ? at + 2 : at + 1;
    const name = /^[^\s/>]+/.exec(xml.slice(nameStart, Math.min(end, nameStart + 200)))?.[0] ?? '';
    yield { start: at, end, name, kind: closing ? 'close' : empty ? 'empty' : 'open' };
    at = xml.indexOf('<', end);
  }
}

/** Index just past the tag's `>`, minding quoted attribute values that may hold a `>`. */
function findTagEnd(xml: string, start: number): number {
  let quote = '';
  for (let i = start + 1; i < xml.length; i++) {
    const char = xml[i];
    if (quote !== '') {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return i + 1;
    }
  }
  return -1;
}
