/**
 * `ebs-snapper report`: collect every target, then coverage per volume, snapshots, sizes and
 * cost per policy, unmanaged snapshots and orphaned series (SPEC §12). Changes nothing.
 * `--fail-on overdue|unprotected` exits 1 when any volume has that status, for monitoring.
 */
import { reportCoverage } from '../../core/report/coverage.js';
import { summarizeCoverage } from '../../core/report/summary.js';
import type { CoverageReport } from '../../core/report/types.js';
import type { CommandOutcome } from '../exit.js';
import { saveInventories } from '../inventory-file.js';
import type { CliIo } from '../io.js';
import { emitPage } from '../render/emit.js';
import { renderReportPage } from '../render/html/report-page.js';
import { reportDocument } from '../render/report-json.js';
import { renderReport } from '../render/report-text.js';
import { type FailOn, parsePrices, type ReportOptions } from '../report-options.js';
import { inventoriesFor } from './collect.js';

export async function reportCommand(options: ReportOptions, io: CliIo): Promise<CommandOutcome> {
  const prices = parsePrices(options.pricePerGb);
  const { inventories, now, failed, policies, progress } = await inventoriesFor(
    { ...options, unmanaged: 'count' },
    io,
  );
  if (options.saveInventory !== undefined) await saveInventories(options.saveInventory, inventories, now);
  const reports = inventories.map((inventory) => reportCoverage(inventory, policies, { now, prices }));
  const summary = summarizeCoverage(reports, prices);
  const document = reportDocument(reports, summary, now, prices);
  await emitPage(
    document,
    (style) => renderReport(reports, summary, style),
    () => renderReportPage(reports, summary, { now, prices, document }),
    options,
    io,
  );
  const hits = (options.failOn ?? []).flatMap((status) => failing(reports, status));
  for (const hit of hits) progress.log(hit);
  return { failed: failed || hits.length > 0, changes: false };
}

/** The `--fail-on` line for a status, or nothing when no volume has it. */
function failing(reports: readonly CoverageReport[], status: FailOn): string[] {
  const count =
    status === 'overdue'
      ? reports.reduce((n, r) => n + r.series.filter((s) => s.status === 'OVERDUE').length, 0)
      : reports.reduce((n, r) => n + r.unprotected.length, 0);
  if (count === 0) return [];
  return [`report: ${count} volume series ${status.toUpperCase()} (--fail-on ${status})`];
}
