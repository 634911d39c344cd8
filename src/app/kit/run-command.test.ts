import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../../test/support/fakes/fake-clock.js';
import { InMemorySsm } from '../../../test/support/fakes/in-memory-ssm.js';
import { instanceId } from '../../core/model.js';
import { runCommand, succeeded } from './run-command.js';

const request = {
  instanceId: instanceId('i-1'),
  documentName: 'AWS-RunShellScript',
  parameters: { commands: ['true'] },
  timeoutSeconds: 60,
};

describe('runCommand', () => {
  it('waits for the end SSM reports, with the exit code and output', async () => {
    // Prepare
    const ssm = new InMemorySsm()
      .manage(['i-1'])
      .endWith('i-1', [{ status: 'Failed', exitCode: 3, stderr: 'bad', looks: 3 }]);
    const time = fakeClock(0);

    // Act
    const outcome = await runCommand(ssm, request, { timeoutMs: 60_000, pollMs: 1_000, ...time });

    // Assess
    expect(outcome).toMatchObject({
      timedOut: false,
      state: { status: 'Failed', exitCode: 3, stderr: 'bad' },
    });
    expect(succeeded(outcome)).toBe(false);
    expect(outcome.elapsedMs).toBe(3_000);
  });

  it('gives up at the timeout, saying the command had not ended', async () => {
    // Prepare
    const ssm = new InMemorySsm().manage(['i-1']).endWith('i-1', [{ status: 'Hang' }]);
    const time = fakeClock(0);

    // Act
    const outcome = await runCommand(ssm, request, { timeoutMs: 10_000, pollMs: 3_000, ...time });

    // Assess
    expect(outcome).toMatchObject({ timedOut: true, elapsedMs: 10_000, state: { done: false } });
  });

  it('calls a command that exited 0 a success', async () => {
    // Prepare
    const ssm = new InMemorySsm().manage(['i-1']);

    // Act
    const outcome = await runCommand(ssm, request, { timeoutMs: 10_000, ...fakeClock(0) });

    // Assess
    expect(succeeded(outcome)).toBe(true);
    expect(ssm.sent.map((s) => s.documentName)).toEqual(['AWS-RunShellScript']);
  });
});
