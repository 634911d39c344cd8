import { describe, expect, it } from 'vitest';
import type { BinRule } from '../model.js';
import { binDaysFor, binOutcome, describeRules } from './rules.js';

const rule = (days: number, tags: Partial<Pick<BinRule, 'resourceTags' | 'excludeTags'>> = {}): BinRule => ({
  id: `r${days}`,
  retentionDays: days,
  resourceTags: tags.resourceTags ?? [],
  excludeTags: tags.excludeTags ?? [],
});

describe('binDaysFor', () => {
  it('keeps every snapshot under a Region-level rule, except those with one of its exclusion tags', () => {
    // Prepare
    const rules = [rule(7, { excludeTags: [{ key: 'Scratch', value: 'yes' }] })];

    // Act / Assess
    expect(binDaysFor({}, rules)).toBe(7);
    expect(binDaysFor({ Scratch: 'no' }, rules)).toBe(7);
    expect(binDaysFor({ Scratch: 'yes' }, rules)).toBeUndefined();
  });

  it('keeps a snapshot under a tag-level rule only when it has one of the rule’s pairs', () => {
    // Prepare
    const rules = [
      rule(30, {
        resourceTags: [
          { key: 'Team', value: 'db' },
          { key: 'Keep', value: '' },
        ],
      }),
    ];

    // Act / Assess
    expect(binDaysFor({ Team: 'db' }, rules)).toBe(30);
    expect(binDaysFor({ Team: 'web' }, rules)).toBeUndefined();
    expect(binDaysFor({ Keep: '' }, rules)).toBe(30);
    // A pair without a value is never read as "any value": a delete is not shown as recoverable wrongly.
    expect(binDaysFor({ Keep: 'yes' }, rules)).toBeUndefined();
  });

  it('gives the longest retention of the rules that match, and none without rules', () => {
    // Prepare
    const rules = [rule(7), rule(90, { resourceTags: [{ key: 'Team', value: 'db' }] }), rule(14)];

    // Act / Assess
    expect(binDaysFor({ Team: 'db' }, rules)).toBe(90);
    expect(binDaysFor({ Team: 'web' }, rules)).toBe(14);
    expect(binDaysFor({ Team: 'db' }, [])).toBeUndefined();
  });
});

describe('binOutcome and describeRules', () => {
  it('says unknown when the rules could not be read, never none', () => {
    // Prepare
    const unread = { unreadable: 'ListRules: AccessDeniedException' };

    // Act / Assess
    expect(binOutcome({}, unread)).toBe('unknown');
    expect(describeRules(unread)).toBe('unknown (ListRules: AccessDeniedException)');
    expect(describeRules({ rules: [rule(7), rule(30, { resourceTags: [{ key: 'a', value: 'b' }] })] })).toBe(
      '2 rules: Region-level 7 days; tag-level 30 days',
    );
  });
});
