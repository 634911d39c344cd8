import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { checkWritable, parseDeadline, parseNonNegativeInt, parseNow, parsePositiveInt } from './options.js';

const clock = () => Date.parse('2026-11-25T17:00:00Z');

describe('parseNow', () => {
  it.each([
    ['2026-12-01T03:00:00Z', '2026-12-01T03:00:00.000Z'],
    ['2026-12-01T03:00:00+01:00', '2026-12-01T02:00:00.000Z'],
    ['2026-12-01T03:00', '2026-12-01T03:00:00.000Z'],
    ['2026-12-01', '2026-12-01T00:00:00.000Z'],
    ['2026-12-01 03:00', '2026-12-01T03:00:00.000Z'],
    ['2026-12-01T03:00:00.5-0230', '2026-12-01T05:30:00.500Z'],
  ])('reads %s as %s (no zone means UTC)', (text, iso) => {
    // Act
    const ms = parseNow(text, clock);

    // Assess
    expect(new Date(ms).toISOString()).toBe(iso);
  });

  it('is the clock when not given', () => {
    // Act / Assess
    expect(parseNow(undefined, clock)).toBe(clock());
  });

  it.each([
    'yesterday',
    '12/01/2026',
    '2026-13-45T00:00:00Z',
    '',
    '2027-02-30',
    '2026-04-31T00:00:00Z',
    '2026-12-01T24:00',
  ])('rejects %j with a UsageError naming --now', (text) => {
    // Act / Assess
    expect(() => parseNow(text, clock)).toThrow(UsageError);
    expect(() => parseNow(text, clock)).toThrow(/--now/);
  });
});

describe('numbers and durations', () => {
  it('accepts whole numbers and rejects the rest, naming the option', () => {
    // Act / Assess
    expect(parseNonNegativeInt('--max-deletes', '0')).toBe(0);
    expect(parseNonNegativeInt('--max-deletes', '200')).toBe(200);
    expect(parseNonNegativeInt('--max-deletes', undefined)).toBeUndefined();
    expect(() => parseNonNegativeInt('--max-deletes', '-1')).toThrow(/--max-deletes: "-1"/);
    expect(() => parseNonNegativeInt('--max-deletes', '1.5')).toThrow(UsageError);
    expect(() => parsePositiveInt('--concurrency', '0')).toThrow(/--concurrency: must be at least 1/);
    expect(parsePositiveInt('--concurrency', '16')).toBe(16);
  });

  it('turns --deadline into the moment no new action starts', () => {
    // Act / Assess
    expect(parseDeadline('10m', 1_000)).toBe(1_000 + 600_000);
    expect(parseDeadline(undefined, 1_000)).toBeUndefined();
    expect(() => parseDeadline('soon', 1_000)).toThrow(/--deadline: "soon" is not a duration/);
  });
});

describe('checkWritable', () => {
  it('refuses a file in a folder that does not exist, or a folder, before any work', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'ebs-snapper-out-'));

    // Act
    const missing = await checkWritable(join(dir, 'no-such-dir', 'plan.json'), '--out').catch(
      (e: unknown) => e,
    );
    const folder = await checkWritable(dir, '--out').catch((e: unknown) => e);
    const fine = await checkWritable(join(dir, 'plan.json'), '--out');

    // Assess
    expect(missing).toBeInstanceOf(UsageError);
    expect(String(missing)).toMatch(/--out: cannot write .*plan\.json \(ENOENT\)/);
    expect(String(folder)).toContain('is a directory');
    expect(fine).toBeUndefined();
  });
});
