import { describe, expect, it } from 'vitest';
import { describeOverlaps } from './overlaps.js';

describe('describeOverlaps', () => {
  it('says nothing when every volume has one policy', () => {
    // Act / Assess
    expect(
      describeOverlaps(
        new Map([
          ['vol-1', ['a']],
          ['vol-2', ['b']],
        ]),
      ),
    ).toEqual([]);
  });

  it('groups volumes by the combination of policies and names a few of them', () => {
    // Prepare
    const selectedBy = new Map<string, string[]>([
      ['vol-5', ['a', 'b']],
      ['vol-1', ['a', 'b']],
      ['vol-3', ['a', 'b']],
      ['vol-2', ['a', 'b']],
      ['vol-9', ['a', 'c']],
      ['vol-7', ['c']],
    ]);

    // Act
    const warnings = describeOverlaps(selectedBy);

    // Assess
    expect(warnings).toEqual([
      {
        code: 'plan.overlap',
        message:
          '4 volumes are selected by policies a + b (each keeps its own series): vol-1, vol-2, vol-3, … (1 more)',
      },
      {
        code: 'plan.overlap',
        message: '1 volume is selected by policies a + c (each keeps its own series): vol-9',
      },
    ]);
  });
});
