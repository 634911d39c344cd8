/**
 * `ebs-snapper report`: collect every target, then coverage per volume, snapshots, sizes and
 * cost per policy, unmanaged snapshots and orphaned series (SPEC §12). Changes nothing.
 * A target that could not be read is shown in every format with its error, its volumes UNKNOWN,
 * and makes the exit code 1. `--fail-on overdue|unprotected` exits 1 when any volume has that
 * status, or when any target is UNKNOWN (its volumes may have it), for monitoring.
 */

import { count, pairs, plural } from '../../core/plural.js';
import { reportCoverage } from '../../core/report/coverage.js';
import { summarizeCoverage } from '../../core/report/summary.js';
import type { CoverageReport, UnreadTarget } from '../../core/report/types.js';
import type { CommandOutcome } from '../exit.js';
import { saveInventories } from '../inventory-file.js';
import type { CliIo } from '../io.js';
import { emitPage } from '../render/emit.js';
import { renderReportPage } from '../render/html/report-page.js';
import { reportDocument } from '../render/report-json.js';
import { renderReport } from '../render/report-text.js';
import { type FailOn, parsePrices, type ReportOptions } from '../report-options.js';
import { inventoriesFor } from './collect.js';
import { unverified } from './report-unverified.js';

export async function reportCommand(options: ReportOptions, io: CliIo): Promise<CommandOutcome> {
  const prices = parsePrices(options.pricePerGb);
  const { inventories, unread, now, failed, policies, progress } = await inventoriesFor(
    { ...options, unmanaged: 'count' },
    io,
  );
  if (options.saveInventory !== undefined)
    await saveInventories(options.saveInventory, inventories, now, unread);
  const reports = inventories.map((inventory) => reportCoverage(inventory, policies, { now, prices }));
  const summary = summarizeCoverage(reports, prices, unread);
  const document = reportDocument(reports, summary, now, prices);
  await emitPage(
    document,
    (style) => renderReport(reports, summary, style),
    () => renderReportPage(reports, summary, { now, prices, document }),
    options,
    io,
  );
  const hits = (options.failOn ?? []).flatMap((status) =>
    status.startsWith('unverified:')
      ? unverified(reports, unread, status, now)
      : failing(reports, unread, status),
  );
  for (const hit of hits) progress.log(hit);
  return { failed: failed || unread.length > 0 || hits.length > 0, changes: false };
}

/** The `--fail-on` lines for a status, or nothing when no volume has it and every target was read. */
function failing(
  reports: readonly CoverageReport[],
  unread: readonly UnreadTarget[],
  status: FailOn,
): string[] {
  // OVERDUE is said of a policy's series of a volume; UNPROTECTED of a volume no policy selects.
  const hits =
    status === 'overdue'
      ? reports.reduce((n, r) => n + r.series.filter((s) => s.status === 'OVERDUE').length, 0)
      : reports.reduce((n, r) => n + r.unprotected.length, 0);
  const what = status === 'overdue' ? count(hits, 'volume series', 'volume series') : count(hits, 'volume');
  const lines = hits === 0 ? [] : [`report: ${what} ${status.toUpperCase()} (--fail-on ${status})`];
  if (unread.length > 0)
    lines.push(
      `report: ${pairs(unread.length)} UNKNOWN: could not be read, so any of ${plural(unread.length, 'its', 'their')} volumes may be ${status.toUpperCase()} (--fail-on ${status})`,
    );
  return lines;
}
