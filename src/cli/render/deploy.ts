/**
 * What `deploy` and `deploy member` print: stack events on stderr as they come, then one summary
 * on stdout — text for people, or one JSON document (`--output json`) for CI pipelines.
 */

import type { HubDeployReport } from '../../app/deploy/deploy-hub.js';
import type { MemberDeployReport } from '../../app/deploy/deploy-member.js';
import type { StackChange } from '../../app/deploy/ports.js';
import type { DeployProgress, ResourceFailure } from '../../app/deploy/stack-wait.js';
import { errorInfoOf } from '../../app/kit/classify-error.js';
import type { CliIo } from '../io.js';
import { safeText } from './safe-text.js';

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

/** The hub deploy as text. "unchanged" when nothing was uploaded or updated. */
export function renderHubDeploy(report: HubDeployReport, where: { account: string; region: string }): string {
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
  for (const p of report.parameterChanges ?? [])
    lines.push(`  ~ parameter ${p.name}: ${p.from ?? '(none)'} → ${p.to}`);
  if (report.changes !== undefined) lines.push(...changeLines(report.changes));
  for (const [key, value] of Object.entries(report.outputs)) lines.push(`  ${key.padEnd(19)} ${value}`);
  lines.push(...failureLines(report.failures));
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
export function hubDeployDocument(report: HubDeployReport, where: { account: string; region: string }) {
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
    failures: report.failures.map(failureJson),
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
