import { describe, expect, it } from 'vitest';
import { joinListItems, splitListItems } from './xml-items.js';

const tags = (key: string) => `<tagSet><item><key>${key}</key><value>v&gt;1</value></item></tagSet>`;
const volume = (id: string) =>
  `<item>${tags(id)}<volumeId>${id}</volumeId><attachmentSet><item><device>/dev/xvda</device></item></attachmentSet></item>`;
const response = (items: string, extra = '') =>
  `<?xml version="1.0" encoding="utf-8"?>\n<DescribeVolumesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15">` +
  `<!-- <volumeSet><item>not this</item></volumeSet> --><volumeSet>${items}</volumeSet>${extra}` +
  `<requestId>r-1</requestId></DescribeVolumesResponse>`;

describe('splitListItems', () => {
  it('returns the top-level items whole, nested items included', () => {
    // Prepare
    const xml = response(volume('vol-1') + '<item/>' + volume('vol-2'));

    // Act
    const split = splitListItems(xml, 'volumeSet');

    // Assess
    expect(split?.items).toEqual([volume('vol-1'), '<item/>', volume('vol-2')]);
  });

  it('rebuilds the original text from its parts', () => {
    // Prepare
    const xml = response(volume('vol-1') + volume('vol-2'));

    // Act
    const split = splitListItems(xml, 'volumeSet')!;

    // Assess
    expect(joinListItems(split, split.items)).toBe(xml);
  });

  it('drops a nextToken of the root and writes the one given', () => {
    // Prepare
    const xml = response(volume('vol-1') + volume('vol-2'), '<nextToken>old</nextToken>');
    const split = splitListItems(xml, 'volumeSet')!;

    // Act
    const page = joinListItems(split, split.items.slice(0, 1), 'new');

    // Assess
    expect(page.match(/<nextToken>[^<]*<\/nextToken>/g)).toEqual(['<nextToken>new</nextToken>']);
    expect(page.endsWith('<nextToken>new</nextToken></DescribeVolumesResponse>')).toBe(true);
    expect(splitListItems(page, 'volumeSet')?.items).toEqual([volume('vol-1')]);
  });

  it('ignores items of other lists and reports a missing or empty list as undefined', () => {
    // Prepare
    const other = '<regionInfo><item><regionName>eu-west-1</regionName></item></regionInfo>';
    const xml = response(volume('vol-1'), other);

    // Act
    const split = splitListItems(xml, 'volumeSet');

    // Assess
    expect(split?.items).toEqual([volume('vol-1')]);
    expect(splitListItems(xml, 'snapshotSet')).toBeUndefined();
    expect(splitListItems('<R><volumeSet/></R>', 'volumeSet')).toBeUndefined();
  });
});
