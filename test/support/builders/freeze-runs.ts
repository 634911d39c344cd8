/**
 * The freeze workflow's app tests in words: `consistency: application` policies, an instance with
 * a root and a data volume that SSM manages, and one journal of the workflow's steps across EC2
 * and SSM (`tag`, `pre`, `snapshots`, `post`, `untag`) in the order they happened.
 */
import { InMemoryEc2 } from '../fakes/in-memory-ec2.js';
import { fleet } from './fleet.js';

export { freezePolicy } from './freeze-policy.js';

/** db-1 (`i-db-1`) with a root and a data volume, SSM-managed (Online) unless `managed` is false. */
export function freezeEstate(
  options: { readonly managed?: boolean; readonly tags?: Record<string, string> } = {},
) {
  const inventory = fleet()
    .instance('db-1', { tags: options.tags ?? {} })
    .volume({ device: '/dev/xvda' })
    .volume({ device: '/dev/sdf' })
    .build();
  const ec2 = new InMemoryEc2(inventory);
  if (options.managed !== false) ec2.ssm.manage(['i-db-1']);
  return { inventory, ec2, journal: journalOf(ec2) };
}

/**
 * Record the workflow's steps as they are made: the instance's tagging, every command sent (by the
 * kind its comment names) and every CreateSnapshots call.
 */
export function journalOf(ec2: InMemoryEc2): string[] {
  const steps: string[] = [];
  const sendCommand = ec2.ssm.sendCommand.bind(ec2.ssm);
  ec2.ssm.sendCommand = async (request) => {
    const id = await sendCommand(request);
    steps.push(
      request.comment?.includes('(pre)') ? 'pre' : request.comment?.includes('(post)') ? 'post' : 'command',
    );
    return id;
  };
  const createSnapshots = ec2.createSnapshots.bind(ec2);
  ec2.createSnapshots = async (request) => {
    steps.push('snapshots');
    return createSnapshots(request);
  };
  const tag = ec2.instances.tag.bind(ec2.instances);
  ec2.instances.tag = async (id, tags) => {
    await tag(id, tags);
    steps.push('tag');
  };
  const untag = ec2.instances.untag.bind(ec2.instances);
  ec2.instances.untag = async (id, keys) => {
    await untag(id, keys);
    steps.push('untag');
  };
  return steps;
}
