import { describe, expect, it } from 'vitest';
import { FakeStacks } from '../../../test/support/fakes/fake-stacks.js';
import { DeployError, type StackEvent } from './ports.js';
import { applyStackPlan, planStack, readStack } from './stack-rollout.js';
import { type DeployProgress, failuresOf, waitForStack } from './stack-wait.js';

const REQUEST = {
  name: 'ebs-snapper',
  templateBody: '{"Resources":{"A":{"Type":"T"}}}',
  parameters: { P: '1' },
};
const noWait = { sleep: async () => {} };

function recorder(): DeployProgress & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    note: (text) => lines.push(text),
    event: (event: StackEvent) => lines.push(`${event.status} ${event.logicalId}`),
  };
}

describe('planStack', () => {
  it.each([
    ['CREATE_COMPLETE', REQUEST, 'none'],
    ['UPDATE_COMPLETE', REQUEST, 'none'],
    ['UPDATE_ROLLBACK_COMPLETE', REQUEST, 'none'],
    ['UPDATE_ROLLBACK_COMPLETE', { ...REQUEST, parameters: { P: '2' } }, 'update'],
    ['CREATE_COMPLETE', { ...REQUEST, templateBody: '{"Resources":{}}' }, 'update'],
    ['ROLLBACK_COMPLETE', REQUEST, 'recreate'],
    ['REVIEW_IN_PROGRESS', REQUEST, 'recreate'],
  ])('a stack in %s asked for %j needs: %s', async (status, request, action) => {
    // Prepare
    const stacks = new FakeStacks();
    const current = stacks.put(REQUEST, status);

    // Act
    const plan = await planStack(stacks, current, request);

    // Assess
    expect(plan.action).toBe(action);
  });

  it('compares templates as JSON, not as text', async () => {
    // Prepare
    const stacks = new FakeStacks();
    const current = stacks.put(
      { ...REQUEST, templateBody: '{ "Resources": { "A": { "Type": "T" } } }' },
      'CREATE_COMPLETE',
    );

    // Act / Assess
    expect((await planStack(stacks, current, REQUEST)).action).toBe('none');
  });

  it.each(['UPDATE_ROLLBACK_FAILED', 'ROLLBACK_FAILED', 'DELETE_FAILED'])(
    'refuses a stack in %s, saying what to do',
    async (status) => {
      // Prepare
      const stacks = new FakeStacks();
      const current = stacks.put(REQUEST, status);

      // Act / Assess
      await expect(planStack(stacks, current, REQUEST)).rejects.toThrow(DeployError);
      await expect(planStack(stacks, current, REQUEST)).rejects.toThrow(/CloudFormation console/);
    },
  );
});

describe('readStack', () => {
  it('waits out an operation in progress, showing its events as they come', async () => {
    // Prepare
    const stacks = new FakeStacks();
    stacks.put(REQUEST, 'UPDATE_COMPLETE', ['UPDATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS']);
    const progress = recorder();
    let slept = 0;

    // Act
    const stack = await readStack(stacks, REQUEST.name, progress, {
      sleep: async () => {
        slept += 1;
        stacks.event(REQUEST.name, {
          logicalId: 'Worker',
          resourceType: 'AWS::Lambda::Function',
          status: 'UPDATE_COMPLETE',
        });
      },
    });

    // Assess
    expect(stack?.status).toBe('UPDATE_COMPLETE');
    expect(slept).toBe(1);
    expect(progress.lines).toEqual([
      'stack ebs-snapper is UPDATE_IN_PROGRESS: waiting for that to finish',
      'UPDATE_COMPLETE Worker',
    ]);
  });
});

describe('applyStackPlan', () => {
  it('deletes a stack in ROLLBACK_COMPLETE after saying so, then creates it again', async () => {
    // Prepare
    const stacks = new FakeStacks();
    const current = stacks.put(REQUEST, 'ROLLBACK_COMPLETE');
    const progress = recorder();

    // Act
    const result = await applyStackPlan(stacks, { action: 'recreate', current }, REQUEST, progress, noWait);

    // Assess
    expect(result.outcome).toBe('recreated');
    expect(stacks.writes).toEqual([`DeleteStack ${current.id}`, 'CreateStack ebs-snapper']);
    expect(progress.lines[0]).toMatch(/ROLLBACK_COMPLETE .*deleting it, then creating it again/);
    expect(result.stack?.status).toBe('CREATE_COMPLETE');
  });

  it('takes "No updates are to be performed" as unchanged', async () => {
    // Prepare
    const stacks = new FakeStacks();
    const current = stacks.put(REQUEST, 'UPDATE_ROLLBACK_COMPLETE');

    // Act
    const result = await applyStackPlan(stacks, { action: 'update', current }, REQUEST, recorder(), noWait);

    // Assess
    expect(result.outcome).toBe('unchanged');
    expect(stacks.writes).toEqual([]);
  });

  it('a checked update goes through a change set: executed when the check finds nothing wrong', async () => {
    // Prepare
    const stacks = new FakeStacks();
    const current = stacks.put(REQUEST, 'CREATE_COMPLETE');
    const request = { ...REQUEST, parameters: { P: '2' } };
    const seen: string[] = [];

    // Act
    const result = await applyStackPlan(
      stacks,
      { action: 'update', current },
      request,
      recorder(),
      noWait,
      (c) => {
        seen.push(...c.map((change) => change.logicalId));
        return undefined;
      },
    );

    // Assess
    expect(result.outcome).toBe('updated');
    expect(seen).toEqual(['Worker']);
    expect(stacks.writes).toEqual(['ExecuteChangeSet ebs-snapper']);
    expect(result.stack?.parameters).toEqual({ P: '2' });
  });

  it('a checked update with nothing to do is unchanged, its change set deleted', async () => {
    // Prepare
    const stacks = new FakeStacks();
    const current = stacks.put(REQUEST, 'UPDATE_ROLLBACK_COMPLETE');

    // Act
    const result = await applyStackPlan(
      stacks,
      { action: 'update', current },
      REQUEST,
      recorder(),
      noWait,
      () => 'never asked',
    );

    // Assess
    expect(result.outcome).toBe('unchanged');
    expect(stacks.writes).toEqual([]);
    expect(stacks.changeSets.size).toBe(0);
  });

  it('a checked update the check refuses throws, saying why, and executes nothing', async () => {
    // Prepare
    const stacks = new FakeStacks();
    const current = stacks.put(REQUEST, 'CREATE_COMPLETE');
    const request = { ...REQUEST, parameters: { P: '2' } };

    // Act
    const applying = applyStackPlan(
      stacks,
      { action: 'update', current },
      request,
      recorder(),
      noWait,
      () => 'the table would go',
    );

    // Assess
    await expect(applying).rejects.toThrow('the table would go. Nothing was changed.');
    expect(stacks.writes).toEqual([]);
    expect(stacks.changeSets.size).toBe(0);
    expect((await stacks.describe(current.id))?.parameters).toEqual({ P: '1' });
  });

  it('an update that rolls back is a failure with the failed resources', async () => {
    // Prepare
    const stacks = new FakeStacks();
    stacks.endsIn = { ...stacks.endsIn, update: 'UPDATE_ROLLBACK_COMPLETE' };
    const current = stacks.put(REQUEST, 'CREATE_COMPLETE');
    const request = { ...REQUEST, parameters: { P: '2' } };
    const update = stacks.update.bind(stacks);
    stacks.update = async (r) => {
      const started = await update(r);
      stacks.event(REQUEST.name, {
        logicalId: 'Table',
        resourceType: 'AWS::DynamoDB::Table',
        status: 'UPDATE_FAILED',
        reason: 'limit',
      });
      return started;
    };

    // Act
    const result = await applyStackPlan(stacks, { action: 'update', current }, request, recorder(), noWait);

    // Assess
    expect(result.outcome).toBe('failed');
    expect(result.failures).toEqual([
      { logicalId: 'Table', resourceType: 'AWS::DynamoDB::Table', status: 'UPDATE_FAILED', reason: 'limit' },
    ]);
  });
});

describe('waitForStack', () => {
  it('gives up after its longest wait, naming the state', async () => {
    // Prepare
    const stacks = new FakeStacks();
    const stack = stacks.put(REQUEST, 'UPDATE_COMPLETE', Array(10).fill('UPDATE_IN_PROGRESS'));
    let now = 0;

    // Act / Assess
    await expect(
      waitForStack(stacks, stack.id, undefined, recorder(), {
        maxWaitMs: 5_000,
        clock: () => now,
        sleep: async (ms) => {
          now += ms;
        },
      }),
    ).rejects.toThrow(/still UPDATE_IN_PROGRESS after/);
  });
});

describe('failuresOf', () => {
  it("keeps the resources that failed with a reason and leaves out the ones cancelled for another's failure", () => {
    // Prepare
    const event = (logicalId: string, status: string, reason?: string): StackEvent => ({
      id: logicalId,
      timestamp: 0,
      logicalId,
      resourceType: 'T',
      status,
      ...(reason === undefined ? {} : { reason }),
    });

    // Act
    const failures = failuresOf(
      [
        event('Worker', 'CREATE_FAILED', 'bad code'),
        event('Table', 'CREATE_FAILED', 'Resource creation cancelled'),
        event('Queue', 'CREATE_COMPLETE'),
      ],
      undefined,
    );

    // Assess
    expect(failures.map((f) => f.logicalId)).toEqual(['Worker']);
  });

  it("falls back to the stack's own reason when no resource says why", () => {
    // Prepare / Act
    const failures = failuresOf([], {
      id: 'x',
      name: 'ebs-snapper',
      status: 'ROLLBACK_COMPLETE',
      statusReason: 'The following resource(s) failed to create: [Worker].',
      parameters: {},
      outputs: {},
    });

    // Assess
    expect(failures).toEqual([
      {
        logicalId: 'ebs-snapper',
        resourceType: 'AWS::CloudFormation::Stack',
        status: 'ROLLBACK_COMPLETE',
        reason: 'The following resource(s) failed to create: [Worker].',
      },
    ]);
  });
});
