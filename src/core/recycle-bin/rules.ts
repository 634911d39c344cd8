/**
 * Which Recycle Bin retention rule keeps a deleted snapshot, and for how long (SPEC §14), by the
 * rules' own semantics:
 *
 * - a **tag-level** rule (it names resource tags) keeps a snapshot that has at least one of its
 *   tag pairs;
 * - a **Region-level** rule (no resource tags) keeps every snapshot of the region except those
 *   that have any of its exclusion tag pairs;
 * - a pair that names no value matches the key with an empty value (the literal reading of the
 *   API: it is never taken as "any value", so a delete is never shown as recoverable wrongly);
 * - a snapshot several rules match is kept for the longest of their retention periods.
 */
import type { BinRule, BinTag, RecycleBinRules, Tags } from '../model.js';

/**
 * Days the bin keeps a snapshot with `tags` after its delete; undefined when no rule keeps it.
 *
 * @example binDaysFor({ Team: 'web' }, [{ id: 'r', retentionDays: 7, resourceTags: [], excludeTags: [] }]) // 7
 */
export function binDaysFor(tags: Tags, rules: readonly BinRule[]): number | undefined {
  let days: number | undefined;
  for (const rule of rules) {
    if (!keeps(rule, tags)) continue;
    if (days === undefined || rule.retentionDays > days) days = rule.retentionDays;
  }
  return days;
}

function keeps(rule: BinRule, tags: Tags): boolean {
  if (rule.resourceTags.length > 0) return rule.resourceTags.some((t) => has(tags, t));
  return !rule.excludeTags.some((t) => has(tags, t));
}

const has = (tags: Tags, pair: BinTag): boolean => tags[pair.key] === pair.value;

/** What the bin does with a snapshot with `tags`: days, `unknown` (rules unread), or undefined. */
export function binOutcome(tags: Tags, bin: RecycleBinRules): number | 'unknown' | undefined {
  return 'unreadable' in bin ? 'unknown' : binDaysFor(tags, bin.rules);
}

/** One line about the rules, for reports: `2 rules: Region-level 7 days; tag-level 30 days`. */
export function describeRules(bin: RecycleBinRules): string {
  if ('unreadable' in bin) return `unknown (${bin.unreadable})`;
  if (bin.rules.length === 0) return 'no rule for EBS snapshots';
  const parts = bin.rules.map(
    (r) => `${r.resourceTags.length > 0 ? 'tag-level' : 'Region-level'} ${r.retentionDays} days`,
  );
  return `${bin.rules.length} rule${bin.rules.length === 1 ? '' : 's'}: ${parts.join('; ')}`;
}
