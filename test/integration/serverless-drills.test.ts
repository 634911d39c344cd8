/**
 * Restore drills in the deployed worker: a drill started by one invocation is finished by the
 * continuation that carries the run on (the same run id: its own drill), with the run records,
 * the EMF metrics (DrillsPassed, RestoreSeconds) and the snapshot's result to show for it, and no
 * drill volume left.
 */
import { DescribeSnapshotsCommand, DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { snapshotVolume } from '../../scripts/seed-ec2.js';
import { newRunId } from '../../src/app/run/run.js';
import type { WorkItem } from '../../src/app/serverless/ports.js';
import {
  captureOutput,
  importHandlers,
  lambdaContext,
  readRunRecords,
  receiveEvent,
  sendWorkItem,
  settleEvent,
  useDeployment,
} from '../support/moto/deployment.js';
import { ec2As, pushTestConfig, seedWebFleet } from '../support/moto/member-accounts.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const { createWorker } = await importHandlers();
const A = '111111111111';
const RUN = newRunId(Date.now());
const item = (continuation: number): WorkItem => ({
  account: A,
  region: 'us-east-1',
  run_id: RUN,
  continuation,
});

/** 4 s of work per invocation, continuations visible at once: slow creates leave work for the next. */
const short = createWorker({ marginMs: 1_000, continuationDelaySeconds: 0 });
const fiveSeconds = () => {
  const start = Date.now();
  return lambdaContext(() => 5_000 - (Date.now() - start));
};

const POLICY = `version: 1
settings:
  accounts: ["${A}"]
  regions: [us-east-1]
policies:
  - id: web
    select: {instance_names: ["web*"]}
    schedule: {every: 1 day}
    retention: {minimum: 2}
    drill: {every: 30 days}
`;

describe('restore drills in the deployed worker', () => {
  const t = useMotoBehindProxy();
  const deployed = useDeployment(t);

  it('finishes in the continuation the drill an earlier invocation of the run started', async () => {
    // Prepare: 12 web volumes, one already snapshotted two days ago (due for a drill); creates slow
    const volumes = await seedWebFleet(t.moto.endpoint, A, 'us-east-1', 12);
    const ec2 = await ec2As(t.moto.endpoint, A, 'us-east-1');
    const old = newRunId(Date.now() - 2 * 86_400_000);
    const drilled = await snapshotVolume(ec2, volumes[0]!, {
      description: 'earlier run',
      tags: { 'ebs-snapper:policy': 'web', 'ebs-snapper:volume-id': volumes[0]!, 'ebs-snapper:run-id': old },
    });
    await pushTestConfig(t.moto.endpoint, deployed.current.region, deployed.current.table, POLICY);
    t.proxy.configure({ delayFor: { CreateSnapshot: 3_000 } });
    await sendWorkItem(deployed.current, item(0));

    // Act
    const first = await receiveEvent(deployed.current);
    const one = await captureOutput(() => short(first, fiveSeconds()));
    await settleEvent(deployed.current, first, one.value);
    const started = await drillVolumes(ec2);
    t.proxy.configure({});
    const second = await receiveEvent(deployed.current);
    const two = await captureOutput(() => short(second, fiveSeconds()));
    await settleEvent(deployed.current, second, two.value);

    // Assess
    expect(started).toEqual([expect.objectContaining({ SnapshotId: drilled })]);
    const records = await readRunRecords(deployed.current, RUN);
    expect(records.map((r) => [r.continuation, r.outcome, r.drills])).toEqual([
      [0, 'continued', { started: 1, passed: 0, failed: 0, inFlight: 1 }],
      [1, 'ok', { started: 0, passed: 1, failed: 0, inFlight: 0 }],
    ]);
    const emf = two.lines.find((l) => 'DrillsPassed' in l && !('Policy' in l));
    expect(emf).toMatchObject({ DrillsPassed: 1, DrillsFailed: 0 });
    expect(emf?.RestoreSeconds).toEqual(expect.any(Number));
    expect(await drillVolumes(ec2)).toEqual([]);
    const { Snapshots } = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [drilled] }));
    const tags = Object.fromEntries((Snapshots![0]!.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
    expect(tags).toMatchObject({
      'ebs-snapper:drill-result': 'passed',
      'ebs-snapper:drill-volume': started[0]!.VolumeId,
    });
  });
});

async function drillVolumes(ec2: Awaited<ReturnType<typeof ec2As>>) {
  const { Volumes } = await ec2.send(
    new DescribeVolumesCommand({ Filters: [{ Name: 'tag-key', Values: ['ebs-snapper:drill-of'] }] }),
  );
  return Volumes ?? [];
}
