/**
 * `settings` as written → the `Settings` model.
 */
import { normalizeDeploySchedule } from './deploy-schedule.js';
import { describeValue } from './describe.js';
import type { Path, Report } from './report.js';
import type { ParsedSettings } from './schema.js';
import type { GuardLimit, Settings } from './types.js';

function normalizeGuard(raw: ParsedSettings['guard'], path: Path, report: Report): Settings['guard'] {
  const value = raw.max_deletes;
  if (value === undefined) return {};
  if (typeof value === 'number') return { maxDeletes: { kind: 'count', count: value } };
  const percent = Number(value.slice(0, -1));
  if (percent > 100) {
    report.error([...path, 'max_deletes'], `${describeValue(value)} is more than 100%`);
  }
  const limit: GuardLimit = { kind: 'percent', percent };
  return { maxDeletes: limit };
}

function normalizeRegions(raw: readonly string[], path: Path, report: Report): string[] {
  raw.forEach((region, index) => {
    const first = raw.indexOf(region);
    if (first !== index)
      report.error([...path, index], `${describeValue(region)} is listed at regions[${first}] too`);
  });
  return [...raw];
}

function normalizeNotify(raw: NonNullable<ParsedSettings['notify']>, path: Path, report: Report) {
  if (raw.sns_topic_arn === undefined && raw.webhook_url === undefined) {
    report.error(path, 'give sns_topic_arn or webhook_url (or remove notify)');
  }
  return {
    ...(raw.sns_topic_arn === undefined ? {} : { snsTopicArn: raw.sns_topic_arn }),
    ...(raw.webhook_url === undefined ? {} : { webhookUrl: raw.webhook_url }),
    on: [...new Set(raw.on)],
  };
}

/** Normalizes `settings` (every key optional). */
export function normalizeSettings(raw: ParsedSettings, path: Path, report: Report): Settings {
  return {
    ...(raw.regions === undefined
      ? {}
      : { regions: normalizeRegions(raw.regions, [...path, 'regions'], report) }),
    guard: normalizeGuard(raw.guard, [...path, 'guard'], report),
    ...(raw.notify === undefined ? {} : { notify: normalizeNotify(raw.notify, [...path, 'notify'], report) }),
    ...(raw.accounts === undefined
      ? {}
      : { accounts: normalizeAccounts(raw.accounts, raw.organization, [...path, 'accounts'], report) }),
    organization: raw.organization,
    ...deploySchedule(raw.schedule, [...path, 'schedule'], report),
  };
}

function normalizeAccounts(
  raw: readonly string[],
  organization: boolean,
  path: Path,
  report: Report,
): string[] {
  if (organization) report.error(path, 'give accounts or organization: true, not both');
  raw.forEach((account, index) => {
    const first = raw.indexOf(account);
    if (first !== index)
      report.error([...path, index], `${describeValue(account)} is listed at accounts[${first}] too`);
  });
  return [...new Set(raw)];
}

function deploySchedule(raw: ParsedSettings['schedule'], path: Path, report: Report) {
  if (raw === undefined) return {};
  const schedule = normalizeDeploySchedule(raw, path, report);
  return schedule === undefined ? {} : { schedule };
}
