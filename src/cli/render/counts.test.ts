/**
 * Every command's counts read right for 0, 1 and 2: "1 snapshot", "2 snapshots", "1 account ×
 * region", "2 accounts × regions", "1 policy", "2 policies" — never "1 snapshots" or "(s)".
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deleteOf, planOf } from '../../../test/support/builders/actions.js';
import { fleet, series } from '../../../test/support/builders/fleet.js';
import { HOUR, policy } from '../../../test/support/builders/policy.js';
import { DEFAULT_PRICES } from '../../core/report/cost.js';
import { reportCoverage } from '../../core/report/coverage.js';
import { forecastPolicies } from '../../core/report/forecast.js';
import { summarizeCoverage } from '../../core/report/summary.js';
import type { UnreadTarget } from '../../core/report/types.js';
import { validateCommand } from '../commands/config.js';
import type { CliIo } from '../io.js';
import { renderForecast } from './forecast-text.js';
import { renderReport } from './report-text.js';
import { renderPlans } from './text.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const plain = { color: false, verbose: false };
const web = policy({ id: 'web', select: { instances: { 'tag:Role': 'web' } }, every: '1d' });
const unreadOf = (n: number): UnreadTarget[] =>
  Array.from({ length: n }, (_, i) => ({
    account: '111111111111',
    region: `eu-west-${i + 1}`,
    error: { code: 'UnauthorizedOperation', message: 'no' },
  }));

/** One web volume with `n` snapshots, and a series of `n` snapshots of a volume that is gone. */
function inventoryWith(n: number) {
  const times = Array.from({ length: n }, (_, i) => NOW - (i + 1) * HOUR);
  return fleet()
    .instance('web-1', { tags: { Role: 'web' } })
    .volume({ id: 'vol-web' })
    .snapshots(series('web', times))
    .snapshots(series('web', times, { volumeId: 'vol-gone', tags: { 'ebs-snapper:volume-id': 'vol-gone' } }))
    .build();
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

describe.each([
  [0, 'snapshots'],
  [1, 'snapshot'],
  [2, 'snapshots'],
])('with %i of them', (n, word) => {
  it(`report says "${n} ${word}" per orphaned series, and counts accounts × regions in words`, () => {
    // Prepare
    const reports = [reportCoverage(inventoryWith(n), [web], { now: NOW })];
    const summary = summarizeCoverage(reports, DEFAULT_PRICES, unreadOf(n));

    // Act
    const text = renderReport(reports, summary, plain);

    // Assess
    if (n > 0) expect(text).toMatch(new RegExp(`web {2}vol-gone {2}${n} ${word}, newest`));
    expect(lastLine(text)).toMatch(/ \d+ snapshots?, /);
    expect(lastLine(text)).toMatch(
      n === 0 ? /\(1 account × region\)\.$/ : /\(1 account × region read, \d UNKNOWN\)\.$/,
    );
    if (n > 0) {
      const pairs = n === 1 ? '1 account × region' : '2 accounts × regions';
      expect(text).toContain(`Could not be read: ${pairs}; their volumes are UNKNOWN`);
      expect(lastLine(text)).toContain(`UNKNOWN: ${pairs} could not be read`);
    }
    expect(text).not.toMatch(/\(s\)|\b1 snapshots\b|\b1 accounts\b|\b[02-9] account × region\b/);
  });

  it(`forecast counts its snapshots and the accounts × regions it could not read in words`, () => {
    // Prepare
    const forecast = forecastPolicies([inventoryWith(n)], [web], { now: NOW, days: 30 });

    // Act
    const text = renderForecast(forecast, plain, unreadOf(n));

    // Assess
    const [, kept = '', noun = ''] = /^Forecast: (\d+) (snapshots?),/.exec(lastLine(text)) ?? [];
    expect(noun).toBe(kept === '1' ? 'snapshot' : 'snapshots');
    if (n > 0)
      expect(lastLine(text)).toContain(
        `INCOMPLETE: ${n === 1 ? '1 account × region' : '2 accounts × regions'} UNKNOWN, not counted.`,
      );
    expect(text).not.toMatch(/\(s\)|\b1 snapshots\b|\b1 accounts\b/);
  });

  it(`plan says "${n} ${n === 1 ? 'delete' : 'deletes'} wanted" when the guard trips, and counts its places`, () => {
    // Prepare
    const plans = Array.from({ length: n }, () => ({
      ...planOf([deleteOf('snap-1')]),
      guard: { tripped: true, limit: 0, wanted: n },
    }));

    // Act
    const text = renderPlans(plans, plain);

    // Assess
    if (n > 0) expect(text).toContain(`! guard: ${n} ${n === 1 ? 'delete' : 'deletes'} wanted in `);
    expect(lastLine(text)).toMatch(
      n === 1 ? /\(1 account × region\)\.$/ : new RegExp(`\\(${n} accounts × regions\\)\\.$`),
    );
  });
});

describe('config validate', () => {
  it.each([
    [1, '1 policy'],
    [2, '2 policies'],
  ])('a file with %i policies is "valid, %s"', async (n, words) => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'ebs-snapper-counts-')), 'policy.yaml');
    const policies = Array.from(
      { length: n },
      (_, i) =>
        `  - id: p${i}\n    select: {volumes: {"tag:Backup": "true"}}\n    schedule: {every: 1 day}\n    retention: {minimum: 2}\n`,
    );
    writeFileSync(file, `version: 1\npolicies:\n${policies.join('')}`);
    let stdout = '';
    const io: CliIo = {
      stdout: {
        write: (text) => {
          stdout += text;
          return true;
        },
      },
      stderr: { write: () => true },
      env: {},
      clock: () => NOW,
    };

    // Act
    await validateCommand(file, io);

    // Assess
    expect(stdout).toBe(
      `${file}: valid, ${words} (${Array.from({ length: n }, (_, i) => `p${i}`).join(', ')})\n`,
    );
  });
});
