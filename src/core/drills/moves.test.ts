import { describe, expect, it } from 'vitest';
import { type DrillLook, nextMove } from './moves.js';

const MIN = 60_000;
const look = (over: Partial<DrillLook>): DrillLook => ({
  check: 'available',
  timeoutMs: 60 * MIN,
  startedAt: 0,
  now: 10 * MIN,
  watching: false,
  step: { kind: 'creating' },
  detail: '',
  state: 'creating',
  attachments: [],
  ...over,
});

describe('the drill state machine', () => {
  it('passes an available check once the volume is available, timed as an upper bound from a later look', () => {
    expect(nextMove(look({ state: 'available' }))).toEqual({
      kind: 'finish',
      verdict: { result: 'passed', detail: 'available ≤600s' },
    });
  });

  it('times exactly while watching', () => {
    expect(nextMove(look({ state: 'available', watching: true, now: 41_000 }))).toMatchObject({
      verdict: { detail: 'available 41s' },
    });
  });

  it('keeps the first time of a step seen again', () => {
    const move = nextMove(
      look({
        check: 'initialized',
        step: { kind: 'initializing' },
        detail: 'available ≤60s',
        state: 'available',
        initialized: 'done',
      }),
    );
    expect(move).toMatchObject({ kind: 'finish', verdict: { detail: 'available ≤60s initialized ≤600s' } });
  });

  it('records available and waits for initialization, which `unknown` never ends', () => {
    expect(nextMove(look({ check: 'initialized', state: 'available', initialized: 'pending' }))).toEqual({
      kind: 'tag',
      step: { kind: 'initializing' },
      detail: 'available ≤600s',
    });
    expect(
      nextMove(
        look({
          check: 'initialized',
          step: { kind: 'initializing' },
          state: 'available',
          initialized: 'unknown',
        }),
      ),
    ).toEqual({ kind: 'wait', on: 'initializing' });
  });

  it('credits what a late look finds done, but fails what is not done at the timeout', () => {
    const late = { now: 90 * MIN };
    expect(nextMove(look({ ...late, state: 'available' }))).toMatchObject({ verdict: { result: 'passed' } });
    expect(nextMove(look({ ...late }))).toEqual({
      kind: 'finish',
      verdict: { result: 'failed', failure: 'drill.timeout', detail: 'timeout 3600s: still creating' },
    });
    expect(
      nextMove(
        look({
          ...late,
          check: 'ssm',
          step: { kind: 'initializing' },
          state: 'available',
          initialized: 'done',
        }),
      ),
    ).toMatchObject({
      verdict: {
        failure: 'drill.timeout',
        detail: 'initialized ≤5400s timeout 3600s: not attached to a host yet',
      },
    });
  });

  it('ssm: attaches, sends once attached, and detaches before recording the command’s end', () => {
    const ready = {
      check: 'ssm' as const,
      step: { kind: 'initializing' as const },
      state: 'available',
      initialized: 'done' as const,
    };
    expect(nextMove(look(ready))).toMatchObject({ kind: 'attach' });
    expect(
      nextMove(
        look({
          ...ready,
          state: 'in-use',
          attachments: [{ instanceId: 'i-1', device: '/dev/sdz', state: 'attaching' }],
        }),
      ),
    ).toEqual({
      kind: 'wait',
      on: 'attaching',
    });
    expect(
      nextMove(look({ ...ready, state: 'in-use', attachments: [{ instanceId: 'i-1', device: '/dev/sdz' }] })),
    ).toMatchObject({
      kind: 'send',
      instanceId: 'i-1',
      device: '/dev/sdz',
    });
    const ran = look({
      check: 'ssm',
      step: { kind: 'ssm', commandId: 'c-1', instanceId: 'i-1' },
      state: 'in-use',
      attachments: [{ instanceId: 'i-1', device: '/dev/sdz' }],
      command: { done: true, status: 'Failed', exitCode: 3, output: 'bad superblock' },
    });
    expect(nextMove(ran)).toMatchObject({
      kind: 'detach',
      instanceId: 'i-1',
      verdict: { result: 'failed', failure: 'drill.ssm', detail: 'ssm exit 3 ≤600s: bad superblock' },
    });
  });

  it('keeps a known result whatever the volume does next, with its failure code', () => {
    const ending = look({
      step: { kind: 'ending', result: 'failed', failure: 'drill.ssm' },
      detail: 'ssm exit 3',
      state: 'available',
      now: 99 * MIN,
    });
    expect(nextMove(ending)).toEqual({
      kind: 'finish',
      verdict: { result: 'failed', failure: 'drill.ssm', detail: 'ssm exit 3' },
    });
  });

  it('fails a volume in error, or one deleted by someone else', () => {
    expect(nextMove(look({ state: 'error' }))).toMatchObject({ verdict: { failure: 'drill.volume-error' } });
    expect(nextMove(look({ state: 'deleted' }))).toMatchObject({ verdict: { failure: 'drill.volume-lost' } });
  });
});
