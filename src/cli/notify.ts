/**
 * The CLI sends the same notifications as the deployed worker when `settings.notify` is set (a
 * cron host deserves them too): per account × region after `run`. A notifier that fails is a
 * warning on stderr, never a failed run.
 */

import { errorInfoOf } from '../app/kit/classify-error.js';
import { notificationsFor, sendAll, type TargetOutcome } from '../app/kit/notifications.js';
import type { RunReport } from '../app/run/results.js';
import { findOverdue } from '../core/overdue.js';
import type { Config } from '../core/policy/types.js';
import { notifiersOf, snsClientsByRegion } from '../notify/notifiers.js';
import type { TargetOptions } from './options.js';
import type { TargetFailure } from './targets.js';

/** Notify what `settings.notify.on` asks for about a run's targets; returns how many were sent. */
export async function notifyRun(
  config: Config,
  runId: string,
  reports: readonly RunReport[],
  failures: readonly TargetFailure[],
  options: TargetOptions,
  warn: (message: string) => void,
): Promise<number> {
  const notify = config.settings.notify;
  if (notify === undefined) return 0;
  const outcomes: TargetOutcome[] = [
    ...reports.map((report) => ({
      runId,
      account: report.plan.account,
      region: report.plan.region,
      report,
      overdue: findOverdue(report.plan, config.policies),
    })),
    ...failures.map((f) => ({
      runId,
      account: f.account ?? '*',
      region: f.region ?? '*',
      error: errorInfoOf(f.error),
    })),
  ];
  const notifications = outcomes.flatMap((outcome) => notificationsFor(notify.on, outcome));
  return sendAll(
    notifications,
    notifiersOf(notify, {
      snsIn: snsClientsByRegion({
        ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
        ...(options.profile === undefined ? {} : { profile: options.profile }),
      }),
    }),
    (notifier, notification, error) =>
      warn(
        `notification "${notification.subject}" to ${notifier.target} failed: ${errorInfoOf(error).message}`,
      ),
  );
}
