/**
 * `copy_to` end to end (SPEC §6a): the built CLI against moto (through the proxy), copies made
 * in a second region with CopySnapshot. moto reports new snapshots `completed` at once, so a run
 * copies what it has just created; in AWS that is usually the next run.
 */
import { CreateVolumeCommand, DeleteVolumeCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedDemoFleet } from '../../scripts/demo-fleet.js';
import { recordToTags } from '../../src/aws/ec2-mappers.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { type CliEnv, runCliJson, workDir, writePolicy } from './cli.js';
import { ec2Client, listSnapshots, policySnapshots, tagsOf } from './fleet.js';

const DAY = 86_400_000;
const WEST = 'us-west-2';

const webPolicy = (copyRetention: string, extra = '') => `version: 1
settings: {regions: [us-east-1]}
policies:
  - id: web-daily
    select: {instances: {tag:Role: web}}
    schedule: {every: 1 day}
    retention: {max_age: 1 day, minimum: 1}
    copy_to:
      - region: ${WEST}
        retention: ${copyRetention}
${extra}`;

/** `count` detached volumes tagged `Backup: <backup>`, their ids. */
async function createVolumes(ec2: EC2Client, count: number, backup: string): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const { VolumeId } = await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 1,
        TagSpecifications: [{ ResourceType: 'volume', Tags: recordToTags({ Backup: backup }) }],
      }),
    );
    ids.push(VolumeId!);
  }
  return ids;
}

const at = (ms: number) => ['--now', new Date(ms).toISOString()];

describe('copy_to against a local AWS', () => {
  const t = useMotoBehindProxy();
  let east: EC2Client;
  let west: EC2Client;
  let env: CliEnv;

  beforeEach(() => {
    east = ec2Client(t.moto.endpoint);
    west = ec2Client(t.moto.endpoint, WEST);
    env = { endpoint: t.proxy.endpoint, workDir: workDir() };
  });

  it('copies each new snapshot once, tagged with its source, and later runs copy only new ones', async () => {
    // Prepare
    await seedDemoFleet(east);
    const config = writePolicy(env.workDir, webPolicy('{max_age: 3 days, minimum: 2}'));

    // Act
    const first = await runCliJson(['run', '-c', config], env);

    // Assess
    expect(first.code).toBe(0);
    expect(first.json.summary).toMatchObject({ created: 3, copied: 3, failed: 0 });
    const sources = await policySnapshots(east, 'web-daily');
    const copies = await policySnapshots(west, 'web-daily');
    expect(copies).toHaveLength(3);
    for (const copy of copies) {
      const tags = tagsOf(copy);
      const source = sources.find((s) => s.SnapshotId === tags['ebs-snapper:source-snapshot-id']);
      expect(source).toBeDefined();
      expect(tags['ebs-snapper:source-region']).toBe('us-east-1');
      expect(tags['ebs-snapper:volume-id']).toBe(source?.VolumeId);
      expect(tags['ebs-snapper:run-id']).toBe(tagsOf(source!)['ebs-snapper:run-id']);
      expect(Date.parse(tags['ebs-snapper:expires-at'] ?? '') - Date.now()).toBeGreaterThan(2.9 * DAY);
      expect(tags.Role).toBe('web');
    }

    // Act: again at once, then two days later
    const again = await runCliJson(['run', '-c', config], env);
    const later = await runCliJson(['run', '-c', config, ...at(Date.now() + 2 * DAY)], env);

    // Assess
    expect(again.json.summary).toMatchObject({ created: 0, copied: 0, failed: 0 });
    expect(later.code).toBe(0);
    expect(later.json.summary).toMatchObject({ created: 3, copied: 3, failed: 0 });
    expect(await policySnapshots(west, 'web-daily')).toHaveLength(6);
  });

  it('keeps copies by the destination retention, even once the source volume and snapshots are gone', async () => {
    // Prepare: one volume, whose snapshots expire after a day at the source
    const [VolumeId] = await createVolumes(east, 1, 'dr');
    const config = writePolicy(
      env.workDir,
      `version: 1
settings: {regions: [us-east-1]}
policies:
  - id: dr
    select: {volumes: {tag:Backup: dr}}
    schedule: {every: 1 day}
    retention: {max_age: 1 day, minimum: 1, orphaned: {expire-after: 1 day}}
    copy_to:
      - region: ${WEST}
        retention: {minimum: 2}
`,
    );
    await runCliJson(['run', '-c', config], env);
    await runCliJson(['run', '-c', config, ...at(Date.now() + 2 * DAY)], env);
    await east.send(new DeleteVolumeCommand({ VolumeId }));

    // Act
    const clean = await runCliJson(['clean', '-c', config, ...at(Date.now() + 30 * DAY)], env);

    // Assess
    expect(clean.code).toBe(0);
    expect(await policySnapshots(east, 'dr')).toHaveLength(0);
    const copies = await policySnapshots(west, 'dr');
    expect(copies).toHaveLength(2);
    expect(copies.every((c) => tagsOf(c)['ebs-snapper:volume-id'] === VolumeId)).toBe(true);
    const westActions = clean.json.actions.filter((a) => a.region === WEST);
    expect(westActions.map((a) => a.action)).toEqual(['keep', 'keep']);
    expect(westActions.every((a) => a.reason.code === 'retention.minimum')).toBe(true);
  });

  it('does not copy again a snapshot whose only copy expired (minimum 0) while it is still the newest', async () => {
    // Prepare: monthly snapshots; copies kept a day, no minimum
    const [volume] = await createVolumes(east, 1, 'monthly');
    const config = writePolicy(
      env.workDir,
      `version: 1
settings: {regions: [us-east-1]}
policies:
  - id: monthly
    select: {volumes: {tag:Backup: monthly}}
    schedule: {every: 30 days}
    retention: {minimum: 1}
    copy_to:
      - region: ${WEST}
        retention: {max_age: 1 day, minimum: 0}
`,
    );
    const first = await runCliJson(['run', '-c', config], env);

    // Act: two days later the copy expires (and is deleted); a day and two days after that the
    // source is still the newest snapshot
    const expired = await runCliJson(['run', '-c', config, ...at(Date.now() + 2 * DAY)], env);
    const after = await runCliJson(['run', '-c', config, ...at(Date.now() + 3 * DAY)], env);
    const later = await runCliJson(['run', '-c', config, ...at(Date.now() + 4 * DAY)], env);

    // Assess
    expect(first.json.summary).toMatchObject({ created: 1, copied: 1, failed: 0 });
    expect(expired.json.summary).toMatchObject({ created: 0, copied: 0, deleted: 1, failed: 0 });
    for (const run of [after, later]) {
      expect(run.code).toBe(0);
      expect(run.json.summary).toMatchObject({ created: 0, copied: 0, deleted: 0, failed: 0 });
    }
    expect(await policySnapshots(west, 'monthly')).toEqual([]);
    expect((await policySnapshots(east, 'monthly')).map((s) => s.VolumeId)).toEqual([volume]);
  });

  it('copies at most 20 to a destination in one run, and the rest on the next', async () => {
    // Prepare: 25 volumes due at once
    await createVolumes(east, 25, 'many');
    const config = writePolicy(
      env.workDir,
      `version: 1
settings: {regions: [us-east-1]}
policies:
  - id: many
    select: {volumes: {tag:Backup: many}}
    schedule: {every: 1 day}
    retention: {minimum: 1}
    copy_to:
      - region: ${WEST}
        retention: {minimum: 1}
`,
    );

    // Act
    const first = await runCliJson(['run', '-c', config], env);
    const second = await runCliJson(['run', '-c', config], env);

    // Assess
    expect(first.json.summary).toMatchObject({ created: 25, copied: 20, failed: 0 });
    expect(second.json.summary).toMatchObject({ created: 0, copied: 5, failed: 0 });
    expect(second.json.actions.filter((a) => a.reason.code === 'due.copy')).toHaveLength(5);
    const copied = (await policySnapshots(west, 'many')).map(
      (c) => tagsOf(c)['ebs-snapper:source-snapshot-id'],
    );
    expect(new Set(copied).size).toBe(25);
    expect(copied).toHaveLength(25);
  });

  it('encrypts a copy with kms_key_id', async () => {
    // Prepare
    await seedDemoFleet(east);
    const config = writePolicy(env.workDir, webPolicy('{minimum: 1}\n        kms_key_id: alias/backup'));

    // Act
    const result = await runCliJson(['run', '-c', config], env);

    // Assess
    expect(result.json.summary).toMatchObject({ copied: 3, failed: 0 });
    const copies = await policySnapshots(west, 'web-daily');
    expect(copies.map((c) => c.KmsKeyId)).toEqual(['alias/backup', 'alias/backup', 'alias/backup']);
  });

  it('still snapshots when the destination cannot be listed, reports it and exits 1', async () => {
    // Prepare
    await seedDemoFleet(east);
    const config = writePolicy(env.workDir, webPolicy('{minimum: 1}'));
    t.proxy.configure({
      errorsFor: {
        DescribeSnapshots: {
          code: 'UnauthorizedOperation',
          status: 403,
          message: 'not allowed in us-west-2',
          when: { 'Filter.1.Name': 'tag-key' },
        },
      },
    });

    // Act
    const result = await runCliJson(['run', '-c', config], env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.json.summary).toMatchObject({ created: 3, copied: 0 });
    expect(result.json.warnings).toContainEqual({
      code: 'plan.copies-held',
      message: expect.stringContaining(`${WEST} (UnauthorizedOperation`),
    });
    expect(await listSnapshots(west)).toHaveLength(0);
  });
});
