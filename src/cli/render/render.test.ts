import { describe, expect, it } from 'vitest';
import { ACCOUNT, createOf, deleteOf, planOf } from '../../../test/support/builders/actions.js';
import type { KeepAction } from '../../core/actions.js';
import { snapshotId, volumeId } from '../../core/model.js';
import { planDocument, runDocument } from './json.js';
import { renderPlans, renderRun } from './text.js';

const keep: KeepAction = {
  action: 'keep',
  policy: 'daily',
  account: ACCOUNT,
  region: 'eu-west-1',
  volumeId: volumeId('vol-1'),
  snapshotId: snapshotId('snap-kept'),
  reason: { code: 'retention.minimum', message: 'among the newest 5 completed' },
};
const plan = planOf([
  createOf('vol-1', { instance: 'i-1', device: '/dev/xvda' }),
  deleteOf('snap-old', 'vol-1'),
  keep,
]);
const plain = { color: false, verbose: false };

describe('text plan', () => {
  it('shows creates and deletes with their reasons and one summary line; keeps only with -v', () => {
    // Act
    const text = renderPlans([plan], plain);
    const verbose = renderPlans([plan], { color: false, verbose: true });

    // Assess
    expect(text).toContain('+ create  daily  vol-1 (i-1 /dev/xvda)  due.first: no snapshot yet');
    expect(text).toContain('- delete  daily  snap-old of vol-1  retention.expired: older than max_age');
    expect(text).not.toContain('snap-kept');
    expect(text).toMatch(/^Plan: 1 to create, 1 to delete, 1 kept, 0 not due \(1 account × region\)\.$/m);
    expect(verbose).toContain('= keep    daily  snap-kept of vol-1  retention.minimum');
  });

  it('names the tags a create cannot carry, not only in JSON', () => {
    // Prepare
    const dropped = planOf([
      { ...createOf('vol-1', { instance: 'i-1' }), droppedTags: ['ebs-snapper:device', 'Disk'] },
    ]);

    // Act
    const text = renderPlans([dropped], plain);

    // Assess
    expect(text).toContain('due.first: no snapshot yet  (tags not carried: ebs-snapper:device, Disk)');
  });

  it('says when the guard stopped the deletes', () => {
    // Prepare
    const guarded = { ...plan, guard: { tripped: true, limit: 1, wanted: 3 } };

    // Act
    const text = renderPlans([guarded], plain);

    // Assess
    expect(text).toContain(
      `! guard: 3 deletes wanted in ${ACCOUNT}/eu-west-1, limit 1: nothing will be deleted there`,
    );
  });

  it('shows bidi, format and control characters from tags as visible escapes, never raw', () => {
    // Prepare: what anyone allowed to tag a volume or snapshot can put in front of an operator.
    const hostile = {
      ...planOf([
        { ...createOf('vol-1', { instance: 'i-1' }), droppedTags: ['Owner\u202Egpj.exe', 'zero\u200Bwidth'] },
        deleteOf('snap-old', 'vol-\u2066evil\u2069\u001b[2J'),
      ]),
      warnings: [
        { code: 'plan.unknown-policy' as const, message: 'tagged with policy "x\u202Dy\u00AD\uFEFF\u200D"' },
      ],
    };

    // Act
    const text = renderPlans([hostile], { color: true, verbose: true });

    // Assess
    expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u00AD\uFEFF\u061C]/);
    // The only escape sequences left are the renderer's own colours.
    expect(
      text
        .split('\u001b')
        .slice(1)
        .every((part) => /^\[\d+m/.test(part)),
    ).toBe(true);
    expect(text).toContain('Owner\\u202Egpj.exe, zero\\u200Bwidth');
    expect(text).toContain('snap-old of vol-\\u2066evil\\u2069\\u001B[2J');
    expect(text).toContain('policy "x\\u202Dy\\u00AD\\uFEFF\\u200D"');
  });

  it('colours only when asked', () => {
    // Act / Assess
    expect(renderPlans([plan], plain)).not.toContain('\u001b[');
    expect(renderPlans([plan], { color: true, verbose: false })).toContain('\u001b[32m+ create');
  });
});

describe('JSON documents', () => {
  it('has the SPEC §5 shape with snake_case keys', () => {
    // Act
    const document = planDocument([plan], Date.parse('2026-11-25T17:03:12Z'));

    // Assess
    expect(document).toMatchObject({
      version: 1,
      account: ACCOUNT,
      regions: ['eu-west-1'],
      now: '2026-11-25T17:03:12.000Z',
      summary: { create: 1, delete: 1, keep: 1, skip: 0 },
    });
    expect((document.actions as object[])[1]).toEqual({
      action: 'delete',
      policy: 'daily',
      account: ACCOUNT,
      region: 'eu-west-1',
      volume_id: 'vol-1',
      snapshot_id: 'snap-old',
      reason: { code: 'retention.expired', message: 'older than max_age' },
    });
  });

  it('adds what a run did, and the text says the same', () => {
    // Prepare
    const report = {
      plan,
      results: [
        { action: 'create', policy: 'daily', account: plan.account, region: plan.region, status: 'done' },
        {
          action: 'delete',
          policy: 'daily',
          account: plan.account,
          region: plan.region,
          snapshotId: snapshotId('snap-old'),
          status: 'failed',
          error: { code: 'InternalError', message: 'boom' },
        },
      ] as const,
      summary: { created: 1, copied: 0, deleted: 0, failed: 1, deferred: 0, skipped: 0 },
      deadlineReached: false,
      dryRun: false,
    };

    // Act
    const document = runDocument([report], Date.parse('2026-11-25T17:03:12Z'));
    const text = renderRun([report], plain);

    // Assess
    expect(document.summary).toMatchObject({ created: 1, deleted: 0, failed: 1, deadline_reached: false });
    expect((document.results as object[])[1]).toMatchObject({ status: 'failed', snapshot_id: 'snap-old' });
    expect(text).toContain('FAILED    delete daily snap-old  InternalError: boom');
    expect(text).toMatch(/^Run: 1 created, 0 deleted, 1 failed, 0 deferred, 0 skipped\.$/m);
  });
});
