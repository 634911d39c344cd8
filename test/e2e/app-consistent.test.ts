/**
 * Freeze → snapshot → thaw against moto with the built CLI, SSM Run Command answered by the fault
 * proxy's emulation (moto's says every command succeeded at once): the order pre → CreateSnapshots
 * → post, the `frozen-by` tag while it lasts, `on_failure` both ways, retries, an instance without
 * the agent, and the CLI killed (SIGKILL) right after the tag, after the pre script and after
 * CreateSnapshots — the next run thaws first, takes no second set, leaves no tag — or told to stop
 * (SIGTERM) during the pre script: it thaws before it ends. The built-in script it sends never
 * names `/` and carries its watchdog. And `iam-policy -c` allows every call it made.
 */
import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { launchInstances } from '../../scripts/seed-ec2.js';
import { notAllowed, type PrintedStatement } from '../support/iam-match.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { type CallOrder, recordCallOrder } from '../support/proxy/call-order.js';
import { createSsmEmulator, type SsmInstance } from '../support/proxy/ssm.js';
import { type PlanJson, runCli, runCliJson, startCli, workDir, writePolicy } from './cli.js';
import { countBy, ec2Client, policySnapshots, tagsOf } from './fleet.js';

const POLICY = (scripts: string) => `version: 1
settings: {regions: [us-east-1]}
policies:
  - id: db
    select: {instance_names: ["db-1"]}
    schedule: {every: 1 day}
    retention: {minimum: 2}
    snapshot:
      consistency: application
      scripts: {timeout: 10 seconds${scripts}}
`;

interface Result {
  action: string;
  status: string;
  volume_id: string | null;
  instance_id?: string;
  consistency?: string;
  reason?: { code: string; message: string };
  error?: { code: string; message: string };
}
type RunJson = Omit<PlanJson, 'results'> & {
  results?: Result[];
  thawed?: { instance_id: string; done: string[]; error?: { code: string } }[];
  freezes?: { instance_id: string; consistency: string | null; frozen_ms: number | null; thawed: boolean }[];
};

/** The EC2 calls of the workflow the proxy notes in order (with SendCommand). */
const STEPS = ['CreateTags', 'CreateSnapshots', 'DeleteTags'];

/** The workflow's steps among the calls the proxy saw (without SSM's looks). */
const stepsOf = (order: CallOrder): string[] =>
  order.calls().filter((c) => c.startsWith('SendCommand') || STEPS.includes(c));

async function toolTagsOf(ec2: EC2Client, id: string): Promise<Record<string, string>> {
  const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  const tags = Reservations?.[0]?.Instances?.[0]?.Tags ?? [];
  return Object.fromEntries(
    tags.filter((t) => t.Key?.startsWith('ebs-snapper:')).map((t) => [t.Key!, t.Value ?? '']),
  );
}

describe('freeze → snapshot → thaw against moto', () => {
  const t = useMotoBehindProxy();

  /** db-1 with a root and a data volume, and the proxy's SSM saying how db-1 answers. */
  async function estate(ssm: SsmInstance | 'unmanaged' = {}) {
    const ec2 = ec2Client(t.moto.endpoint);
    const [db] = await launchInstances(ec2, {
      count: 1,
      name: 'db-1',
      tags: {},
      devices: ['/dev/sda1', '/dev/sdf'],
    });
    const id = db!.instanceId;
    const emulator = createSsmEmulator({ instances: ssm === 'unmanaged' ? {} : { [id]: ssm } });
    const order = recordCallOrder([emulator], STEPS);
    t.proxy.configure({ emulations: [order] });
    const env = { endpoint: t.proxy.endpoint, workDir: workDir() };
    return { ec2, id, emulator, order, env };
  }

  it('freezes, takes the set and thaws, in that order; the snapshots say application; the tag is gone', async () => {
    // Prepare
    const { ec2, id, emulator, order, env } = await estate();
    const config = writePolicy(env.workDir, POLICY(''));

    // Act
    const plan = await runCli(['plan', '-c', config], env);
    const planJson = await runCliJson(['plan', '-c', config], env);
    const result = await runCliJson<RunJson>(['run', '-c', config], env);

    // Assess
    expect(plan.stdout).toContain('(freeze → snapshot → thaw)');
    expect(planJson.json.actions.filter((a) => a.action === 'create')).toEqual([
      expect.objectContaining({ consistency: 'application', workflow: 'freeze → snapshot → thaw' }),
      expect.objectContaining({ consistency: 'application', workflow: 'freeze → snapshot → thaw' }),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(stepsOf(order)).toEqual([
      'CreateTags',
      'SendCommand pre',
      'CreateSnapshots',
      'SendCommand post',
      'DeleteTags',
    ]);
    const snapshots = await policySnapshots(ec2, 'db');
    expect(snapshots).toHaveLength(2);
    for (const s of snapshots) expect(tagsOf(s)['ebs-snapper:consistency']).toBe('application');
    expect(await toolTagsOf(ec2, id)).toEqual({});
    expect(result.json.freezes).toEqual([
      expect.objectContaining({ instance_id: id, consistency: 'application', thawed: true }),
    ]);
    const [pre, post] = emulator.sent();
    expect(pre?.documentName).toBe('AWS-RunShellScript');
    expect(post?.documentName).toBe('AWS-RunShellScript');
  });

  it('sends the built-in script for exactly the selected volumes, never naming / as a target, with its watchdog', async () => {
    // Prepare
    const { ec2, emulator, env } = await estate();
    const config = writePolicy(env.workDir, POLICY(''));

    // Act
    const result = await runCliJson<RunJson>(['run', '-c', config], env);
    const [pre, post] = emulator.sent();
    const script = (pre?.parameters.commands ?? []).join('\n');
    const volumes = (await policySnapshots(ec2, 'db')).map((s) => s.VolumeId!).sort();

    // Assess
    expect(result.code, result.stderr).toBe(0);
    const named = [...script.matchAll(/^ {2}add_volume '(vol-[0-9a-f]+)'/gm)].map((m) => m[1]).sort();
    expect(named).toEqual(volumes);
    expect(script).toMatch(/^WATCHDOG_SECONDS=40$/m);
    expect(script).toContain('ebs-snapper-watchdog');
    expect(script).not.toMatch(/fsfreeze -[fu] +['"]?\/['"]?( |$)/m);
    expect(script).toMatch(/^ {2}if \[ "\$target" = \/ \]; then$/m);
    expect(pre?.parameters.executionTimeout).toEqual(['10']);
    expect((post?.parameters.commands ?? []).join('\n')).toContain('fsfreeze -u "$target"');
  });

  it('snapshots anyway, as crash, when the pre script fails with on_failure: crash-consistent, and still thaws', async () => {
    // Prepare: the first command (the pre script) fails; the post succeeds
    const { ec2, id, emulator, env } = await estate({
      outcomes: [{ status: 'Failed', exitCode: 1, stderr: 'could not freeze /data' }, { status: 'Success' }],
    });
    const config = writePolicy(env.workDir, POLICY(', on_failure: crash-consistent'));

    // Act
    const result = await runCliJson<RunJson>(['run', '-c', config], env);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    const snapshots = await policySnapshots(ec2, 'db');
    expect(snapshots.map((s) => tagsOf(s)['ebs-snapper:consistency'])).toEqual(['crash', 'crash']);
    expect(result.json.results).toEqual([
      expect.objectContaining({
        status: 'done',
        consistency: 'crash',
        reason: expect.objectContaining({ code: 'consistency.pre-failed' }),
      }),
      expect.objectContaining({ status: 'done', consistency: 'crash' }),
    ]);
    expect(emulator.sent().map((c) => c.comment?.split(' ')[2])).toEqual(['(pre)', '(post)']);
    expect(await toolTagsOf(ec2, id)).toEqual({});
  });

  it('takes no snapshot and fails the run when the pre script fails with on_failure: skip, and still thaws', async () => {
    // Prepare
    const { ec2, id, emulator, env } = await estate({
      outcomes: [{ status: 'Failed', exitCode: 2 }, { status: 'Success' }],
    });
    const config = writePolicy(env.workDir, POLICY(', on_failure: skip'));

    // Act
    const result = await runCliJson<RunJson>(['run', '-c', config], env);

    // Assess
    expect(result.code).toBe(1);
    expect(await policySnapshots(ec2, 'db')).toEqual([]);
    expect(t.proxy.counts().CreateSnapshots ?? 0).toBe(0);
    expect(result.json.results?.map((r) => [r.status, r.error?.code, r.reason?.code])).toEqual([
      ['failed', 'consistency.skipped', 'consistency.pre-failed'],
      ['failed', 'consistency.skipped', 'consistency.pre-failed'],
    ]);
    expect(emulator.sent()).toHaveLength(2);
    expect(await toolTagsOf(ec2, id)).toEqual({});
  });

  it('tries the pre script again after a thaw, and the set is application once it succeeds', async () => {
    // Prepare: pre fails, post, pre succeeds, post
    const { ec2, emulator, order, env } = await estate({
      outcomes: [{ status: 'Failed', exitCode: 3 }, { status: 'Success' }],
    });
    const config = writePolicy(env.workDir, POLICY(', retries: 2'));

    // Act
    const result = await runCliJson<RunJson>(['run', '-c', config], env);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(stepsOf(order)).toEqual([
      'CreateTags',
      'SendCommand pre',
      'SendCommand post',
      'SendCommand pre',
      'CreateSnapshots',
      'SendCommand post',
      'DeleteTags',
    ]);
    expect(emulator.sent()).toHaveLength(4);
    for (const s of await policySnapshots(ec2, 'db'))
      expect(tagsOf(s)['ebs-snapper:consistency']).toBe('application');
  });

  it.each([
    ['crash-consistent', 0, 2],
    ['skip', 1, 0],
  ])(
    'sends nothing to an instance without the agent: on_failure %s exits %i with %i snapshots',
    async (mode, code, count) => {
      // Prepare
      const { ec2, id, emulator, order, env } = await estate('unmanaged');
      const config = writePolicy(env.workDir, POLICY(`, on_failure: ${mode}`));

      // Act
      const result = await runCliJson<RunJson>(['run', '-c', config], env);

      // Assess
      expect(result.code, result.stderr).toBe(code);
      expect(emulator.sent()).toEqual([]);
      expect(order.calls()).not.toContain('CreateTags');
      expect(result.json.results?.every((r) => r.reason?.code === 'consistency.no-agent')).toBe(true);
      const snapshots = await policySnapshots(ec2, 'db');
      expect(snapshots).toHaveLength(count);
      for (const s of snapshots) expect(tagsOf(s)['ebs-snapper:consistency']).toBe('crash');
      expect(await toolTagsOf(ec2, id)).toEqual({});
    },
  );

  it.each([
    ['the tag', { hangAfter: 'CreateTags' }, 'CreateTags'],
    ['the pre script', { hangFor: ['CreateSnapshots'] }, 'CreateSnapshots'],
    ['CreateSnapshots', { hangAfter: 'CreateSnapshots' }, 'CreateSnapshots'],
  ])(
    'killed right after %s, the next run thaws first, takes no second set, leaves no tag',
    async (_, hang, step) => {
      // Prepare: the proxy answers nothing after the step (or never answers it), the CLI is killed
      const { ec2, id, env } = await estate();
      const config = writePolicy(env.workDir, POLICY(''));
      t.proxy.configure({ ...hang, emulations: [createSsmEmulator({ instances: { [id]: {} } })] });
      const first = startCli(['run', '-c', config], env);
      await waitFor(() => (t.proxy.counts()[step] ?? 0) >= 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      first.kill('SIGKILL');
      await new Promise((resolve) => first.on('close', resolve));
      const left = await toolTagsOf(ec2, id);
      const again = createSsmEmulator({ instances: { [id]: {} } });
      t.proxy.configure({ emulations: [again] });

      // Act
      const second = await runCliJson<RunJson>(['run', '-c', config], env);

      // Assess
      expect(left).toEqual({
        'ebs-snapper:frozen-by': expect.any(String),
        'ebs-snapper:frozen-policy': 'db',
      });
      expect(second.code, second.stderr).toBe(0);
      expect(second.json.thawed).toEqual([
        expect.objectContaining({ instance_id: id, done: ['thawed', 'untagged'] }),
      ]);
      expect(again.sent()[0]?.comment).toContain('thaw (post)');
      expect(await toolTagsOf(ec2, id)).toEqual({});
      const perVolume = countBy(await policySnapshots(ec2, 'db'), (s) => s.VolumeId!);
      expect(Object.keys(perVolume)).toHaveLength(2);
      expect(Object.values(perVolume).every((n) => n === 1)).toBe(true);
    },
  );

  it('thaws before it ends when told to stop (SIGTERM) during the pre script', async () => {
    // Prepare: the pre script never ends; the post succeeds
    const { ec2, id, emulator, env } = await estate({
      outcomes: [{ status: 'Hang' }, { status: 'Success' }],
    });
    const config = writePolicy(env.workDir, POLICY(''));
    const run = startCli(['run', '-c', config], env);
    const closed = new Promise((resolve) => run.on('close', resolve));

    // Act
    await waitFor(() => emulator.sent().length >= 1);
    run.kill('SIGTERM');
    await closed;

    // Assess
    expect(emulator.sent().map((c) => c.comment?.split(' ')[2])).toEqual(['(pre)', '(post)']);
    expect(t.proxy.counts().CreateSnapshots ?? 0).toBe(0);
    expect(await toolTagsOf(ec2, id)).toEqual({});
  });

  it('is allowed every call it made by iam-policy -c for its config', async () => {
    // Prepare
    const { env } = await estate({ outcomes: [{ status: 'Failed' }, { status: 'Success' }] });
    const config = writePolicy(env.workDir, POLICY(', retries: 1'));
    t.proxy.resetCounts();

    // Act
    const result = await runCli(['run', '-c', config], env);
    const seen = t.proxy.iamActions();
    const printed = await runCli(['iam-policy', '-c', config], env);
    const statements = (JSON.parse(printed.stdout) as { Statement: PrintedStatement[] }).Statement;

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(seen).toEqual(
      expect.arrayContaining([
        'ssm:DescribeInstanceInformation',
        'ssm:SendCommand',
        'ssm:GetCommandInvocation',
        'ec2:CreateSnapshots',
        'ec2:CreateTags',
        'ec2:DeleteTags',
      ]),
    );
    expect(notAllowed(seen, statements)).toEqual([]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}
