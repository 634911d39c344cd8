/**
 * What a crashed run left frozen is thawed first by the next run: the post script of the policy
 * that froze it (the built-in thaw when that policy is gone), then the tags. Only a finished run's
 * tag is trusted (a person's or a live run's is left alone, with a warning); an instance that
 * stopped meanwhile has nothing frozen; a thaw that fails keeps the tags and fails the run.
 */
import { describe, expect, it } from 'vitest';
import { freezeEstate, freezePolicy } from '../../../../test/support/builders/freeze-runs.js';
import { configOf, runIdAt, runStops, STOP_NOW } from '../../../../test/support/builders/stop-runs.js';
import { fakeClock } from '../../../../test/support/fakes/fake-clock.js';
import { TAG } from '../../../core/model.js';
import { hasFailures, runTarget } from '../run.js';

/** A daily policy that is not due (its volumes are not selected): only recovery acts. */
const quiet = (scripts: Parameters<typeof freezePolicy>[2] = {}) =>
  configOf(freezePolicy('db', { instanceNames: ['nothing-*'] }, scripts));

const frozenBy = (value: string, policy = 'db') => ({ [TAG.frozenBy]: value, [TAG.frozenPolicy]: policy });
const runWarnings = (report: { plan: { warnings: readonly { code: string }[] } }) =>
  report.plan.warnings.map((w) => w.code).filter((c) => c.startsWith('run.'));

describe('thawing what a crashed run froze', () => {
  it('sends the post script of the policy that froze it, then removes the tags', async () => {
    // Prepare
    const { ec2, journal } = freezeEstate({ tags: frozenBy(runIdAt(-60)) });

    // Act
    const report = await runStops(ec2, quiet({ pre: 'Flush-Db', post: 'Resume-Db' }), { runId: runIdAt(0) });

    // Assess
    expect(journal).toEqual(['post', 'untag']);
    expect(ec2.ssm.sent.map((c) => c.documentName)).toEqual(['Resume-Db']);
    expect(report.thawed).toEqual([{ instanceId: 'i-db-1', done: ['thawed', 'untagged'] }]);
    expect(Object.keys(ec2.instances.sim('i-db-1').tags)).toEqual(['Name']);
    expect(hasFailures(report)).toBe(false);
  });

  it('sends the built-in thaw, with a warning, when the policy that froze it is not configured', async () => {
    // Prepare
    const { ec2 } = freezeEstate({ tags: frozenBy(runIdAt(-60), 'gone') });

    // Act
    const report = await runStops(ec2, quiet({ pre: 'Flush-Db', post: 'Resume-Db' }), { runId: runIdAt(0) });

    // Assess
    expect(ec2.ssm.sent.map((c) => c.documentName)).toEqual(['AWS-RunShellScript']);
    expect(runWarnings(report)).toEqual(['run.freeze-policy-unknown']);
    expect(report.thawed?.[0]?.done).toEqual(['thawed', 'untagged']);
  });

  it('thaws what an earlier invocation of this same run left', async () => {
    // Prepare
    const { ec2, journal } = freezeEstate({ tags: frozenBy(runIdAt(0)) });

    // Act
    await runStops(ec2, quiet(), { runId: runIdAt(0) });

    // Assess
    expect(journal).toEqual(['post', 'untag']);
  });

  it.each([
    ['a person’s', 'yes', 'run.freeze-tag-foreign'],
    ['a later run’s', runIdAt(600), 'run.freeze-tag-live'],
  ])('leaves %s tag alone and says so', async (_, value, code) => {
    // Prepare
    const { ec2, journal } = freezeEstate({ tags: frozenBy(value) });

    // Act
    const report = await runStops(ec2, quiet(), { runId: runIdAt(0) });

    // Assess
    expect(journal).toEqual([]);
    expect(runWarnings(report)).toEqual([code]);
    expect(ec2.instances.sim('i-db-1').tags[TAG.frozenBy]).toBe(value);
  });

  it('only removes the tags of an instance that stopped meanwhile: a stop thaws', async () => {
    // Prepare
    const { ec2, journal } = freezeEstate({ tags: frozenBy(runIdAt(-60)) });
    ec2.instances.sim('i-db-1').state = 'stopped';

    // Act
    const report = await runStops(ec2, quiet(), { runId: runIdAt(0) });

    // Assess
    expect(journal).toEqual(['untag']);
    expect(report.thawed).toEqual([{ instanceId: 'i-db-1', done: ['stopped', 'untagged'] }]);
  });

  it('keeps the tags and fails the run when the post script fails; the next run tries again', async () => {
    // Prepare: the post fails both attempts of the first run (one retry), then succeeds
    const { ec2 } = freezeEstate({ tags: frozenBy(runIdAt(-60)) });
    ec2.ssm.endWith('i-db-1', [{ status: 'Failed' }, { status: 'Failed' }, { status: 'Success' }]);

    // Act
    const first = await runStops(ec2, quiet({ retries: 1 }), { runId: runIdAt(0) });
    const second = await runStops(ec2, quiet(), { runId: runIdAt(60) });

    // Assess
    expect(hasFailures(first)).toBe(true);
    expect(first.results).toEqual([
      expect.objectContaining({ action: 'thaw', policy: 'db', status: 'failed', instanceId: 'i-db-1' }),
    ]);
    expect(first.results[0]?.error?.message).toMatch(/keeps its ebs-snapper:frozen-by tag/);
    expect(second.thawed).toEqual([{ instanceId: 'i-db-1', done: ['thawed', 'untagged'] }]);
    expect(ec2.ssm.sent).toHaveLength(3);
  });

  it('judges but sends nothing on a dry run', async () => {
    // Prepare
    const { ec2, journal } = freezeEstate({ tags: frozenBy(runIdAt(-60)) });

    // Act
    const report = await runTarget(ec2, quiet(), {
      now: STOP_NOW,
      runId: runIdAt(0),
      ...fakeClock(STOP_NOW),
      dryRun: true,
      exclusive: (_, work) => work(),
    });

    // Assess
    expect(journal).toEqual([]);
    expect(report.thawed).toBeUndefined();
  });
});
