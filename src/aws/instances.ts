/**
 * The instance side of stop → snapshot → start (SPEC §6) on the SDK: describe, tag, stop and
 * start instances, Standby in and out of their Auto Scaling group. What gives an instance back
 * (start, exit standby, untag, and describes) goes through the clients the deadline never cancels.
 * An instance EC2 no longer knows is described as `undefined` (gone), never as an error.
 */
import {
  type AutoScalingClient,
  DescribeAutoScalingInstancesCommand,
  EnterStandbyCommand,
  ExitStandbyCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  type EC2Client,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { type InstancePort, type LiveInstance, PortError } from '../app/kit/ports.js';
import { type InstanceId, instanceId } from '../core/model.js';
import type { AwsClients } from './clients.js';
import { recordToTags, tagsToRecord } from './ec2-mappers.js';
import { callAws } from './errors.js';

/** DescribeInstances' answer for an instance id EC2 does not know (any more). */
const NOT_FOUND = 'InvalidInstanceID.NotFound';

/** @example const port = createInstancePort(clients); await port.stop(instanceId('i-0abc')); */
export function createInstancePort(clients: AwsClients): InstancePort {
  const { ec2, autoScaling, finish } = clients;
  return {
    describe: (id, asg) => describeInstance(finish.ec2, finish.autoScaling, id, asg),
    async tag(id, tags) {
      await callAws('CreateTags', () =>
        ec2.send(new CreateTagsCommand({ Resources: [id], Tags: recordToTags(tags) })),
      );
    },
    async untag(id, keys) {
      await callAws('DeleteTags', () =>
        finish.ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: keys.map((Key) => ({ Key })) })),
      );
    },
    async stop(id) {
      await callAws('StopInstances', () => ec2.send(new StopInstancesCommand({ InstanceIds: [id] })));
    },
    async start(id) {
      await callAws('StartInstances', () =>
        finish.ec2.send(new StartInstancesCommand({ InstanceIds: [id] })),
      );
    },
    async enterStandby(asg, id) {
      await callAws('EnterStandby', () =>
        autoScaling.send(
          new EnterStandbyCommand({
            AutoScalingGroupName: asg,
            InstanceIds: [id],
            ShouldDecrementDesiredCapacity: true,
          }),
        ),
      );
    },
    async exitStandby(asg, id) {
      await callAws('ExitStandby', () =>
        finish.autoScaling.send(new ExitStandbyCommand({ AutoScalingGroupName: asg, InstanceIds: [id] })),
      );
    },
  };
}

async function describeInstance(
  ec2: EC2Client,
  autoScaling: AutoScalingClient,
  id: InstanceId,
  asg: string | undefined,
): Promise<LiveInstance | undefined> {
  let output: DescribeInstancesCommandOutput;
  try {
    output = await callAws('DescribeInstances', () =>
      ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })),
    );
  } catch (error) {
    // EC2 forgets a terminated instance after a while: gone, like a terminated one, not a failure
    // that a wait would retry until its timeout.
    if (error instanceof PortError && error.code === NOT_FOUND) return undefined;
    throw error;
  }
  const found = (output.Reservations ?? [])
    .flatMap((r) => r.Instances ?? [])
    .find((i) => i.InstanceId === id);
  if (found === undefined) return undefined;
  const live: LiveInstance = {
    id: instanceId(id),
    state: found.State?.Name ?? 'pending',
    tags: tagsToRecord(found.Tags),
  };
  if (asg === undefined) return live;
  const groups = await callAws('DescribeAutoScalingInstances', () =>
    autoScaling.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [id] })),
  );
  const lifecycle = groups.AutoScalingInstances?.find((i) => i.InstanceId === id)?.LifecycleState;
  return lifecycle === undefined ? live : { ...live, lifecycle };
}
