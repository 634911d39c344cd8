/**
 * What `deploy` and `deploy member` print: stack events on stderr as they come, then one summary
 * on stdout — text for people, or one JSON document (`--output json`) for CI pipelines.
 */

import type { HubDeployReport } from '../../app/deploy/deploy-hub.js';
import type { MemberDeployReport } from '../../app/deploy/deploy-member.js';
import { CONFIRMATION_NOTE, type EmailSubscription } from '../../app/deploy/hub-alerts.js';
import type { StackChange } from '../../app/deploy/ports.js';
import type { DeployProgress, ResourceFailure } from '../../app/deploy/stack-wait.js';
import { errorInfoOf } from '../../app/kit/classify-error.js';
import { count } from '../../core/plural.js';
import { type ScheduledStart, schedulerClock } from '../../core/policy/scheduler-clock.js';
import type { CliIo } from '../io.js';
import { safeText } from './safe-text.js';
import { formatAge } from './units.js';

/** Progress on stderr: `12:00:03  ebs-snapper  CREATE_COMPLETE  Table (AWS::DynamoDB::Table)`. */
export function deployProgress(io: CliIo): DeployProgress {
  return {
    note: (text) => io.stderr.write(`${text}\n`),
    event: (event, stackName) => {
      const time = new Date(event.timestamp).toISOString().slice(11, 19);
      const reason = event.reason === undefined ? '' : `  ${safeText(event.reason)}`;
      io.stderr.write(
        `${time}  ${stackName}  ${event.status.padEnd(20)}  ${event.logicalId} (${event.resourceType})${reason}\n`,
      );
    },
  };
}

const SIGN: Readonly<Record<string, string>> = { Add: '+', Modify: '~', Remove: '-' };

function changeLines(changes: readonly StackChange[]): string[] {
  if (changes.length === 0) return ['  no resource changes listed'];
  return changes.map((c) => {
    const replacement = c.replacement === undefined ? '' : ` (replacement: ${c.replacement})`;
    return `  ${SIGN[c.action] ?? '?'} ${c.action.padEnd(6)} ${c.logicalId} (${c.resourceType})${replacement}`;
  });
}

function failureLines(failures: readonly ResourceFailure[]): string[] {
  return failures.map((f) => `  ✗ ${f.logicalId} (${f.resourceType}) ${f.status}: ${f.reason}`);
}

const EMAIL_WORDS: Readonly<Record<EmailSubscription['status'], string>> = {
  subscribed: 'subscribed now, pending confirmation',
  pending: 'subscribed already, pending confirmation (not subscribed again)',
  confirmed: 'subscribed already (confirmed)',
  'would-subscribe': 'would be subscribed (dry run)',
};

/** Where a deploy went, and when it ended (for the next run). */
interface DeployWhere {
  readonly account: string;
  readonly region: string;
  readonly now: number;
}

/** What happens after a deploy: when the first run is, how to watch it, where the alerts go. */
interface NextSteps {
  /** The first (or next) run of the schedule after the deploy; a rate's is a bound. */
  readonly run?: ScheduledStart;
  /** `first` for a stack made now, `next` for one that was there. */
  readonly which: 'first' | 'next';
  readonly schedule: { readonly expression: string; readonly timezone: string };
  readonly watch: readonly string[];
  readonly topicArn?: string;
  readonly subscriptions: readonly EmailSubscription[];
}

/** Undefined for a dry run or a failed deploy: nothing happens next. */
function nextSteps(report: HubDeployReport, where: DeployWhere): NextSteps | undefined {
  if (report.outcome === 'failed' || report.outcome === 'dry-run') return undefined;
  const schedule = {
    expression: report.parameters.ScheduleExpression ?? '',
    timezone: report.parameters.ScheduleTimezone ?? 'UTC',
  };
  const run = schedulerClock(schedule)?.nextAfter(where.now);
  const stack = `--stack ${report.stackName} --stack-region ${where.region}`;
  return {
    ...(run === undefined ? {} : { run }),
    which: report.outcome === 'created' || report.outcome === 'recreated' ? 'first' : 'next',
    schedule,
    watch: [`ebs-snapper status ${stack}`, `ebs-snapper trigger ${stack} --wait`],
    ...(report.outputs.TopicArn === undefined ? {} : { topicArn: report.outputs.TopicArn }),
    subscriptions: report.subscriptions ?? [],
  };
}

function nextLines(next: NextSteps, now: number): string[] {
  const { run, schedule } = next;
  const when =
    run === undefined
      ? 'not known'
      : run.exact
        ? `at ${new Date(run.at).toISOString()} (${schedule.expression} in ${schedule.timezone}), in ${formatAge(Math.max(0, run.at - now))}`
        : `by ${new Date(run.at).toISOString()} (${schedule.expression}, counted from when Scheduler made the schedule)`;
  return [
    'What happens next:',
    `  ${`${next.which} run`.padEnd(10)} ${when}`,
    `  watch it   ${next.watch[0]}`,
    `             ${next.watch[1]}   (a run now, followed to its end)`,
    ...alertLines(next),
  ];
}

function alertLines(next: NextSteps): string[] {
  const topic = next.topicArn ?? '(the stack topic)';
  if (next.subscriptions.length === 0)
    return [
      `  alerts     failures and alarms go to ${topic}: subscribe to it with deploy --notify-email ADDRESS`,
    ];
  const waiting = next.subscriptions.filter((s) => s.status === 'subscribed' || s.status === 'pending');
  const confirmed = next.subscriptions.filter((s) => s.status === 'confirmed');
  const lines = [`  alerts     failures and alarms go to ${topic}`];
  if (waiting.length > 0)
    lines.push(
      `             ${count(waiting.length, 'address', 'addresses')} subscribed, pending confirmation: ${waiting.map((s) => s.address).join(', ')}`,
      `             ${CONFIRMATION_NOTE}`,
    );
  if (confirmed.length > 0)
    lines.push(`             confirmed already: ${confirmed.map((s) => s.address).join(', ')}`);
  return lines;
}

/** The hub deploy as text. "unchanged" when nothing was uploaded or updated. */
export function renderHubDeploy(report: HubDeployReport, where: DeployWhere): string {
  const dry = report.outcome === 'dry-run';
  const state = report.stackStatus === undefined ? '' : ` (${report.stackStatus})`;
  const headline = dry
    ? `stack ${report.stackName} in ${where.account}/${where.region}: dry run, would ${report.action === 'none' ? 'change nothing in the stack' : report.action}${state}`
    : `stack ${report.stackName} in ${where.account}/${where.region}: ${report.outcome}${state}`;
  const { code } = report;
  const functions = code.functions.map((f) => `${f.name} ${f.status}`).join(', ');
  const upload = code.uploaded
    ? 'uploaded'
    : dry
      ? 'not uploaded (dry run)'
      : 'already in the bucket (same SHA-256) or not needed';
  const lines = [
    headline,
    `  code      ${code.bucket}/${code.key} (CodeSha256 ${code.sha256}): ${upload}`,
    ...(functions === '' ? [] : [`  functions ${functions}`]),
    `  schedule  ${report.parameters.ScheduleExpression} (${report.parameters.ScheduleTimezone})`,
    ...(report.keptTable === undefined
      ? []
      : [
          `  table     ${dry ? 'would use' : 'using'} the table kept from an earlier stack: ${report.keptTable}`,
        ]),
  ];
  if (report.config !== undefined) lines.push(`  config    ${configLine(report.config, dry)}`);
  if (report.parameters.Features !== undefined && report.parameters.Features !== '*')
    lines.push(`  roles     the worker may do what the config uses: ${report.parameters.Features}`);
  if (report.parameters.MetricDimensions === 'deployment')
    lines.push(
      '  metrics   deployment-wide: one series per metric name (per target: logs, run records, status)',
    );
  for (const s of report.subscriptions ?? [])
    lines.push(`  email     ${s.address}: ${EMAIL_WORDS[s.status]}`);
  for (const p of report.parameterChanges ?? [])
    lines.push(`  ~ parameter ${p.name}: ${p.from ?? '(none)'} → ${p.to}`);
  if (report.changes !== undefined) lines.push(...changeLines(report.changes));
  for (const [key, value] of Object.entries(report.outputs)) lines.push(`  ${key.padEnd(19)} ${value}`);
  lines.push(...failureLines(report.failures));
  const next = nextSteps(report, where);
  if (next !== undefined) lines.push('', ...nextLines(next, where.now));
  return `${lines.map(safeText).join('\n')}\n`;
}

function configLine(config: NonNullable<HubDeployReport['config']>, dry: boolean): string {
  const what = config.pushed
    ? 'pushed'
    : config.unchanged === true
      ? 'unchanged (the table holds this file already)'
      : dry
        ? 'would be pushed (dry run)'
        : 'not pushed';
  return `"${config.name}": ${what}${config.sha256 === undefined ? '' : ` (sha256 ${config.sha256})`}`;
}

const failureJson = (f: ResourceFailure) => ({
  logical_id: f.logicalId,
  resource_type: f.resourceType,
  status: f.status,
  reason: f.reason,
});
const changeJson = (c: StackChange) => ({
  action: c.action,
  logical_id: c.logicalId,
  resource_type: c.resourceType,
  ...(c.replacement === undefined ? {} : { replacement: c.replacement }),
});

/** The hub deploy as one JSON document. */
export function hubDeployDocument(report: HubDeployReport, where: DeployWhere) {
  const next = nextSteps(report, where);
  return {
    version: 1,
    command: 'deploy',
    account: where.account,
    region: where.region,
    dry_run: report.outcome === 'dry-run',
    stack: { name: report.stackName, action: report.action, status: report.stackStatus ?? null },
    outcome: report.outcome,
    parameters: report.parameters,
    outputs: report.outputs,
    kept_table: report.keptTable ?? null,
    code: {
      bucket: report.code.bucket,
      key: report.code.key,
      sha256: report.code.sha256,
      bucket_created: report.code.bucketCreated,
      uploaded: report.code.uploaded,
      functions: report.code.functions.map((f) => ({
        name: f.name,
        status: f.status,
        ...(f.liveSha256 === undefined ? {} : { live_sha256: f.liveSha256 }),
      })),
    },
    config: report.config ?? null,
    ...(report.changes === undefined ? {} : { changes: report.changes.map(changeJson) }),
    ...(report.parameterChanges === undefined ? {} : { parameter_changes: report.parameterChanges }),
    subscriptions: report.subscriptions ?? [],
    failures: report.failures.map(failureJson),
    next: next === undefined ? null : nextJson(next),
  };
}

function nextJson(next: NextSteps) {
  const waiting = next.subscriptions.filter((s) => s.status === 'subscribed' || s.status === 'pending');
  return {
    // `first`: the stack was made now; `exact`: a cron's slot, not a rate's bound.
    run:
      next.run === undefined
        ? null
        : { at: new Date(next.run.at).toISOString(), exact: next.run.exact, first: next.which === 'first' },
    schedule: next.schedule,
    watch: next.watch,
    alerts: {
      topic_arn: next.topicArn ?? null,
      subscriptions: next.subscriptions,
      note:
        next.subscriptions.length === 0
          ? 'subscribe to the topic with deploy --notify-email ADDRESS'
          : waiting.length > 0
            ? `${count(waiting.length, 'address', 'addresses')} subscribed, pending confirmation: ${CONFIRMATION_NOTE}`
            : 'every address confirmed',
    },
  };
}

/** A deploy that could not run to its end (a bad option, a refused call) as its one JSON document. */
export function deployErrorDocument(error: unknown) {
  return { version: 1, command: 'deploy', outcome: 'failed', error: errorInfoOf(error) };
}

/** `deploy member` as text: one line per account. */
export function renderMemberDeploy(reports: readonly MemberDeployReport[]): string {
  const lines = reports.flatMap((r) => {
    const who = r.account ?? r.label;
    const state = r.stackStatus === undefined ? '' : ` (${r.stackStatus})`;
    const head = `${who}: ${r.outcome}${r.outcome === 'dry-run' ? `, would ${r.action ?? '?'}` : ''}${state}`;
    return [
      `${head}${r.roleArn === undefined ? '' : `  ${r.roleArn}`}`,
      ...(r.error === undefined ? [] : [`  ✗ ${r.label}: ${r.error.code}: ${r.error.message}`]),
      ...(r.changes === undefined ? [] : changeLines(r.changes)),
      ...failureLines(r.failures),
    ];
  });
  return `${lines.map(safeText).join('\n')}\n`;
}

export function memberDeployDocument(reports: readonly MemberDeployReport[], template: string | undefined) {
  return {
    version: 1,
    command: 'deploy member',
    template_out: template ?? null,
    accounts: reports.map((r) => ({
      target: r.label,
      account: r.account ?? null,
      action: r.action ?? null,
      outcome: r.outcome,
      status: r.stackStatus ?? null,
      role_arn: r.roleArn ?? null,
      ...(r.changes === undefined ? {} : { changes: r.changes.map(changeJson) }),
      failures: r.failures.map(failureJson),
      error: r.error ?? null,
    })),
  };
}
