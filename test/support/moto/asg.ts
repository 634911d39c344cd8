/**
 * An Auto Scaling group in moto for the stop workflow's tests: a launch template with a root
 * volume (moto creates only mapped volumes) and instances tagged like the group's members.
 */
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import { motoClientConfig } from './moto.js';

/** Create the group with `size` instances named `<name>-member`; returns their ids. */
export async function createGroup(
  endpoint: string,
  name: string,
  size: number,
  region = 'us-east-1',
): Promise<string[]> {
  const config = motoClientConfig(endpoint, region);
  const ec2 = new EC2Client(config);
  await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: `${name}-template`,
      LaunchTemplateData: {
        ImageId: 'ami-12c6146b',
        InstanceType: 't3.micro',
        BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 8, VolumeType: 'gp3' } }],
        TagSpecifications: [
          { ResourceType: 'instance', Tags: [{ Key: 'Name', Value: `${name}-member` }] },
          { ResourceType: 'volume', Tags: [{ Key: 'Name', Value: `${name}-disk` }] },
        ],
      },
    }),
  );
  const autoScaling = new AutoScalingClient(config);
  await autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateName: `${name}-template`, Version: '$Latest' },
      MinSize: 0,
      MaxSize: size + 1,
      DesiredCapacity: size,
      AvailabilityZones: [`${region}a`],
    }),
  );
  return (await groupState(endpoint, name, region)).instances.map((i) => i.id);
}

/** The group's desired capacity and its instances' lifecycle states. */
export async function groupState(endpoint: string, name: string, region = 'us-east-1') {
  const autoScaling = new AutoScalingClient(motoClientConfig(endpoint, region));
  const { AutoScalingGroups } = await autoScaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
  );
  const group = AutoScalingGroups?.[0];
  return {
    desired: group?.DesiredCapacity,
    instances: (group?.Instances ?? []).map((i) => ({ id: i.InstanceId!, lifecycle: i.LifecycleState! })),
  };
}

/** The lifecycle state of one instance in its group. */
export async function lifecycleOf(
  endpoint: string,
  instance: string,
  region = 'us-east-1',
): Promise<string | undefined> {
  const autoScaling = new AutoScalingClient(motoClientConfig(endpoint, region));
  const { AutoScalingInstances } = await autoScaling.send(
    new DescribeAutoScalingInstancesCommand({ InstanceIds: [instance] }),
  );
  return AutoScalingInstances?.[0]?.LifecycleState;
}
