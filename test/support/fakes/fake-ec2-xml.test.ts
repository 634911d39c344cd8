import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeXml, formatIsoTime, writeTagSet } from './fake-ec2-xml.js';

describe('formatIsoTime', () => {
  it('writes exactly what Date.prototype.toISOString writes, for any time from 1970 to 9999', () => {
    // Prepare
    const times = fc.integer({ min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) });

    // Act / Assess
    fc.assert(fc.property(times, (ms) => formatIsoTime(ms) === new Date(ms).toISOString()));
  });

  it('stays right when consecutive times cross a day boundary', () => {
    // Prepare
    const midnight = Date.UTC(2026, 2, 1);

    // Act
    const written = [midnight - 1, midnight, midnight - 1].map(formatIsoTime);

    // Assess
    expect(written).toEqual([
      '2026-02-28T23:59:59.999Z',
      '2026-03-01T00:00:00.000Z',
      '2026-02-28T23:59:59.999Z',
    ]);
  });
});

describe('writeTagSet', () => {
  it('escapes keys and values, and writes an empty set as <tagSet/>', () => {
    // Prepare
    const tags = { 'a&b': '<"x">', plain: "it's" };

    // Act
    const written = writeTagSet(tags);

    // Assess
    expect(written).toBe(
      '<tagSet><item><key>a&amp;b</key><value>&lt;&quot;x&quot;&gt;</value></item>' +
        '<item><key>plain</key><value>it&apos;s</value></item></tagSet>',
    );
    expect(writeTagSet({})).toBe('<tagSet/>');
    expect(escapeXml('vol-123')).toBe('vol-123');
  });

  it('adds extra tags the resource does not already have', () => {
    // Prepare
    const tags = { Name: 'web-1', 'aws:autoscaling:groupName': 'set-by-hand' };

    // Act
    const written = writeTagSet(tags, { 'aws:autoscaling:groupName': 'web', extra: '1' });

    // Assess
    expect(written).toBe(
      '<tagSet><item><key>Name</key><value>web-1</value></item>' +
        '<item><key>aws:autoscaling:groupName</key><value>set-by-hand</value></item>' +
        '<item><key>extra</key><value>1</value></item></tagSet>',
    );
  });
});
