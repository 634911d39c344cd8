/**
 * Freeze → snapshot → thaw through a whole run of one account × region, in memory: the order of
 * the steps, the consistency each set is tagged with (at creation), `on_failure` both ways,
 * retries thawed in between, a post script that fails (the tags stay; the next run thaws first),
 * an instance SSM does not manage, the deadline, and a set taken so late that the watchdog may
 * have thawed first.
 */
import { describe, expect, it } from 'vitest';
import { freezeEstate, freezePolicy } from '../../../../test/support/builders/freeze-runs.js';
import { configOf, runIdAt, runStops } from '../../../../test/support/builders/stop-runs.js';
import { TAG } from '../../../core/model.js';
import { hasFailures } from '../run.js';

const config = configOf(freezePolicy('db', { instanceNames: ['db-*'] }));
const withScripts = (scripts: Parameters<typeof freezePolicy>[2]) =>
  configOf(freezePolicy('db', { instanceNames: ['db-*'] }, scripts));

const consistencyTags = (ec2: ReturnType<typeof freezeEstate>['ec2']) =>
  ec2.listSnapshots().map((s) => s.tags[TAG.consistency]);
const toolTags = (ec2: ReturnType<typeof freezeEstate>['ec2']) =>
  Object.keys(ec2.instances.sim('i-db-1').tags).filter((k) => k.startsWith('ebs-snapper:'));

describe('freeze → snapshot → thaw', () => {
  it('tags, freezes, takes the set as application, thaws and untags, in that order', async () => {
    // Prepare
    const { ec2, journal } = freezeEstate();

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess
    expect(journal).toEqual(['tag', 'pre', 'snapshots', 'post', 'untag']);
    expect(consistencyTags(ec2)).toEqual(['application', 'application']);
    expect(report.results.map((r) => [r.status, r.consistency, r.reason])).toEqual([
      ['done', 'application', undefined],
      ['done', 'application', undefined],
    ]);
    expect(report.freezes).toEqual([
      {
        policy: 'db',
        instanceId: 'i-db-1',
        consistency: 'application',
        preSent: 1,
        frozenMs: 0,
        thawed: true,
      },
    ]);
    expect(toolTags(ec2)).toEqual([]);
    expect(hasFailures(report)).toBe(false);
  });

  it('sends the built-in scripts through AWS-RunShellScript, the pre naming the set’s volumes', async () => {
    // Prepare
    const { ec2, inventory } = freezeEstate();

    // Act
    await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess
    const [pre, post] = ec2.ssm.sent;
    expect(pre).toMatchObject({ documentName: 'AWS-RunShellScript', timeoutSeconds: 30 });
    expect(pre?.parameters.executionTimeout).toEqual(['30']);
    const script = pre?.parameters.commands?.join('\n') ?? '';
    for (const volume of inventory.volumes) expect(script).toContain(`add_volume '${volume.id}'`);
    expect(post?.parameters.commands?.join('\n')).toContain('fsfreeze -u');
  });

  it('sends a document of the user’s as it is named, without parameters', async () => {
    // Prepare
    const { ec2 } = freezeEstate();

    // Act
    await runStops(ec2, withScripts({ pre: 'Flush-Db', post: 'Resume-Db' }), { runId: runIdAt(0) });

    // Assess
    expect(ec2.ssm.sent.map((c) => [c.documentName, c.parameters])).toEqual([
      ['Flush-Db', {}],
      ['Resume-Db', {}],
    ]);
  });

  it('takes the set as crash when the pre script fails (on_failure: crash-consistent), and thaws', async () => {
    // Prepare
    const { ec2, journal } = freezeEstate();
    ec2.ssm.endWith('i-db-1', [{ status: 'Failed', exitCode: 1, stderr: 'busy' }, { status: 'Success' }]);

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess
    expect(journal).toEqual(['tag', 'pre', 'snapshots', 'post', 'untag']);
    expect(consistencyTags(ec2)).toEqual(['crash', 'crash']);
    expect(report.results.map((r) => [r.status, r.consistency, r.reason?.code])).toEqual([
      ['done', 'crash', 'consistency.pre-failed'],
      ['done', 'crash', 'consistency.pre-failed'],
    ]);
    expect(report.results[0]?.reason?.message).toContain('busy');
    expect(hasFailures(report)).toBe(false);
  });

  it('takes no snapshot and fails when the pre script fails (on_failure: skip), and thaws', async () => {
    // Prepare
    const { ec2, journal } = freezeEstate();
    ec2.ssm.endWith('i-db-1', [{ status: 'TimedOut' }, { status: 'Success' }]);

    // Act
    const report = await runStops(ec2, withScripts({ onFailure: 'skip' }), { runId: runIdAt(0) });

    // Assess
    expect(journal).toEqual(['tag', 'pre', 'post', 'untag']);
    expect(ec2.listSnapshots()).toEqual([]);
    expect(report.results.map((r) => [r.status, r.error?.code, r.reason?.code])).toEqual([
      ['failed', 'consistency.skipped', 'consistency.pre-failed'],
      ['failed', 'consistency.skipped', 'consistency.pre-failed'],
    ]);
    expect(hasFailures(report)).toBe(true);
  });

  it('gives up on a pre script still running at the timeout, and thaws', async () => {
    // Prepare
    const { ec2, journal } = freezeEstate();
    ec2.ssm.endWith('i-db-1', [{ status: 'Hang' }, { status: 'Success' }]);

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess
    expect(journal).toEqual(['tag', 'pre', 'snapshots', 'post', 'untag']);
    expect(report.results[0]?.reason?.message).toMatch(/ScriptTimeout: still InProgress after 30 s/);
  });

  it('thaws between attempts, keeping the tags, and takes the set as application once one succeeds', async () => {
    // Prepare: pre fails twice; every post succeeds
    const { ec2, journal } = freezeEstate();
    ec2.ssm.endWith('i-db-1', [
      { status: 'Failed' },
      { status: 'Success' },
      { status: 'Failed' },
      { status: 'Success' },
    ]);

    // Act
    const report = await runStops(ec2, withScripts({ retries: 2 }), { runId: runIdAt(0) });

    // Assess
    expect(journal).toEqual(['tag', 'pre', 'post', 'pre', 'post', 'pre', 'snapshots', 'post', 'untag']);
    expect(consistencyTags(ec2)).toEqual(['application', 'application']);
    expect(report.freezes?.[0]?.preSent).toBe(3);
  });

  it('keeps the tags and fails the run when the post script fails; the next run thaws first', async () => {
    // Prepare: pre succeeds, the post fails (twice: no retry), then everything succeeds
    const { ec2, journal } = freezeEstate();
    ec2.ssm.endWith('i-db-1', [
      { status: 'Success' },
      { status: 'Failed', exitCode: 1 },
      { status: 'Success' },
    ]);

    // Act
    const first = await runStops(ec2, config, { runId: runIdAt(0) });
    const stuck = toolTags(ec2);
    const second = await runStops(ec2, config, { runId: runIdAt(60) });

    // Assess
    expect(hasFailures(first)).toBe(true);
    expect(first.results.filter((r) => r.action === 'thaw')).toEqual([
      expect.objectContaining({
        status: 'failed',
        instanceId: 'i-db-1',
        error: expect.objectContaining({ code: 'ScriptFailed' }),
      }),
    ]);
    expect(stuck.sort()).toEqual([TAG.frozenBy, TAG.frozenPolicy]);
    expect(second.thawed).toEqual([{ instanceId: 'i-db-1', done: ['thawed', 'untagged'] }]);
    expect(hasFailures(second)).toBe(false);
    expect(journal).toEqual(['tag', 'pre', 'snapshots', 'post', 'post', 'untag']);
    expect(toolTags(ec2)).toEqual([]);
  });

  it.each([
    ['not managed by SSM', false],
    ['not reachable (ConnectionLost)', true],
  ])('sends nothing and takes the set as crash when the instance is %s', async (_, managed) => {
    // Prepare
    const { ec2, journal } = freezeEstate({ managed });
    if (managed) ec2.ssm.manage(['i-db-1'], 'ConnectionLost');

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess
    expect(journal).toEqual(['snapshots']);
    expect(consistencyTags(ec2)).toEqual(['crash', 'crash']);
    expect(report.results.map((r) => r.reason?.code)).toEqual([
      'consistency.no-agent',
      'consistency.no-agent',
    ]);
  });

  it('tries the pre script when SSM cannot say which instances it manages', async () => {
    // Prepare
    const { ec2, journal } = freezeEstate();
    ec2.ssm.managedInstances = async () => {
      throw new Error('ThrottlingException');
    };

    // Act
    await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess
    expect(journal).toEqual(['tag', 'pre', 'snapshots', 'post', 'untag']);
  });

  it('removes the tags without a post script when SendCommand refused the pre script', async () => {
    // Prepare
    const { ec2, journal } = freezeEstate();
    const { PortError } = await import('../../kit/ports.js');
    ec2.ssm.sendCommand = async () => {
      throw new PortError('SendCommand', { code: 'AccessDeniedException', message: 'no', transient: false });
    };

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess
    expect(journal).toEqual(['tag', 'snapshots', 'untag']);
    expect(report.results.map((r) => r.reason?.code)).toEqual([
      'consistency.pre-failed',
      'consistency.pre-failed',
    ]);
    expect(toolTags(ec2)).toEqual([]);
  });

  it('freezes nothing when less than the scripts’ timeouts is left before the deadline', async () => {
    // Prepare
    const { ec2, journal } = freezeEstate();

    // Act
    const report = await runStops(ec2, withScripts({ retries: 1 }), {
      runId: runIdAt(0),
      deadline: Date.parse('2026-11-29T03:00:50Z'),
    });

    // Assess
    expect(journal).toEqual([]);
    expect(report.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['deferred', 'Deadline'],
      ['deferred', 'Deadline'],
    ]);
  });

  it('says crash when the set is taken after the watchdog may have thawed (a rate-limited create)', async () => {
    // Prepare: the pre script takes 20 s; EC2 asks to wait 15 s three times: the set starts 65 s after
    const { ec2 } = freezeEstate();
    ec2.ssm.endWith('i-db-1', [{ status: 'Success', looks: 40 }, { status: 'Success' }]);
    ec2.fail('createSnapshots', 'SnapshotCreationPerVolumeRateExceeded', { times: 3 });

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess
    expect(consistencyTags(ec2)).toEqual(['crash', 'crash']);
    expect(report.results.map((r) => [r.status, r.consistency, r.reason?.code])).toEqual([
      ['done', 'crash', 'consistency.thawed-early'],
      ['done', 'crash', 'consistency.thawed-early'],
    ]);
  });

  it.each([
    ['a person’s tag: fails, sends nothing', 'yes', 'failed', 'FreezeTagForeign'],
    ['a later run’s tag: defers, sends nothing', runIdAt(600), 'deferred', 'FreezeTagHeld'],
  ])('leaves an instance alone that carries %s', async (_, value, status, code) => {
    // Prepare
    const { ec2, journal } = freezeEstate({ tags: { [TAG.frozenBy]: value } });

    // Act
    const report = await runStops(ec2, config, { runId: runIdAt(0) });

    // Assess
    expect(journal).toEqual([]);
    expect(report.results.map((r) => [r.status, r.error?.code])).toEqual([
      [status, code],
      [status, code],
    ]);
    expect(ec2.instances.sim('i-db-1').tags[TAG.frozenBy]).toBe(value);
  });
});
