import { describe, expect, it } from 'vitest';
import { JsonValueScanner } from './json-value-scanner.js';

/** Where the value starting at 0 ends, feeding `text` in pieces of `size`. */
function endInPieces(text: string, size: number): number {
  const scanner = new JsonValueScanner();
  for (let from = 0; from < text.length; from += size) {
    const end = scanner.scan(text.slice(from, from + size), 0);
    if (end >= 0) return from + end;
  }
  return -1;
}

describe('JsonValueScanner', () => {
  it('finds the end of a value whatever its strings hold, split anywhere', () => {
    // Prepare
    const values = [
      { a: 'x"y', b: ['}', ']', '{', '['], c: 'back\\slash\\', d: '\\"', e: '\\\\"' },
      'a "quoted" string \\',
      [1, [2, [3, { x: '\\\\\\' }]]],
    ];

    // Act / Assess
    for (const value of values) {
      const text = JSON.stringify(value);
      for (const size of [1, 2, 3, 5, 64])
        expect(endInPieces(`${text}, "next"`, size), `${text} in pieces of ${size}`).toBe(text.length);
    }
  });

  it('ends a number or literal at the next delimiter', () => {
    // Act / Assess
    expect(new JsonValueScanner().scan('12.5e3, 1', 0)).toBe(6);
    expect(new JsonValueScanner().scan('true}', 0)).toBe(4);
    expect(new JsonValueScanner().scan('null', 0)).toBe(-1);
  });
});
