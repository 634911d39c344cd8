import { describe, expect, it } from 'vitest';
import {
  allPassed,
  type BenchDefinition,
  type Check,
  formatOutcome,
  formatRows,
  formatSummary,
  formatValue,
  judge,
} from '../../bench/support/report.js';
import { selectBenches } from '../../bench/support/select.js';

const atMost: Check = { label: 'calls ÷ minimum', key: 'ratio', kind: 'at-most', limit: 1.05 };
const atLeast: Check = { label: 'rate ÷ 50', key: 'rate', kind: 'at-least', limit: 0.85 };

function bench(name: string, checks: readonly Check[] = [atMost]): BenchDefinition {
  return { name, title: `${name} bench`, checks, run: async () => ({}) };
}

describe('verdicts', () => {
  it('passes at the limit and misses beyond it, in the direction of the check', () => {
    // Prepare
    const cases = [
      [{ ratio: 1.05 }, atMost],
      [{ ratio: 1.0501 }, atMost],
      [{ rate: 0.85 }, atLeast],
      [{ rate: 0.84 }, atLeast],
    ] as const;

    // Act
    const verdicts = cases.map(([figures, check]) => judge(figures, check));

    // Assess
    expect(verdicts).toEqual(['PASS', 'MISS', 'PASS', 'MISS']);
  });

  it('says n/a when the figure is missing, text or not finite', () => {
    // Prepare
    const figureSets = [{}, { ratio: 'high' }, { ratio: Number.NaN }, undefined];

    // Act
    const verdicts = figureSets.map((figures) => judge(figures, atMost));

    // Assess
    expect(verdicts).toEqual(['n/a', 'n/a', 'n/a', 'n/a']);
  });

  it('counts a failed bench and an n/a target as not all passed', () => {
    // Prepare
    const passed = { bench: bench('a'), figures: { ratio: 1 }, seconds: 1 };
    const failed = { bench: bench('b'), error: 'moto did not start', seconds: 1 };
    const missing = { bench: bench('c'), figures: {}, seconds: 1 };

    // Act
    const verdicts = [allPassed([passed]), allPassed([passed, failed]), allPassed([missing])];

    // Assess
    expect(verdicts).toEqual([true, false, false]);
  });
});

describe('tables', () => {
  it('pads every column but the last to its widest cell', () => {
    // Prepare
    const rows = [
      ['a', 'bb', 'c'],
      ['ddd', 'e', 'f'],
    ];

    // Act
    const text = formatRows(rows);

    // Assess
    expect(text).toBe('  a    bb  c\n  ddd  e   f');
  });

  it('prints numbers with separators and at most four decimals', () => {
    // Prepare
    const values = [1206, 1.000829, 'text', undefined, Number.NaN];

    // Act
    const printed = values.map(formatValue);

    // Assess
    expect(printed).toEqual(['1,206', '1.0008', 'text', '—', 'NaN']);
  });

  it('prints a bench with its figures and targets, and a failed one with its error', () => {
    // Prepare
    const ok = { bench: bench('api-calls'), figures: { ratio: 1.2 }, seconds: 2.25 };
    const broken = { bench: bench('plan'), error: 'boom', seconds: 0.5 };

    // Act
    const printed = [formatOutcome(ok), formatOutcome(broken)];
    const summary = formatSummary([ok, broken]);

    // Assess
    expect(printed[0]).toContain('api-calls bench — 2.3 s');
    expect(printed[0]).toMatch(/calls ÷ minimum\s+1\.2\s+≤ 1\.05\s+MISS/);
    expect(printed[1]).toContain('FAILED: boom');
    expect(summary).toMatch(/api-calls\s+calls ÷ minimum\s+1\.2\s+≤ 1\.05\s+MISS/);
    expect(summary).toMatch(/plan\s+bench failed.*MISS/);
  });
});

describe('choosing benches from the command line', () => {
  const suite = [bench('plan'), bench('api-calls'), bench('collect-scale')];

  it('runs every bench without names, else the named ones in suite order', () => {
    // Act
    const all = selectBenches([], suite).map((b) => b.name);
    const some = selectBenches(['collect-scale', 'plan'], suite).map((b) => b.name);

    // Assess
    expect(all).toEqual(['plan', 'api-calls', 'collect-scale']);
    expect(some).toEqual(['plan', 'collect-scale']);
  });

  it('refuses an unknown name and lists the known ones', () => {
    // Act
    const choose = () => selectBenches(['api-call'], suite);

    // Assess
    expect(choose).toThrow('unknown bench "api-call"; the benches are: plan, api-calls, collect-scale');
  });
});
