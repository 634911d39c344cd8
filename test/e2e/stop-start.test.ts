/**
 * Shut down → snapshot → start up against moto, with the built CLI: on a plain instance and on an
 * Auto Scaling group's member, and killed (SIGKILL) right after each step — tag set, standby,
 * stop, snapshot, start, exit standby — then run again: every instance back as it was found,
 * exactly one snapshot per volume, the tags gone.
 */
import { DescribeInstancesCommand, type EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { launchInstances } from '../../scripts/seed-ec2.js';
import { createGroup, groupState, lifecycleOf } from '../support/moto/asg.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { runCli, runCliJson, startCli, workDir, writePolicy } from './cli.js';
import { countBy, ec2Client, policySnapshots } from './fleet.js';

const POLICY = `version: 1
settings: {regions: [us-east-1]}
policies:
  - id: quiesce
    select: {instance_names: ["db-1", "grp-member"]}
    schedule: {every: 1 day}
    retention: {minimum: 2}
    snapshot: {stop_instance: true, stop_timeout: 2m}
`;

/** The steps of the workflow, as the proxy sees their calls, in order. */
const STEPS = [
  'CreateTags',
  'EnterStandby',
  'StopInstances',
  'CreateSnapshot',
  'StartInstances',
  'ExitStandby',
];

async function stateOf(ec2: EC2Client, id: string) {
  const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  const instance = Reservations?.[0]?.Instances?.[0];
  const tags = (instance?.Tags ?? []).filter((t) => t.Key?.startsWith('ebs-snapper:')).map((t) => t.Key);
  return { state: instance?.State?.Name, tags };
}

describe('stop → snapshot → start against moto', () => {
  const t = useMotoBehindProxy();

  async function estate() {
    const ec2 = ec2Client(t.moto.endpoint);
    const [db] = await launchInstances(ec2, {
      count: 1,
      name: 'db-1',
      tags: {},
      devices: ['/dev/sda1', '/dev/sdf'],
    });
    const [member] = await createGroup(t.moto.endpoint, 'grp', 2);
    return { ec2, db: db!.instanceId, member: member! };
  }

  it('takes the snapshots of stopped instances and gives them back; the group keeps its size', async () => {
    // Prepare
    const { ec2, db, member } = await estate();
    const env = { endpoint: t.proxy.endpoint, workDir: workDir() };
    const config = writePolicy(env.workDir, POLICY);

    // Act
    const plan = await runCli(['plan', '-c', config], env);
    const result = await runCliJson(['run', '-c', config], env);

    // Assess
    expect(plan.stdout).toContain('(stop → snapshot → start)');
    // db-1 and both members of the group (one at a time); moto gives each member two volumes
    expect(t.proxy.counts().StopInstances).toBe(3);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.summary).toMatchObject({ created: 6, failed: 0 });
    expect(await stateOf(ec2, db)).toEqual({ state: 'running', tags: [] });
    expect(await stateOf(ec2, member)).toEqual({ state: 'running', tags: [] });
    expect(await lifecycleOf(t.moto.endpoint, member)).toBe('InService');
    expect((await groupState(t.moto.endpoint, 'grp')).desired).toBe(2);
  });

  it('never starts an instance that was stopped before the run', async () => {
    // Prepare
    const { ec2, db } = await estate();
    await ec2.send(new StopInstancesCommand({ InstanceIds: [db] }));
    const env = { endpoint: t.proxy.endpoint, workDir: workDir() };

    // Act
    const result = await runCliJson(['run', '-c', writePolicy(env.workDir, POLICY)], env);

    // Assess
    expect(result.code).toBe(0);
    expect(await stateOf(ec2, db)).toEqual({ state: 'stopped', tags: [] });
    expect(await policySnapshots(ec2, 'quiesce')).toHaveLength(6);
  });

  it('starts an instance again when it is not stopped within stop_timeout, and snapshots nothing of it', async () => {
    // Prepare: the proxy shows the stopped instance as "stopping" for 10 s; stop_timeout is 2 s
    const { ec2, db } = await estate();
    const env = { endpoint: t.proxy.endpoint, workDir: workDir() };
    const config = writePolicy(
      env.workDir,
      POLICY.replace('"db-1", "grp-member"', '"db-1"').replace('2m', '2s'),
    );
    t.proxy.configure({ stoppingForMs: 10_000 });

    // Act
    const result = await runCliJson(['run', '-c', config], env);

    // Assess
    expect(result.code).toBe(1);
    expect(
      result.json.results?.map((r) => [r.status, (r.error as { code?: string } | undefined)?.code]),
    ).toEqual([
      ['failed', 'StopTimeout'],
      ['failed', 'StopTimeout'],
    ]);
    expect(t.proxy.counts().StartInstances).toBe(1);
    expect(await policySnapshots(ec2, 'quiesce')).toEqual([]);
    expect(await stateOf(ec2, db)).toEqual({ state: 'running', tags: [] });
  });

  it.each(STEPS)('killed right after %s, the next run leaves everything as found, once', async (step) => {
    // Prepare: the proxy answers nothing after the step, the CLI waits, and is killed
    const { ec2, db, member } = await estate();
    const env = { endpoint: t.proxy.endpoint, workDir: workDir() };
    const config = writePolicy(
      env.workDir,
      POLICY.replace(
        '"db-1", "grp-member"',
        step.includes('Standby') ? '"grp-member"' : '"db-1", "grp-member"',
      ),
    );
    t.proxy.configure({ hangAfter: step });
    const first = startCli(['run', '-c', config, '--concurrency', '1'], env);
    await waitFor(() => (t.proxy.counts()[step] ?? 0) >= 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    first.kill('SIGKILL');
    await new Promise((resolve) => first.on('close', resolve));
    t.proxy.configure({});

    // Act
    const second = await runCliJson(['run', '-c', config], env);

    // Assess
    expect(second.code, second.stderr).toBe(0);
    for (const id of step.includes('Standby') ? [member] : [db, member]) {
      expect(await stateOf(ec2, id)).toEqual({ state: 'running', tags: [] });
    }
    expect(await lifecycleOf(t.moto.endpoint, member)).toBe('InService');
    expect((await groupState(t.moto.endpoint, 'grp')).desired).toBe(2);
    const perVolume = countBy(await policySnapshots(ec2, 'quiesce'), (s) => s.VolumeId!);
    // Every selected volume once: db-1 has 2, each of the group's 2 members has 2
    expect(Object.keys(perVolume)).toHaveLength(step.includes('Standby') ? 4 : 6);
    expect(Object.values(perVolume).every((n) => n === 1)).toBe(true);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}
