import { describe, expect, it } from 'vitest';
import type { TargetOutcome } from '../app/kit/notifications.js';
import type { ActionResult } from '../app/run/results.js';
import type { MetricsMode } from '../app/serverless/metrics.js';
import type { RunRecord, WorkItem } from '../app/serverless/ports.js';
import { createTelemetry, perPolicy, workTelemetry } from './telemetry.js';

const result = (
  action: ActionResult['action'],
  status: ActionResult['status'],
  policy = 'web',
): ActionResult => ({ action, status, policy, region: 'eu-west-1', volumeId: 'vol-1' }) as ActionResult;

describe('perPolicy', () => {
  it('counts creates and deletes done, and failures; a copy done is neither a create nor a delete', () => {
    // Prepare
    const outcome = {
      runId: 'r',
      account: '111111111111',
      region: 'eu-west-1',
      report: {
        results: [
          result('create', 'done'),
          result('delete', 'done'),
          result('copy', 'done'),
          result('copy', 'failed'),
          result('delete', 'done', 'db'),
        ],
      },
    } as unknown as TargetOutcome;

    // Act
    const counts = Object.fromEntries(perPolicy(outcome));

    // Assess
    expect(counts).toEqual({
      web: { created: 1, deleted: 1, failed: 1, overdue: 0 },
      db: { created: 0, deleted: 1, failed: 0, overdue: 0 },
    });
  });
});

const item = { run_id: 'r', account: '111122223333', region: 'eu-west-1', continuation: 0 } as WorkItem;

type Emf = Record<string, unknown> & {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
};

/** The EMF documents the worker's telemetry writes for one finished target. */
function emitted(outcome: TargetOutcome, record: RunRecord, mode?: MetricsMode): Emf[] {
  const original = process.stdout.write.bind(process.stdout);
  let text = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    const { logger, metrics } = createTelemetry();
    workTelemetry(logger, metrics, mode).finished(item, outcome, record);
  } finally {
    process.stdout.write = original;
  }
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Emf)
    .filter((l) => '_aws' in l);
}

const dimensionsOf = (line: Emf) => line._aws.CloudWatchMetrics[0]!.Dimensions;
const namesOf = (line: Emf) => line._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name);

/** A run of one policy: a create done, a delete failed, one volume overdue (when `overdue`). */
function aRun(options: { failed: boolean; overdue: boolean }) {
  const results = [result('create', 'done'), ...(options.failed ? [result('delete', 'failed')] : [])];
  const outcome = {
    runId: 'r',
    account: item.account,
    region: item.region,
    report: { results, timings: { collectMs: 10.4, planMs: 2, applyMs: 30 } },
    ...(options.overdue ? { overdue: [{ policy: 'web', volumeId: 'vol-2' }] } : {}),
  } as unknown as TargetOutcome;
  const failed = options.failed ? 1 : 0;
  const record = { created: 1, deleted: 0, failed, deferred: 0, failures: [] } as unknown as RunRecord;
  return { outcome, record };
}

const TARGET_METRICS = [
  'SnapshotsCreated',
  'SnapshotsDeleted',
  'ActionsFailed',
  'ActionsDeferred',
  'VolumesOverdue',
  'CollectMs',
  'PlanMs',
  'ApplyMs',
];

describe('the worker’s EMF metrics', () => {
  it('by default: one line per Account × Region and one per Policy, and nothing else when all went well', () => {
    // Prepare
    const { outcome, record } = aRun({ failed: false, overdue: false });

    // Act
    const lines = emitted(outcome, record);

    // Assess
    expect(lines.map(dimensionsOf)).toEqual([[['Account', 'Region']], [['Account', 'Region', 'Policy']]]);
    expect(namesOf(lines[0]!)).toEqual(TARGET_METRICS);
    expect(lines[0]).toMatchObject({ Account: item.account, Region: item.region, SnapshotsCreated: 1 });
    expect(lines[1]).toMatchObject({ Account: item.account, Region: item.region, Policy: 'web' });
  });

  it('a policy’s line holds its four counts, every one under Account, Region and Policy', () => {
    // Prepare
    const { outcome, record } = aRun({ failed: true, overdue: true });

    // Act
    const lines = emitted(outcome, record);

    // Assess
    const policy = lines.filter((l) => 'Policy' in l);
    expect(policy).toHaveLength(1);
    expect(dimensionsOf(policy[0]!)).toEqual([['Account', 'Region', 'Policy']]);
    expect(namesOf(policy[0]!)).toEqual([
      'SnapshotsCreated',
      'SnapshotsDeleted',
      'ActionsFailed',
      'VolumesOverdue',
    ]);
    expect(policy[0]).toMatchObject({
      SnapshotsCreated: 1,
      SnapshotsDeleted: 0,
      ActionsFailed: 1,
      VolumesOverdue: 1,
    });
  });

  it('"target" is the default, line for line', () => {
    // Prepare
    const { outcome, record } = aRun({ failed: true, overdue: true });
    const strip = (lines: Emf[]) => lines.map(({ _aws, ...rest }) => [_aws.CloudWatchMetrics, rest]);

    // Act
    const unset = emitted(outcome, record);
    const target = emitted(outcome, record, 'target');

    // Assess
    expect(strip(target)).toEqual(strip(unset));
  });

  it('by default, failures and overdue volumes also go out once without dimensions, for the alarms', () => {
    // Prepare
    const { outcome, record } = aRun({ failed: true, overdue: true });

    // Act
    const lines = emitted(outcome, record);

    // Assess: the per-target lines as ever, then one line with no dimension at all
    expect(lines.map(dimensionsOf)).toEqual([
      [['Account', 'Region']],
      [['Account', 'Region', 'Policy']],
      [[]],
    ]);
    expect(lines[0]).toMatchObject({ ActionsFailed: 1, VolumesOverdue: 1 });
    const plain = lines[2]!;
    expect(namesOf(plain)).toEqual(['ActionsFailed', 'VolumesOverdue']);
    expect(plain).toMatchObject({ ActionsFailed: 1, VolumesOverdue: 1 });
    expect(plain).not.toHaveProperty('Account');
    expect(plain).not.toHaveProperty('Region');
  });

  it('by default, only what is not zero goes out without dimensions', () => {
    // Prepare
    const { outcome, record } = aRun({ failed: false, overdue: true });

    // Act
    const lines = emitted(outcome, record);

    // Assess
    expect(namesOf(lines.at(-1)!)).toEqual(['VolumesOverdue']);
    expect(dimensionsOf(lines.at(-1)!)).toEqual([[]]);
  });

  it('"deployment": the same names and values in one line without dimensions, and no Policy lines', () => {
    // Prepare
    const { outcome, record } = aRun({ failed: true, overdue: true });

    // Act
    const lines = emitted(outcome, record, 'deployment');

    // Assess
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line!._aws.CloudWatchMetrics[0]!.Namespace).toBe('ebs-snapper');
    expect(dimensionsOf(line!)).toEqual([[]]);
    expect(namesOf(line!)).toEqual(TARGET_METRICS);
    expect(line).toMatchObject({
      SnapshotsCreated: 1,
      SnapshotsDeleted: 0,
      ActionsFailed: 1,
      ActionsDeferred: 0,
      VolumesOverdue: 1,
      CollectMs: 10,
      PlanMs: 2,
      ApplyMs: 30,
    });
    for (const key of ['Account', 'Region', 'Policy']) expect(line).not.toHaveProperty(key);
  });
});
