/**
 * Shut down → snapshot → start up against moto, with the built CLI: on a plain instance and on an
 * Auto Scaling group's member, and killed (SIGKILL) right after each step — tag set, standby,
 * stop, snapshot, start, exit standby — then run again: every instance back as it was found,
 * exactly one snapshot per volume, the tags gone. And when AWS refuses the way back (StartInstances
 * or ExitStandby answered with an error): exit 1, the tags kept, the next run gives it back; an
 * instance terminated mid-workflow; a tag put there by hand.
 */
import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  type EC2Client,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { launchInstances } from '../../scripts/seed-ec2.js';
import { createGroup, groupState, lifecycleOf } from '../support/moto/asg.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { type PlanJson, runCli, runCliJson, startCli, workDir, writePolicy } from './cli.js';
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

/** A run's JSON: the plan's, plus what crash recovery gave back. */
type RunJson = PlanJson & {
  given_back?: { instance_id: string; done: string[]; error?: { code: string } }[];
  results?: (NonNullable<PlanJson['results']>[number] & { instance_id?: string })[];
};

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

  it('fails the run when StartInstances is refused after the snapshots; the next run starts the instance first', async () => {
    // Prepare: EC2 refuses every StartInstances of the first run
    const { ec2, db } = await estate();
    const env = { endpoint: t.proxy.endpoint, workDir: workDir() };
    const config = writePolicy(env.workDir, POLICY.replace('"db-1", "grp-member"', '"db-1"'));
    t.proxy.configure({
      errorsFor: { StartInstances: { code: 'InsufficientInstanceCapacity', status: 400 } },
    });

    // Act
    const first = await runCliJson<RunJson>(['run', '-c', config], env);
    const stuck = await stateOf(ec2, db);
    t.proxy.configure({});
    const second = await runCliJson<RunJson>(['run', '-c', config], env);

    // Assess
    expect(first.code, first.stderr).toBe(1);
    expect(first.json.summary).toMatchObject({ created: 2, failed: 1 });
    expect(first.json.results).toContainEqual(
      expect.objectContaining({
        action: 'give-back',
        status: 'failed',
        instance_id: db,
        error: expect.objectContaining({ code: 'InsufficientInstanceCapacity' }),
      }),
    );
    expect(stuck).toEqual({ state: 'stopped', tags: ['ebs-snapper:stopped-by'] });
    expect(second.code, second.stderr).toBe(0);
    expect(second.json.given_back).toEqual([
      expect.objectContaining({ instance_id: db, done: ['started', 'untagged'] }),
    ]);
    expect(await stateOf(ec2, db)).toEqual({ state: 'running', tags: [] });
    expect(await policySnapshots(ec2, 'quiesce')).toHaveLength(2);
  });

  it('fails the run when ExitStandby is refused, stops no other member, and the next run returns it to service', async () => {
    // Prepare
    const { ec2 } = await estate();
    const env = { endpoint: t.proxy.endpoint, workDir: workDir() };
    const config = writePolicy(env.workDir, POLICY.replace('"db-1", "grp-member"', '"grp-member"'));
    t.proxy.configure({ errorsFor: { ExitStandby: { code: 'ValidationError', status: 400 } } });

    // Act
    const first = await runCliJson<RunJson>(['run', '-c', config], env);
    const during = await groupState(t.moto.endpoint, 'grp');
    t.proxy.configure({});
    const second = await runCliJson<RunJson>(['run', '-c', config], env);

    // Assess: one member stuck in Standby and tagged, the other never stopped in that run
    expect(first.code, first.stderr).toBe(1);
    expect(first.json.results?.filter((r) => r.action === 'give-back')).toEqual([
      expect.objectContaining({
        status: 'failed',
        error: expect.objectContaining({ code: 'ValidationError' }),
      }),
    ]);
    expect(during.instances.map((i) => i.lifecycle).sort()).toEqual(['InService', 'Standby']);
    const stuck = during.instances.find((i) => i.lifecycle === 'Standby')!.id;
    expect(second.code, second.stderr).toBe(0);
    expect(second.json.given_back).toEqual([
      expect.objectContaining({ instance_id: stuck, done: ['exited-standby', 'untagged'] }),
    ]);
    const after = await groupState(t.moto.endpoint, 'grp');
    expect(after.desired).toBe(2);
    expect(after.instances.map((i) => i.lifecycle)).toEqual(['InService', 'InService']);
    for (const { id } of after.instances)
      expect(await stateOf(ec2, id)).toEqual({ state: 'running', tags: [] });
  });

  it('ends the wait at once for an instance terminated while it stops, never starts it, and fails no later run', async () => {
    // Prepare: the stop looks slow (60 s of "stopping"); the instance is terminated meanwhile
    const { ec2, db } = await estate();
    const env = { endpoint: t.proxy.endpoint, workDir: workDir() };
    const config = writePolicy(env.workDir, POLICY.replace('"db-1", "grp-member"', '"db-1"'));
    t.proxy.configure({ stoppingForMs: 60_000 });

    // Act
    const running = runCliJson<RunJson>(['run', '-c', config], env);
    // The proxy counts a call before moto has it: terminate once moto has the instance stopped
    await waitFor(() => (t.proxy.counts().StopInstances ?? 0) >= 1);
    while ((await stateOf(ec2, db)).state !== 'stopped')
      await new Promise((resolve) => setTimeout(resolve, 20));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [db] }));
    const first = await running;
    t.proxy.configure({});
    const second = await runCliJson<RunJson>(['run', '-c', config], env);

    // Assess
    expect(first.code, first.stderr).toBe(1);
    expect(
      first.json.results?.map((r) => [r.status, (r.error as { code?: string } | undefined)?.code]),
    ).toEqual([
      ['failed', 'InstanceTerminated'],
      ['failed', 'InstanceTerminated'],
    ]);
    expect(t.proxy.counts().StartInstances ?? 0).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(second.json.given_back ?? []).toEqual([]);
  });

  it('never starts an instance whose stopped-by tag was put there by hand, and warns with a code', async () => {
    // Prepare: db-1 stopped by a person, who also put the tool's tag on it
    const { ec2, db } = await estate();
    await ec2.send(new StopInstancesCommand({ InstanceIds: [db] }));
    await ec2.send(
      new CreateTagsCommand({ Resources: [db], Tags: [{ Key: 'ebs-snapper:stopped-by', Value: 'yes' }] }),
    );
    const env = { endpoint: t.proxy.endpoint, workDir: workDir() };
    const config = writePolicy(env.workDir, POLICY.replace('"db-1", "grp-member"', '"db-1"'));

    // Act
    const result = await runCliJson<RunJson>(['run', '-c', config], env);

    // Assess: snapshotted as the stopped instance it is, the tag left, never started
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.warnings?.map((w) => w.code)).toContain('run.stop-tag-foreign');
    expect(t.proxy.counts().StartInstances ?? 0).toBe(0);
    expect(await stateOf(ec2, db)).toEqual({ state: 'stopped', tags: ['ebs-snapper:stopped-by'] });
    expect(await policySnapshots(ec2, 'quiesce')).toHaveLength(2);
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
