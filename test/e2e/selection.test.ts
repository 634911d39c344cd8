/**
 * Selection end to end: by Auto Scaling group, by instance-name wildcard, a volume-targeted
 * policy that covers a detached volume, and `consistency: instance` as one call per instance.
 */
import { AutoScalingClient, CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { motoClientConfig } from '../support/moto/moto.js';
import { runCliJson, writePolicy } from './cli.js';
import { countBy, ec2Client, policySnapshots, tagsOf } from './fleet.js';
import { useDemoFleetBehindProxy } from './harness.js';

const policy = (body: string) => `version: 1\npolicies:\n${body}`;

async function createAsg(endpoint: string, name: string, size: number): Promise<void> {
  const ec2 = ec2Client(endpoint);
  await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: `${name}-lt`,
      LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't3.micro' },
    }),
  );
  const asg = new AutoScalingClient(motoClientConfig(endpoint, 'us-east-1'));
  await asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateName: `${name}-lt` },
      MinSize: size,
      MaxSize: size,
      DesiredCapacity: size,
      AvailabilityZones: ['us-east-1a'],
    }),
  );
}

async function asgInstanceIds(ec2: EC2Client, name: string): Promise<string[]> {
  const response = await ec2.send(
    new DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: [name] }] }),
  );
  return (response.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId!));
}

describe('selecting volumes, end to end', () => {
  const t = useDemoFleetBehindProxy();

  it('selects the instances of an Auto Scaling group', async () => {
    // Prepare
    await createAsg(t.moto.endpoint, 'web-asg', 2);
    const members = await asgInstanceIds(t.ec2, 'web-asg');
    const config = writePolicy(
      t.env.workDir,
      policy(
        '  - id: asg\n    select: {asg: [web-asg]}\n    schedule: {every: 1 day}\n    retention: {minimum: 2}\n',
      ),
    );

    // Act
    const result = await runCliJson(['run', '-c', config], t.env);

    // Assess
    expect(result.code).toBe(0);
    expect(members).toHaveLength(2);
    const snapshots = await policySnapshots(t.ec2, 'asg');
    expect(new Set(snapshots.map((s) => tagsOf(s)['ebs-snapper:instance-id']))).toEqual(new Set(members));
  });

  it('selects by instance-name wildcard, and a volume-targeted policy covers a detached volume', async () => {
    // Prepare
    const config = writePolicy(
      t.env.workDir,
      policy(
        '  - id: by-name\n    select: {instance_names: ["web-*"]}\n    schedule: {every: 1 day}\n    retention: {minimum: 2}\n' +
          '  - id: detached\n    select: {volumes: {"tag:Backup": "true"}}\n    schedule: {every: 1 week}\n    retention: {minimum: 2}\n',
      ),
    );

    // Act
    const result = await runCliJson(['run', '-c', config], t.env);

    // Assess
    expect(result.code).toBe(0);
    const byName = await policySnapshots(t.ec2, 'by-name');
    expect(new Set(byName.map((s) => tagsOf(s)['ebs-snapper:instance-id']))).toEqual(new Set(t.fleet.web));
    const detached = await policySnapshots(t.ec2, 'detached');
    expect(detached.map((s) => s.VolumeId)).toEqual([t.fleet.detachedVolume]);
    expect(tagsOf(detached[0]!)['ebs-snapper:instance-id']).toBeUndefined();
  });

  it('consistency: instance makes one CreateSnapshots call per instance', async () => {
    // Prepare
    const config = writePolicy(
      t.env.workDir,
      policy(
        '  - id: sets\n    select: {instances: {"tag:Role": [web, db]}}\n    schedule: {every: 1 day}\n' +
          '    retention: {minimum: 2}\n    snapshot: {consistency: instance}\n',
      ),
    );

    // Act
    const result = await runCliJson(['run', '-c', config], t.env);

    // Assess: 3 web instances (1 volume each) + db (3 volumes) = 4 calls, 6 snapshots
    expect(result.code).toBe(0);
    expect(t.proxy.counts().CreateSnapshots).toBe(4);
    expect(t.proxy.counts().CreateSnapshot ?? 0).toBe(0);
    const snapshots = await policySnapshots(t.ec2, 'sets');
    expect(snapshots).toHaveLength(6);
    expect(countBy(snapshots, (s) => s.VolumeId!)).toSatisfy((c: Record<string, number>) =>
      Object.values(c).every((n) => n === 1),
    );
  });
});
