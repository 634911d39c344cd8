/**
 * `undo` of a deployed run (SPEC §14): the worker records the snapshots each invocation deleted
 * beside its run record; `ebs-snapper undo --run RUN_ID --config-table T` reads them back and
 * restores those the Recycle Bin (the fault proxy's emulation) still has. The built handlers and
 * the built CLI run against moto behind the proxy.
 */
import { CreateVolumeCommand, DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { recordToTags } from '../../src/aws/ec2-mappers.js';
import { createDeployedClients } from '../../src/aws/serverless-clients.js';
import { createRunRecordStore } from '../../src/aws/table/run-records.js';
import { runCliJson, workDir } from '../e2e/cli.js';
import { ec2Client, policySnapshots } from '../e2e/fleet.js';
import { drainQueue, importHandlers, useDeployment } from '../support/moto/deployment.js';
import { pushTestConfig } from '../support/moto/member-accounts.js';
import { MOTO_ACCOUNT_ID } from '../support/moto/moto.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { createCallers } from '../support/proxy/caller.js';
import { createRecycleBinEmulator } from '../support/proxy/recycle-bin.js';

const { createWorker } = await importHandlers();
const DAY = 86_400_000;

const CONFIG = `version: 1
settings: {regions: [us-east-1]}
policies:
  - id: bin
    select: {volumes: {tag:Backup: bin}}
    schedule: {every: 1 day}
    retention: {max_age: 1 day, minimum: 0}
`;

describe('undo of a deployed run, from its run records', () => {
  const t = useMotoBehindProxy();
  const deployed = useDeployment(t);

  it('restores exactly the snapshots the workers recorded as deleted by that run', async () => {
    // Prepare: a snapshot now, then a run three days later that deletes it (the bin keeps it)
    t.proxy.configure({
      emulations: [
        createRecycleBinEmulator(createCallers(t.moto.endpoint), [{ id: 'all', retentionDays: 7 }]),
      ],
    });
    const ec2 = ec2Client(t.moto.endpoint);
    await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 1,
        TagSpecifications: [{ ResourceType: 'volume', Tags: recordToTags({ Backup: 'bin' }) }],
      }),
    );
    const { region, table, queueUrl } = deployed.current;
    await pushTestConfig(t.moto.endpoint, region, table, CONFIG);
    const { sqs } = createDeployedClients({
      region,
      endpoint: t.proxy.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const send = (runId: string) =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify({
            account: MOTO_ACCOUNT_ID,
            region: 'us-east-1',
            run_id: runId,
            continuation: 0,
          }),
        }),
      );
    const now = Date.now();
    await send('20260101T000000Z-000001');
    await drainQueue(deployed.current, createWorker({ clock: () => now }));
    const [snapshot] = await policySnapshots(ec2, 'bin');
    const later = '20260104T000000Z-000002';
    await send(later);
    await drainQueue(deployed.current, createWorker({ clock: () => now + 3 * DAY }));
    const { dynamo } = createDeployedClients({
      region,
      endpoint: t.proxy.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const recorded = await createRunRecordStore(dynamo, table).listDeleted?.(later);

    // Act
    const undo = await runCliJson(['undo', '--run', later, '--config-table', table], {
      endpoint: t.proxy.endpoint,
      workDir: workDir(),
    });

    // Assess
    expect(recorded).toEqual([
      { account: MOTO_ACCOUNT_ID, region: 'us-east-1', snapshotIds: [snapshot!.SnapshotId] },
    ]);
    expect(undo.code).toBe(0);
    expect((undo.json as unknown as { restored: { snapshot_id: string }[] }).restored).toEqual([
      { account: MOTO_ACCOUNT_ID, region: 'us-east-1', snapshot_id: snapshot!.SnapshotId },
    ]);
    const { Snapshots } = await ec2.send(
      new DescribeSnapshotsCommand({ SnapshotIds: [snapshot!.SnapshotId!] }),
    );
    expect(Snapshots).toHaveLength(1);
  });
});
