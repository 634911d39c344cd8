/**
 * What to tell people after a target ran (SPEC §10 `settings.notify.on`): `failure` (a failed
 * action, the guard, held deletes, an unreachable target, a bad config), `summary` (every run),
 * `overdue` (a selected volume whose newest snapshot is older than twice its schedule). Pure: the
 * notifiers send them; a notifier that fails is logged by the caller and never fails the run.
 */
import type { OverdueVolume } from '../../core/overdue.js';
import { count } from '../../core/plural.js';
import type { NotifyEvent } from '../../core/policy/types.js';
import { countDrills } from '../run/drills/outcomes.js';
import { heldFailures } from '../run/held-failures.js';
import type { RunReport } from '../run/results.js';
import type { Notification, Notifier } from '../serverless/ports.js';
import type { ErrorInfo } from './classify-error.js';

/** One account × region's outcome, as the notifications see it. */
export interface TargetOutcome {
  readonly runId: string;
  /** `*` when the target is not known (a config that could not be read). */
  readonly account: string;
  readonly region: string;
  readonly report?: RunReport;
  /** The whole target failed: unreachable, a refused role, a bad config. */
  readonly error?: ErrorInfo;
  readonly overdue?: readonly OverdueVolume[];
}

/**
 * The notifications `on` asks for, for one target.
 *
 * @example notificationsFor(['failure', 'overdue'], { runId, account, region, report, overdue })
 */
export function notificationsFor(on: readonly NotifyEvent[], outcome: TargetOutcome): Notification[] {
  const notifications: Notification[] = [];
  const details = detailsOf(outcome);
  const where = `${outcome.account} ${outcome.region}`;
  const failures = failureLines(outcome);
  if (on.includes('failure') && failures.length > 0) {
    notifications.push({
      event: 'failure',
      subject: `ebs-snapper: failure in ${where}`,
      text: failures.join('\n'),
      details,
    });
  }
  if (on.includes('summary')) {
    notifications.push({
      event: 'summary',
      subject: `ebs-snapper: summary in ${where}`,
      text: summaryLine(outcome),
      details,
    });
  }
  const overdue = outcome.overdue ?? [];
  if (on.includes('overdue') && overdue.length > 0) {
    const shown = overdue
      .slice(0, 10)
      .map((v) => `${v.policy} ${v.volumeId}: newest ${new Date(v.newestAt).toISOString()}`);
    const more = overdue.length > shown.length ? [`… and ${overdue.length - shown.length} more`] : [];
    notifications.push({
      event: 'overdue',
      subject: `ebs-snapper: overdue in ${where}`,
      text: [
        `${count(overdue.length, 'volume')} overdue (newest snapshot older than twice the schedule):`,
        ...shown,
        ...more,
      ].join('\n'),
      details: {
        ...details,
        overdue: overdue.map((v) => ({
          policy: v.policy,
          volume_id: v.volumeId,
          newest_at: new Date(v.newestAt).toISOString(),
        })),
      },
    });
  }
  return notifications;
}

/**
 * Send every notification through every notifier; failures are handed to `onError` (a log
 * line), never thrown: a notifier that fails must not fail the run.
 */
export async function sendAll(
  notifications: readonly Notification[],
  notifiers: readonly Notifier[],
  onError: (notifier: Notifier, notification: Notification, error: unknown) => void,
): Promise<number> {
  let sent = 0;
  await Promise.all(
    notifiers.flatMap((notifier) =>
      notifications.map(async (notification) => {
        try {
          await notifier.send(notification);
          sent += 1;
        } catch (error) {
          onError(notifier, notification, error);
        }
      }),
    ),
  );
  return sent;
}

function failureLines(outcome: TargetOutcome): string[] {
  const lines: string[] = [];
  if (outcome.error !== undefined) lines.push(`${outcome.error.code}: ${outcome.error.message}`);
  const report = outcome.report;
  if (report === undefined) return lines;
  for (const result of report.results) {
    if (result.status === 'failed') {
      const what = [
        result.action,
        result.policy,
        result.snapshotId ?? result.volumeId ?? result.instanceId,
      ].join(' ');
      lines.push(`${what}: ${result.error?.code ?? 'failed'}: ${result.error?.message ?? ''}`);
    }
  }
  // "guard tripped: …", "deletes held: …", "copies held: …"; a give-back or thaw names its instance.
  for (const held of heldFailures(report))
    lines.push(
      held.subject === undefined
        ? `${held.code.replace('.', ' ')}: ${held.message}`
        : `${held.subject}: ${held.code}: ${held.message}`,
    );
  return lines;
}

function summaryLine(outcome: TargetOutcome): string {
  if (outcome.report === undefined) return `not run: ${outcome.error?.code ?? 'unknown'}`;
  const { created, deleted, failed, deferred } = outcome.report.summary;
  return `${created} created, ${deleted} deleted, ${failed} failed, ${deferred} deferred`;
}

function detailsOf(outcome: TargetOutcome): Record<string, unknown> {
  const summary = outcome.report?.summary;
  return {
    run_id: outcome.runId,
    account: outcome.account,
    region: outcome.region,
    counts:
      summary === undefined
        ? null
        : {
            created: summary.created,
            deleted: summary.deleted,
            failed: summary.failed,
            deferred: summary.deferred,
          },
    failures: failureLines(outcome),
    ...(outcome.report?.drills === undefined ? {} : { drills: countDrills(outcome.report.drills) }),
  };
}
