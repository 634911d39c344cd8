import { describe, expect, it } from 'vitest';
import { count, pairs, plural } from './plural.js';

describe('counts in words', () => {
  it.each([
    [0, '0 snapshots'],
    [1, '1 snapshot'],
    [2, '2 snapshots'],
    [1024, '1,024 snapshots'],
  ])('count(%i, "snapshot") is "%s"', (n, words) => {
    // Act / Assess
    expect(count(n, 'snapshot')).toBe(words);
  });

  it.each([
    [0, '0 policies'],
    [1, '1 policy'],
    [2, '2 policies'],
  ])('count(%i, "policy", "policies") is "%s"', (n, words) => {
    // Act / Assess
    expect(count(n, 'policy', 'policies')).toBe(words);
  });

  it.each([
    [0, '0 accounts × regions'],
    [1, '1 account × region'],
    [2, '2 accounts × regions'],
  ])('pairs(%i) is "%s"', (n, words) => {
    // Act / Assess
    expect(pairs(n)).toBe(words);
  });

  it('gives the word alone for headings', () => {
    // Act / Assess
    expect(plural(1, 'series', 'series')).toBe('series');
    expect(plural(3, 'stack')).toBe('stacks');
  });
});
