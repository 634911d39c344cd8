/**
 * The cost bench's table: each fleet's monthly bill by service, with the empty targets costed
 * both ways — the measured path of today's handler and the empty-target path's figures.
 */
import {
  type Bill,
  blend,
  type FanOutFigures,
  type Fleet,
  monthlyBill,
  type NonEmptyTarget,
  perRun,
  type TargetFigures,
} from './cost-model.js';
import type { Figures } from './report.js';

export const ACCOUNTS = [10, 100, 1000] as const;
export const REGIONS = 17;
export const SCHEDULES = [
  { name: 'hourly', runsPerMonth: 730 },
  { name: 'daily', runsPerMonth: 30.4 },
] as const;
/** Run records and log lines are kept 90 days (the table's TTL, the log groups' default retention). */
export const RETENTION_DAYS = 90;

/** 10, 100 and 1,000 accounts × 17 regions, hourly and daily. */
export function fleetsOf(workerMemoryMb: number, nonEmptyShare: number): Fleet[] {
  return ACCOUNTS.flatMap((accounts) =>
    SCHEDULES.map((s) => ({
      accounts,
      regions: REGIONS,
      runsPerMonth: s.runsPerMonth,
      nonEmptyShare,
      workerMemoryMb,
      retentionDays: RETENTION_DAYS,
    })),
  );
}

const dollars = (n: number) => (n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US'));

/** One bill on one line: the total, then each service. */
export function formatBill(bill: Bill): string {
  return (
    `$${dollars(bill.total)} = Lambda ${dollars(bill.lambda)} + SQS ${dollars(bill.sqs)} + DynamoDB ${dollars(bill.dynamo)}` +
    ` + Scheduler ${dollars(bill.scheduler)} + logs ${dollars(bill.logs)} + metrics ${dollars(bill.metrics)}`
  );
}

const label = (fleet: Fleet) =>
  `${fleet.accounts.toLocaleString('en-US')} × ${fleet.regions} ${fleet.runsPerMonth > 100 ? 'hourly' : 'daily'}`;

/** The bill of a fleet whose empty targets cost `empty` each per run. */
export function fleetBill(
  fleet: Fleet,
  nonEmpty: NonEmptyTarget,
  empty: TargetFigures,
  fanOut: FanOutFigures,
): Bill {
  return monthlyBill(fleet, blend(empty, perRun(nonEmpty, fleet.runsPerMonth), fleet.nonEmptyShare), fanOut);
}

/** The metric series of a deployment that publishes its metrics without Account and Region: one per name. */
export const DEPLOYMENT_WIDE_SERIES = 12;

/**
 * Figures rows: each fleet's bill with the empty-target path; the same with metrics published
 * deployment-wide only (no Account × Region series); then with today's empty targets.
 */
export function costTable(
  fleets: readonly Fleet[],
  nonEmpty: NonEmptyTarget,
  empties: { readonly today: TargetFigures; readonly path: TargetFigures },
  fanOut: FanOutFigures,
): Figures {
  const rows: Figures = {};
  for (const fleet of fleets)
    rows[`${label(fleet)} ($/month)`] = formatBill(fleetBill(fleet, nonEmpty, empties.path, fanOut));
  const unsplit = (t: TargetFigures) => ({ ...t, metricSeries: 0 });
  for (const fleet of fleets)
    rows[`${label(fleet)}, metrics deployment-wide ($/month)`] = formatBill(
      fleetBill(
        { ...fleet, sharedMetricSeries: DEPLOYMENT_WIDE_SERIES },
        { work: unsplit(nonEmpty.work), idle: unsplit(nonEmpty.idle) },
        unsplit(empties.path),
        fanOut,
      ),
    );
  for (const fleet of fleets)
    rows[`${label(fleet)}, empty targets as today ($/month)`] = formatBill(
      fleetBill(fleet, nonEmpty, empties.today, fanOut),
    );
  return rows;
}
